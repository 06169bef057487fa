package dev.tollgate.domain.usage;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import java.time.Instant;

/**
 * One ledger row: everything Tollgate knows about one request once it has ended, whether it was
 * served, blocked or failed. Field names follow the ledger fields of the public contract.
 *
 * @param keyName the virtual key's name (never its secret); null when authentication failed
 * @param usageEstimated true when the tokens were counted by the gateway (a stream that broke before
 *     its usage arrived, or a client that went away) rather than reported by the provider
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
    int httpStatus) {

  public UsageRecord {
    if (attribution == null) attribution = Attribution.EMPTY;
    if (usage == null) usage = TokenUsage.NONE;
    if (cost == null) cost = Money.ZERO;
  }
}
