package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.time.Instant;

/** The part of a ledger row the efficiency reports read. */
public record LedgerFacts(
    String id, Instant startedAt, String key, String team, String workflow, String agent, String user,
    String workloadClass, String provider, String requestedModel, String servedModel, String routeReason, String status,
    TokenUsage usage, Money cost, boolean cacheHit, Money costSaved, String promptHash, String prefixHash, Long maxTokens,
    String template) {

  public boolean ok() {
    return "ok".equals(status);
  }

  public boolean error() {
    return "error".equals(status);
  }

  /** A call that reached a provider and was answered (not a cache hit, not refused). */
  public boolean servedUpstream() {
    return ok() && !cacheHit;
  }
}
