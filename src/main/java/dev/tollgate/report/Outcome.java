package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.time.Instant;

/**
 * A business result that AI work contributed to — tickets resolved, deals closed — recorded so
 * that cost can be set against it: cost per outcome, ROI per workflow.
 *
 * @param count how many of {@code type} happened (at least 1)
 * @param value what they were worth in total, in USD (zero when unknown)
 * @param at when they happened
 * @param recordedAt when Tollgate was told
 * @param user the user of the request that reported it ({@code X-Tollgate-Outcome}), or null
 * @param key the virtual key of that request, or null
 * @param requestId the request it came with, or null when it was posted to the admin API
 */
public record Outcome(
    String id,
    String type,
    long count,
    Money value,
    String workflow,
    String agent,
    String team,
    Instant at,
    Instant recordedAt,
    String note,
    String user,
    String key,
    String requestId) {

  /** An outcome posted to the admin API: no request, user or key. */
  public Outcome(String id, String type, long count, Money value, String workflow, String agent, String team, Instant at,
      Instant recordedAt, String note) {
    this(id, type, count, value, workflow, agent, team, at, recordedAt, note, null, null, null);
  }
}
