package dev.tollgate.domain.policy;

import dev.tollgate.domain.attribution.Attribution;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What classification rules may look at: who the request is for, the model asked for, whether it
 * carries tools, its metadata, and (computed only if a rule asks) its prompt size in tokens.
 */
public record RequestFacts(
    Attribution attribution, String keyName, String model, boolean tools, Map<String, String> metadata,
    LongSupplier promptTokens) {}
