package dev.tollgate.domain.policy;

import dev.tollgate.domain.money.Money;
import java.time.Duration;
import java.util.List;

/**
 * A workload class: what kind of work a request is, and therefore which models it may use and how
 * its data is guarded. Model choice is a policy of the work, not a preference of the caller.
 *
 * @param allow model names or {@code tier:<t>}; empty allows every model
 * @param block model names or {@code tier:<t>}; wins over allow
 * @param prefer the model to use when the one asked for is not allowed (null: refuse instead)
 * @param fallback models to try, in order, when the chosen one fails before answering
 * @param maxCost the most one request may cost in its worst case (null: no cap)
 * @param exceptionTiers tiers this class may use only with an approved exception
 * @param output what the output guard does with findings in answers
 * @param cacheTtlSeconds how long answers may be cached for this class (null: no cache)
 * @param cache the response cache's settings (null: no cache); a TTL alone gives {@link CachePolicy#ttl}
 * @param promptLogging true when this class's prompts and completions may be logged (off by default)
 */
public record WorkloadClass(
    String name,
    List<String> allow,
    List<String> block,
    String prefer,
    List<String> fallback,
    PiiAction pii,
    Money maxCost,
    Duration latencyTarget,
    String sensitivity,
    List<String> exceptionTiers,
    OutputAction output,
    Long cacheTtlSeconds,
    CachePolicy cache,
    boolean promptLogging) {

  /** A class that does not log prompts (the default). */
  public WorkloadClass(String name, List<String> allow, List<String> block, String prefer, List<String> fallback,
      PiiAction pii, Money maxCost, Duration latencyTarget, String sensitivity, List<String> exceptionTiers,
      OutputAction output, Long cacheTtlSeconds, CachePolicy cache) {
    this(name, allow, block, prefer, fallback, pii, maxCost, latencyTarget, sensitivity, exceptionTiers, output,
        cacheTtlSeconds, cache, false);
  }

  /** A class whose cache, if any, has only a TTL. */
  public WorkloadClass(String name, List<String> allow, List<String> block, String prefer, List<String> fallback,
      PiiAction pii, Money maxCost, Duration latencyTarget, String sensitivity, List<String> exceptionTiers,
      OutputAction output, Long cacheTtlSeconds) {
    this(name, allow, block, prefer, fallback, pii, maxCost, latencyTarget, sensitivity, exceptionTiers, output,
        cacheTtlSeconds, null);
  }

  public WorkloadClass {
    if (cache == null && cacheTtlSeconds != null) cache = CachePolicy.ttl(cacheTtlSeconds);
    allow = allow == null ? List.of() : List.copyOf(allow);
    block = block == null ? List.of() : List.copyOf(block);
    fallback = fallback == null ? List.of() : List.copyOf(fallback);
    exceptionTiers = exceptionTiers == null ? List.of() : List.copyOf(exceptionTiers);
    if (pii == null) pii = PiiAction.ALLOW;
    if (output == null) output = OutputAction.OFF;
  }

  /** Whether answers of this class are scanned by the output guard. */
  public boolean outputGuard() {
    return output != OutputAction.OFF;
  }

  /** Whether this class lets a request use the model (by its name and tier). */
  public boolean permits(String model, String tier) {
    boolean allowed = allow.isEmpty() || allow.contains(model) || (tier != null && allow.contains("tier:" + tier));
    boolean blocked = block.contains(model) || (tier != null && block.contains("tier:" + tier));
    return allowed && !blocked;
  }

  public boolean needsException(String tier) {
    return tier != null && exceptionTiers.contains(tier);
  }
}
