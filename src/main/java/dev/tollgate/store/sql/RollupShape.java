package dev.tollgate.store.sql;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One rollup table: ledger sums per UTC bucket of {@code bucketSeconds} and per value of a fixed set
 * of dimension columns. A query that groups and filters only on those dimensions, whose bounds fall on
 * bucket starts and whose time granule (see {@link TimeBuckets}) is a whole number of buckets, gets
 * the same sums from the rollup as from the ledger, reading far fewer rows.
 *
 * <p>Rows are keyed by {@code (bucket_start_ns, dims_key)}: {@code dims_key} spells every dimension
 * value of the row, so that NULL (which a unique index treats as distinct from every other NULL, in
 * SQLite and PostgreSQL alike) and the empty string each get a key of their own.
 *
 * @param table the table name (a constant of ours, never user input)
 * @param bucketSeconds the bucket length in seconds, dividing 3,600
 * @param dimensions ledger column names the rollup keeps, in key order
 */
record RollupShape(String table, long bucketSeconds, List<String> dimensions) {

  static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** How each dimension column a rollup may keep is read from a ledger record. */
  private static final java.util.Map<String, Function<UsageRecord, String>> VALUE = java.util.Map.ofEntries(
      java.util.Map.entry("org", r -> attribution(r).org()),
      java.util.Map.entry("team", r -> attribution(r).team()),
      java.util.Map.entry("project", r -> attribution(r).project()),
      java.util.Map.entry("workflow", r -> attribution(r).workflow()),
      java.util.Map.entry("agent", r -> attribution(r).agent()),
      java.util.Map.entry("user_name", r -> attribution(r).user()),
      java.util.Map.entry("channel", r -> attribution(r).channel()),
      java.util.Map.entry("workload_class", r -> attribution(r).workloadClass()),
      java.util.Map.entry("key_name", UsageRecord::keyName),
      java.util.Map.entry("provider", UsageRecord::provider),
      java.util.Map.entry("requested_model", UsageRecord::requestedModel),
      java.util.Map.entry("served_model", UsageRecord::servedModel),
      java.util.Map.entry("tier", UsageRecord::tier),
      java.util.Map.entry("status", r -> r.status().wire()),
      java.util.Map.entry("route_reason", UsageRecord::routeReason));


  /**
   * Fifteen-minute buckets: every UTC offset in use today is a whole number of quarter hours
   * (Asia/Kathmandu +05:45, Asia/Kolkata +05:30), so local hours, days, weeks and months in any org
   * time zone are unions of buckets. Hour buckets would send those zones back to the ledger.
   */
  static final long BUCKET_SECONDS = 900;

  /** The month × team × model report and anything else that asks only for these: small. */
  static final RollupShape TEAM_MODEL = new RollupShape("usage_rollup_team_model", BUCKET_SECONDS,
      List.of("org", "team", "provider", "served_model", "tier", "status"));

  /**
   * The same sums per whole UTC hour (migration 36): about a quarter of the rows of {@link #TEAM_MODEL}
   * at ten million ledger rows, which is what brings the month × team × model report under a second
   * (docs/performance.md, "Reports at ten million ledger rows"). Local hours, days, weeks and months
   * of every zone whose offset is a whole number of hours (and whose DST changes fall on whole hours)
   * are unions of these buckets; zones such as Asia/Kolkata read the quarter-hour rollup instead.
   */
  static final RollupShape TEAM_MODEL_HOUR = new RollupShape("usage_rollup_team_model_hour", 3_600,
      TEAM_MODEL.dimensions());

  /** The attribution dimensions reports group by (chargeback's team × agent, top-N workflows…). */
  static final RollupShape ATTRIBUTION = new RollupShape("usage_rollup_attribution", BUCKET_SECONDS,
      List.of("org", "team", "project", "workflow", "agent", "channel", "workload_class", "key_name",
          "provider", "requested_model", "served_model", "tier", "status", "route_reason"));

  /**
   * Who spent, per whole UTC hour (migration 36.2): team, project, workflow, agent, workload class and
   * key, nothing else, for the console's top workflows and agents and chargeback's team × agent. A
   * few times smaller than {@link #ATTRIBUTION}, which keeps the model, channel, status and the rest
   * for the queries that ask for them.
   */
  static final RollupShape AGENT_HOUR = new RollupShape("usage_rollup_agent_hour", 3_600,
      List.of("org", "team", "project", "workflow", "agent", "workload_class", "key_name"));

  /**
   * Who spent, per person and whole UTC hour (migration 37.1): the only rollup with the user, for the
   * console's list of people on "My usage" and anything else grouped or filtered by user alone or with
   * the team. A query for one person's other dimensions reads the ledger through its user index (V37).
   */
  static final RollupShape USER_HOUR = new RollupShape("usage_rollup_user_hour", 3_600, List.of("org", "team", "user_name"));

  /**
   * Smallest first: a query reads the first one that can answer it, and the partial buckets at the
   * edges of its range from the next finer one (then the ledger).
   */
  static final List<RollupShape> ALL = List.of(TEAM_MODEL_HOUR, TEAM_MODEL, AGENT_HOUR, USER_HOUR, ATTRIBUTION);

  /** The rollups migration 32 made (and 32.1 filled): the ones {@link RollupBackfill} for 32.1 sums into. */
  static final List<RollupShape> FIRST_RELEASE = List.of(TEAM_MODEL, ATTRIBUTION);

  /** Summed columns, in table order; {@code requests} is the row count. */
  static final List<String> MEASURES = List.of("requests", "input_tokens", "cached_input_tokens",
      "cache_write_tokens", "output_tokens", "reasoning_tokens", "cost_nanos", "latency_ms");

  long bucketNanos() {
    return bucketSeconds * NANOS_PER_SECOND;
  }

  /** Whether every dimension the filter groups or filters on is one of this rollup's columns. */
  boolean coversDimensions(UsageFilter filter) {
    Set<String> named = new HashSet<>(filter.groupBy());
    named.addAll(filter.equals().keySet());
    for (String dimension : named) {
      String column = LedgerSql.column(dimension);
      if (column == null || !dimensions.contains(column)) return false;
    }
    return true;
  }

  /** The bucket a row falls in: floor of its start to the bucket length, in epoch nanos. */
  long bucketOf(UsageRecord row) {
    return Math.floorDiv(SqlValues.toNanos(row.startedAt()), bucketNanos()) * bucketNanos();
  }

  /** The row's value for a dimension column. */
  static String value(UsageRecord row, String column) {
    return VALUE.get(column).apply(row);
  }

  /** The key spelling of a row's dimension values; {@link #keySql} spells it the same way in SQL. */
  String keyOf(UsageRecord row) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < dimensions.size(); i++) {
      if (i > 0) key.append('|');
      String v = value(row, dimensions.get(i));
      if (v == null) key.append('~');
      else key.append('=').append(v.replace("\\", "\\\\").replace("|", "\\|"));
    }
    return key.toString();
  }

  /**
   * SQL computing {@link #keyOf} from a ledger row's columns: NULL is {@code ~}, a value is {@code =}
   * then the value with backslash and bar escaped, joined by bars. The escaping makes it one-to-one.
   */
  String keySql() {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < dimensions.size(); i++) {
      if (i > 0) sql.append(" || '|' || ");
      String c = dimensions.get(i);
      sql.append("COALESCE('=' || REPLACE(REPLACE(").append(c).append(", '\\', '\\\\'), '|', '\\|'), '~')");
    }
    return sql.toString();
  }

  private static Attribution attribution(UsageRecord r) {
    return r.attribution() == null ? Attribution.EMPTY : r.attribution();
  }

  RollupShape {
    if (3_600 % bucketSeconds != 0) throw new IllegalArgumentException("bucket must divide an hour: " + bucketSeconds);
    for (String d : dimensions) {
      if (!VALUE.containsKey(d)) throw new IllegalArgumentException("no rollup value for ledger column " + d);
    }
    dimensions = List.copyOf(dimensions);
  }
}
