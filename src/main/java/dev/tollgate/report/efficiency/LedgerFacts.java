package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.time.Instant;

/**
 * The part of a ledger row the efficiency, counterfactual and adoption reports read.
 *
 * @param tier the tier of the model that served the row (null when none did)
 * @param guardFindings the guard's findings as the ledger keeps them ({@code email=2}), or null
 * @param stream whether the client asked for a streamed answer
 * @param conversation the conversation the request belongs to, or null
 */
public record LedgerFacts(
    String id, Instant startedAt, String key, String team, String workflow, String agent, String user,
    String workloadClass, String provider, String requestedModel, String servedModel, String routeReason, String status,
    TokenUsage usage, Money cost, boolean cacheHit, Money costSaved, String promptHash, String prefixHash, Long maxTokens,
    String template, String tier, String guardFindings, boolean stream, String conversation) {

  /** A row without tier, guard findings, stream or conversation (what the efficiency reports need). */
  public LedgerFacts(String id, Instant startedAt, String key, String team, String workflow, String agent, String user,
      String workloadClass, String provider, String requestedModel, String servedModel, String routeReason, String status,
      TokenUsage usage, Money cost, boolean cacheHit, Money costSaved, String promptHash, String prefixHash, Long maxTokens,
      String template) {
    this(id, startedAt, key, team, workflow, agent, user, workloadClass, provider, requestedModel, servedModel, routeReason,
        status, usage, cost, cacheHit, costSaved, promptHash, prefixHash, maxTokens, template, null, null, false, null);
  }

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

  /** Whether the guard found anything in the prompt. */
  public boolean hadFindings() {
    return guardFindings != null && !guardFindings.isBlank();
  }
}
