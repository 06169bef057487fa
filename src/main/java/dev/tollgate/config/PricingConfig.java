package dev.tollgate.config;

import java.nio.file.Path;

/** YAML {@code pricing:} — catalog (optional path to a catalog file layered over the bundled one). */
public record PricingConfig(Path catalog) {}
