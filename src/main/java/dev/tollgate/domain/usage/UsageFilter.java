package dev.tollgate.domain.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * What to aggregate: rows with {@code from <= started_at < to}, matching every equality filter
 * (dimension name → value; dimension names as in {@link dev.tollgate.domain.attribution.Attribution#dimension},
 * plus {@code key}, {@code provider}, {@code requested_model}, {@code served_model}, {@code model} (= served),
 * {@code tier}, {@code status}), grouped by the named dimensions and, if {@code granularity} is not null,
 * by time bucket in {@code zone}.
 */
public record UsageFilter(
    Instant from,
    Instant to,
    Map<String, String> equals,
    List<String> groupBy,
    Granularity granularity,
    ZoneId zone) {

  public UsageFilter {
    equals = equals == null ? Map.of() : Map.copyOf(equals);
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    zone = zone == null ? ZoneId.of("UTC") : zone;
  }

  public enum Granularity { HOUR, DAY, WEEK, MONTH }

  /** Dimension names that may be grouped or filtered on (besides {@code tag:<key>}). */
  public static final List<String> DIMENSIONS = List.of(
      "org", "team", "project", "workflow", "agent", "user", "channel", "conversation", "workload_class",
      "key", "provider", "requested_model", "served_model", "model", "tier", "status", "error_code", "route_reason",
      "class_reason", "exception_id");
}
