package dev.tollgate.domain.usage;

import dev.tollgate.domain.money.Money;
import java.time.Instant;
import java.util.Map;

/** One row of an aggregation: the group's dimension values, its bucket start (or null) and its sums. */
public record UsageAggregate(
    Map<String, String> group,
    Instant bucketStart,
    long requests,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens,
    long reasoningTokens,
    Money cost) {}
