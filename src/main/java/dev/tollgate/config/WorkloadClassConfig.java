package dev.tollgate.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * YAML {@code workload_classes.<name>:} — allow (model names or {@code tier:<tier>}; omitted = all),
 * block (same forms; wins over allow), prefer (a model), fallback (models, in order), pii (allow |
 * redact | route_private | block), cache ({@code ttl_s}), max_cost_usd (worst case of one request),
 * latency_target (a duration), sensitivity (public | internal | confidential | regulated),
 * exception_tiers (tiers that need an approved exception), output_guard (off | redact | block, or
 * true = redact / false = off: what to do with findings in answers, whole or streamed), prompt_logging
 * (true: prompts and completions of this class go to the {@code tollgate.prompts} log; false by default).
 *
 * @param cacheTtlSeconds null when the class does not allow the response cache
 * @param cache the whole {@code cache:} section (ttl_s, max_entries | max_bytes, share, default), or null
 * @param maxCostUsd null for no per-request cap
 * @param outputGuard {@code off}, {@code redact} or {@code block}
 */
public record WorkloadClassConfig(
    String name,
    List<String> allow,
    String prefer,
    List<String> fallback,
    String pii,
    Long cacheTtlSeconds,
    List<String> block,
    BigDecimal maxCostUsd,
    Duration latencyTarget,
    String sensitivity,
    List<String> exceptionTiers,
    String outputGuard,
    dev.tollgate.domain.policy.CachePolicy cache,
    boolean promptLogging) {

  /** A class that does not log prompts (the default). */
  public WorkloadClassConfig(String name, List<String> allow, String prefer, List<String> fallback, String pii,
      Long cacheTtlSeconds, List<String> block, BigDecimal maxCost, Duration latencyTarget, String sensitivity,
      List<String> exceptionTiers, String outputGuard, dev.tollgate.domain.policy.CachePolicy cache) {
    this(name, allow, prefer, fallback, pii, cacheTtlSeconds, block, maxCost, latencyTarget, sensitivity, exceptionTiers,
        outputGuard, cache, false);
  }

  public WorkloadClassConfig(String name, List<String> allow, String prefer, List<String> fallback, String pii,
      Long cacheTtlSeconds, List<String> block, BigDecimal maxCostUsd, Duration latencyTarget, String sensitivity,
      List<String> exceptionTiers, String outputGuard) {
    this(name, allow, prefer, fallback, pii, cacheTtlSeconds, block, maxCostUsd, latencyTarget, sensitivity, exceptionTiers,
        outputGuard, cacheTtlSeconds == null ? null : dev.tollgate.domain.policy.CachePolicy.ttl(cacheTtlSeconds));
  }

  public WorkloadClassConfig(String name, List<String> allow, String prefer, List<String> fallback, String pii, Long cacheTtlSeconds) {
    this(name, allow, prefer, fallback, pii, cacheTtlSeconds, List.of(), null, null, "internal", List.of(), "off");
  }
}
