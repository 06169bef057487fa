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
    String note) {}
