package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of ledger queries that come from a {@link UsageFilter}. Dimension names are looked up in
 * a fixed table of columns, never pasted into SQL; filter values and tag keys are always bound.
 */
final class LedgerSql {

  /** A piece of SQL and the values its placeholders take, in order. */
  record Fragment(String sql, List<Object> binds) {}

  private static final Map<String, String> COLUMNS = columns();

  private LedgerSql() {}

  private static Map<String, String> columns() {
    Map<String, String> columns = new LinkedHashMap<>();
    for (String dimension : UsageFilter.DIMENSIONS) {
      columns.put(dimension, switch (dimension) {
        case "user" -> "user_name";
        case "key" -> "key_name";
        case "model" -> "served_model";
        default -> dimension;
      });
    }
    return Map.copyOf(columns);
  }

  /** The column for a plain dimension, or null if the name is not one. */
  static String column(String dimension) {
    return COLUMNS.get(dimension);
  }

  /** Refuses a dimension that is neither in {@link UsageFilter#DIMENSIONS} nor {@code tag:<key>}. */
  static void checkDimension(String dimension) {
    if (dimension != null && COLUMNS.containsKey(dimension)) return;
    if (dimension != null && dimension.startsWith("tag:") && dimension.length() > 4) return;
    throw new IllegalArgumentException("unknown dimension '" + dimension + "'; allowed: "
        + String.join(", ", UsageFilter.DIMENSIONS) + ", or tag:<key>");
  }

  /** The SQL expression for a dimension's value; a missing tag reads as NULL. */
  static Fragment dimension(Dialect dialect, String dimension) {
    checkDimension(dimension);
    String column = COLUMNS.get(dimension);
    if (column != null) return new Fragment(column, List.of());
    String tagKey = dimension.substring(4);
    return switch (dialect) {
      case SQLITE -> new Fragment("(SELECT value FROM json_each(ledger.tags) WHERE key = ?)", List.of(tagKey));
      case POSTGRESQL -> new Fragment("(tags ->> CAST(? AS text))", List.of(tagKey));
    };
  }

  /** {@code WHERE …} for the filter's time range and equality filters, or an empty fragment. */
  static Fragment where(Dialect dialect, UsageFilter filter) {
    return where(dialect, filter, "started_at_ns");
  }

  /** As {@link #where(Dialect, UsageFilter)}, bounding {@code timeColumn} (a rollup's bucket start). */
  static Fragment where(Dialect dialect, UsageFilter filter, String timeColumn) {
    List<String> conditions = new ArrayList<>();
    List<Object> binds = new ArrayList<>();
    if (filter.from() != null) {
      conditions.add(timeColumn + " >= ?");
      binds.add(saturatedNanos(filter.from()));
    }
    if (filter.to() != null) {
      conditions.add(timeColumn + " < ?");
      binds.add(saturatedNanos(filter.to()));
    }
    // Sorted, so equal filters give identical SQL text (statement caches like that).
    for (String name : filter.equals().keySet().stream().sorted().toList()) {
      Fragment expression = dimension(dialect, name);
      conditions.add(expression.sql() + " = ?");
      binds.addAll(expression.binds());
      binds.add(filter.equals().get(name));
    }
    if (conditions.isEmpty()) return new Fragment("", List.of());
    return new Fragment(" WHERE " + String.join(" AND ", conditions), binds);
  }

  /** Checks every dimension a filter names before any SQL is built. */
  static void checkDimensions(UsageFilter filter) {
    filter.equals().keySet().forEach(LedgerSql::checkDimension);
    filter.groupBy().forEach(LedgerSql::checkDimension);
  }

  /** Epoch nanos, clamped to what a long holds: a bound before 1677 or after 2262 still works. */
  private static long saturatedNanos(Instant instant) {
    if (instant.isBefore(SqlValues.fromNanos(Long.MIN_VALUE))) return Long.MIN_VALUE;
    if (instant.isAfter(SqlValues.fromNanos(Long.MAX_VALUE))) return Long.MAX_VALUE;
    return SqlValues.toNanos(instant);
  }
}
