package dev.tollgate.domain.usage;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import java.time.Instant;

/**
 * One ledger row: everything Tollgate knows about one request once it has ended, whether it was
 * served, blocked or failed. Field names follow the ledger fields of the public contract.
 *
 * @param keyName the virtual key's name (never its secret); null when authentication failed
 * @param classReason why the request got its workload class: {@code header}, {@code key}, {@code rule:N},
 *     {@code org_default} or {@code none}; null where classification did not run
 * @param guardFindings guardrail findings in the prompt by type (counts, never values)
 * @param efficiency cost saved by a cache hit, template, prompt fingerprints and max_tokens (issue 12)
 * @param usageEstimated true when the tokens were counted by the gateway (a stream that broke before
 *     its usage arrived, or a client that went away) rather than reported by the provider
 * @param attempts upstream calls made for the request — the first, its retries and its fallbacks;
 *     0 when no provider was called (blocked, served from cache, or a row from before this was recorded)
 */
public record UsageRecord(
    String id,
    Instant startedAt,
    Instant endedAt,
    String keyName,
    Attribution attribution,
    String provider,
    String requestedModel,
    String servedModel,
    String tier,
    String routeReason,
    TokenUsage usage,
    Money cost,
    RequestStatus status,
    String errorCode,
    long latencyMs,
    Long ttftMs,
    String exceptionId,
    boolean cacheHit,
    boolean usageEstimated,
    boolean stream,
    int httpStatus,
    String classReason,
    java.util.Map<String, Integer> guardFindings,
    int attempts,
    Efficiency efficiency) {

  public UsageRecord {
    if (efficiency == null) efficiency = Efficiency.NONE;
    if (attribution == null) attribution = Attribution.EMPTY;
    if (usage == null) usage = TokenUsage.NONE;
    if (cost == null) cost = Money.ZERO;
    guardFindings = guardFindings == null ? java.util.Map.of() : java.util.Map.copyOf(new java.util.TreeMap<>(guardFindings));
  }

  /** A record without the number of attempts or efficiency facts. */
  public UsageRecord(String id, Instant startedAt, Instant endedAt, String keyName, Attribution attribution, String provider,
      String requestedModel, String servedModel, String tier, String routeReason, TokenUsage usage, Money cost,
      RequestStatus status, String errorCode, long latencyMs, Long ttftMs, String exceptionId, boolean cacheHit,
      boolean usageEstimated, boolean stream, int httpStatus, String classReason, java.util.Map<String, Integer> guardFindings) {
    this(id, startedAt, endedAt, keyName, attribution, provider, requestedModel, servedModel, tier, routeReason, usage, cost,
        status, errorCode, latencyMs, ttftMs, exceptionId, cacheHit, usageEstimated, stream, httpStatus, classReason,
        guardFindings, 0, null);
  }

  /** A record with the number of attempts and without efficiency facts. */
  public UsageRecord(String id, Instant startedAt, Instant endedAt, String keyName, Attribution attribution, String provider,
      String requestedModel, String servedModel, String tier, String routeReason, TokenUsage usage, Money cost,
      RequestStatus status, String errorCode, long latencyMs, Long ttftMs, String exceptionId, boolean cacheHit,
      boolean usageEstimated, boolean stream, int httpStatus, String classReason, java.util.Map<String, Integer> guardFindings,
      int attempts) {
    this(id, startedAt, endedAt, keyName, attribution, provider, requestedModel, servedModel, tier, routeReason, usage, cost,
        status, errorCode, latencyMs, ttftMs, exceptionId, cacheHit, usageEstimated, stream, httpStatus, classReason,
        guardFindings, attempts, null);
  }

  /** A record with efficiency facts and without the number of attempts. */
  public UsageRecord(String id, Instant startedAt, Instant endedAt, String keyName, Attribution attribution, String provider,
      String requestedModel, String servedModel, String tier, String routeReason, TokenUsage usage, Money cost,
      RequestStatus status, String errorCode, long latencyMs, Long ttftMs, String exceptionId, boolean cacheHit,
      boolean usageEstimated, boolean stream, int httpStatus, String classReason, java.util.Map<String, Integer> guardFindings,
      Efficiency efficiency) {
    this(id, startedAt, endedAt, keyName, attribution, provider, requestedModel, servedModel, tier, routeReason, usage, cost,
        status, errorCode, latencyMs, ttftMs, exceptionId, cacheHit, usageEstimated, stream, httpStatus, classReason,
        guardFindings, 0, efficiency);
  }

  /** A record without classification reason or guard findings. */
  public UsageRecord(String id, Instant startedAt, Instant endedAt, String keyName, Attribution attribution, String provider,
      String requestedModel, String servedModel, String tier, String routeReason, TokenUsage usage, Money cost,
      RequestStatus status, String errorCode, long latencyMs, Long ttftMs, String exceptionId, boolean cacheHit,
      boolean usageEstimated, boolean stream, int httpStatus) {
    this(id, startedAt, endedAt, keyName, attribution, provider, requestedModel, servedModel, tier, routeReason, usage, cost,
        status, errorCode, latencyMs, ttftMs, exceptionId, cacheHit, usageEstimated, stream, httpStatus, null, null, 0, null);
  }

  /** Guard findings as {@code email=2,payment_card=1} (types and counts only, never values). */
  public String guardFindingsText() {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(guardFindings).forEach((k, v) -> {
      if (sb.length() > 0) sb.append(',');
      sb.append(k).append('=').append(v);
    });
    return sb.toString();
  }

  public static java.util.Map<String, Integer> parseGuardFindings(String text) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    if (text == null || text.isBlank()) return out;
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) out.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
    }
    return out;
  }
}
