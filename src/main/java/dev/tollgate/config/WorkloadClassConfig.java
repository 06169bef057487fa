package dev.tollgate.config;

import java.util.List;

/**
 * YAML {@code workload_classes.<name>:} — allow (model names or {@code tier:<tier>}), prefer (a model),
 * fallback (models, in order), pii (allow | redact | route_private | block), cache ({@code ttl_s}).
 *
 * @param cacheTtlSeconds null when the class does not allow the response cache
 */
public record WorkloadClassConfig(
    String name, List<String> allow, String prefer, List<String> fallback, String pii, Long cacheTtlSeconds) {}
