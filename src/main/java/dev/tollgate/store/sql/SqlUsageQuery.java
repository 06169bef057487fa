package dev.tollgate.store.sql;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads the ledger back from SQL: sums grouped by any dimension and by calendar bucket in any time
 * zone, and the newest rows themselves.
 *
 * <p>Sums run in SQL, grouped by the dimensions and, when a granularity is asked for, by a fixed
 * run of epoch time (a "granule") that no bucket boundary of the zone cuts through; Java then adds
 * granules into their local hour, day, week or month. {@link TimeBuckets} explains why that is exact
 * for every zone, including ones offset by half or quarter hours. Costs are summed as whole
 * nano-dollars, exactly.
 *
 * <p>Where a rollup ({@link RollupShape}) keeps every dimension a query names and its bounds and
 * granules are whole buckets, the sums come from the rollup instead of the ledger: the same figures,
 * from far fewer rows. {@link #ledgerOnly} always reads the ledger.
 *
 * <p>Results come ordered by bucket start, then by the group values in {@code groupBy} order (nulls
 * first). Groups with no rows do not appear: a filter that matches nothing gives an empty list.
 */
public final class SqlUsageQuery implements UsageQuery {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** Past this, a filter's bounds (say 1900 to 9999) say little; the rows' own span is cheaper to walk. */
  private static final Duration MAX_BOUNDED_SPAN = Duration.ofDays(3_660);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final List<RollupShape> rollups;

  /** Reads a rollup wherever one can answer a query exactly, else the ledger. */
  public SqlUsageQuery(Database database) {
    this(database, RollupShape.ALL);
  }

  private SqlUsageQuery(Database database, List<RollupShape> rollups) {
    this.dataSource = database.dataSource();
    this.dialect = database.dialect();
    this.rollups = rollups;
  }

  /** Always sums the ledger itself: for checking that the rollups agree with it, and for timing both. */
  public static SqlUsageQuery ledgerOnly(Database database) {
    return new SqlUsageQuery(database, List.of());
  }

  /** Where sums come from: the ledger's rows, or a rollup's buckets. */
  private record Source(String table, String timeColumn, String requests, long timeStepNanos) {
    static final Source LEDGER = new Source("ledger", "started_at_ns", "COUNT(*)", 1);

    static Source of(RollupShape shape) {
      return new Source(shape.table(), "bucket_start_ns", "SUM(requests)", shape.bucketNanos());
    }
  }

  /** The source a query reads and the granule it sums by (null without granularity), or null when no row can match. */
  private record Plan(Source source, Long granuleNanos) {}

  /**
   * The table {@link #aggregate} reads for this filter: {@code ledger} or a rollup's name. A rollup
   * is read when it keeps every dimension the filter groups or filters on, the bounds fall on its
   * bucket starts, and each time granule is a whole number of its buckets.
   */
  public String sourceFor(UsageFilter filter) {
    LedgerSql.checkDimensions(filter);
    try (Connection connection = dataSource.getConnection()) {
      Plan plan = plan(connection, filter);
      return plan == null ? Source.LEDGER.table() : plan.source().table();
    } catch (SQLException e) {
      throw new IllegalStateException("usage query failed: " + e.getMessage(), e);
    }
  }

  private Plan plan(Connection connection, UsageFilter filter) throws SQLException {
    for (RollupShape shape : rollups) {
      if (!shape.coversDimensions(filter) || !onBucketStart(filter.from(), shape) || !onBucketStart(filter.to(), shape)) {
        continue;
      }
      Source rollup = Source.of(shape);
      if (filter.granularity() == null) return new Plan(rollup, null);
      Long granule = granuleNanos(connection, filter, rollup);
      // No row: the ledger has none either, both read empty.
      if (granule == null || granule % shape.bucketNanos() == 0) return new Plan(rollup, granule);
      // A granule finer than a bucket (a zone offset by odd minutes): only the ledger is exact.
      return new Plan(Source.LEDGER, granule);
    }
    Long granule = filter.granularity() == null ? null : granuleNanos(connection, filter, Source.LEDGER);
    return new Plan(Source.LEDGER, granule);
  }

  private static boolean onBucketStart(Instant bound, RollupShape shape) {
    return bound == null || (bound.getNano() == 0 && Math.floorMod(bound.getEpochSecond(), shape.bucketSeconds()) == 0);
  }

  private Long granuleNanos(Connection connection, UsageFilter filter, Source source) throws SQLException {
    Instant[] range = dataRange(connection, filter, source);
    if (range == null) return null;
    return NANOS_PER_SECOND * TimeBuckets.granuleSeconds(filter.zone(), filter.granularity(), range[0], range[1]);
  }

  /**
   * @throws IllegalArgumentException if the filter names an unknown dimension
   * @throws IllegalStateException if the database fails
   */
  @Override
  public List<UsageAggregate> aggregate(UsageFilter filter) {
    LedgerSql.checkDimensions(filter);
    try (Connection connection = dataSource.getConnection()) {
      Plan plan = plan(connection, filter);
      if (filter.granularity() != null && plan.granuleNanos() == null) return List.of();
      return sum(connection, filter, plan.source(), plan.granuleNanos());
    } catch (SQLException e) {
      throw new IllegalStateException("usage query failed: " + e.getMessage(), e);
    }
  }

  /**
   * The span of time the rows may cover, for finding the zone's offsets over it: any span when the
   * zone never changes offset, the filter's own bounds when it has both and they are at most
   * {@link #MAX_BOUNDED_SPAN} apart, else the matching rows' first and last start; null when no row
   * matches. A rollup gives its buckets' span, a little wider than its rows': that only ever makes
   * the granule finer, never wrong.
   */
  private Instant[] dataRange(Connection connection, UsageFilter filter, Source source) throws SQLException {
    if (filter.zone().getRules().isFixedOffset()) return new Instant[] {Instant.EPOCH, Instant.EPOCH};
    if (filter.from() != null && filter.to() != null
        && Duration.between(filter.from(), filter.to()).compareTo(MAX_BOUNDED_SPAN) <= 0) {
      return new Instant[] {filter.from(), filter.to()};
    }
    LedgerSql.Fragment where = LedgerSql.where(dialect, filter, source.timeColumn());
    String sql = "SELECT MIN(" + source.timeColumn() + "), MAX(" + source.timeColumn() + ") FROM " + source.table()
        + where.sql();
    try (PreparedStatement ps = prepare(connection, sql, where.binds()); ResultSet rs = ps.executeQuery()) {
      rs.next();
      long first = rs.getLong(1);
      if (rs.wasNull()) return null;
      long last = rs.getLong(2) + (source.timeStepNanos() - 1);
      return new Instant[] {SqlValues.fromNanos(first), SqlValues.fromNanos(last)};
    }
  }

  private List<UsageAggregate> sum(Connection connection, UsageFilter filter, Source source, Long granuleNanos)
      throws SQLException {
    String time = source.timeColumn();
    List<String> select = new ArrayList<>();
    List<Object> binds = new ArrayList<>();
    for (String dimension : filter.groupBy()) {
      LedgerSql.Fragment expression = LedgerSql.dimension(dialect, dimension);
      select.add(expression.sql());
      binds.addAll(expression.binds());
    }
    if (granuleNanos != null) {
      // Floor division, also for (unlikely) instants before 1970: SQL's integer division truncates.
      select.add("CASE WHEN " + time + " >= 0 THEN " + time + " / ? ELSE (" + time + " + 1) / ? - 1 END");
      binds.add(granuleNanos);
      binds.add(granuleNanos);
    }
    int groupColumns = select.size();
    select.addAll(List.of(source.requests(), "SUM(input_tokens)", "SUM(cached_input_tokens)", "SUM(output_tokens)",
        "SUM(reasoning_tokens)", "SUM(cost_nanos)"));
    LedgerSql.Fragment where = LedgerSql.where(dialect, filter, time);
    binds.addAll(where.binds());
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select))
        .append(" FROM ").append(source.table()).append(where.sql());
    if (groupColumns > 0) {
      sql.append(" GROUP BY ");
      for (int i = 1; i <= groupColumns; i++) sql.append(i == 1 ? "" : ", ").append(i);
    }

    Map<GroupKey, long[]> sums = new LinkedHashMap<>();
    int dimensions = filter.groupBy().size();
    try (PreparedStatement ps = prepare(connection, sql.toString(), binds); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long requests = rs.getLong(groupColumns + 1);
        if (requests == 0) continue;
        String[] values = new String[dimensions];
        for (int i = 0; i < dimensions; i++) values[i] = rs.getString(i + 1);
        Instant bucket = null;
        if (granuleNanos != null) {
          Instant granuleStart = SqlValues.fromNanos(rs.getLong(dimensions + 1) * granuleNanos);
          bucket = TimeBuckets.bucketStart(granuleStart, filter.zone(), filter.granularity());
        }
        long[] total = sums.computeIfAbsent(new GroupKey(Arrays.asList(values), bucket), k -> new long[6]);
        for (int i = 0; i < 6; i++) total[i] = Math.addExact(total[i], rs.getLong(groupColumns + 1 + i));
      }
    }
    return sums.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(GroupKey.ORDER))
        .map(e -> toAggregate(filter.groupBy(), e.getKey(), e.getValue()))
        .toList();
  }

  private static UsageAggregate toAggregate(List<String> groupBy, GroupKey key, long[] sums) {
    Map<String, String> group = new LinkedHashMap<>();
    for (int i = 0; i < groupBy.size(); i++) group.put(groupBy.get(i), key.values().get(i));
    return new UsageAggregate(Collections.unmodifiableMap(group), key.bucket(),
        sums[0], sums[1], sums[2], sums[3], sums[4], Money.ofNanos(sums[5]));
  }

  /** One group: its dimension values (nulls allowed) and bucket start (null without granularity). */
  private record GroupKey(List<String> values, Instant bucket) {
    static final Comparator<GroupKey> ORDER = Comparator
        .comparing(GroupKey::bucket, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
        .thenComparing(GroupKey::values, GroupKey::compareValues);

    private static int compareValues(List<String> a, List<String> b) {
      Comparator<String> byValue = Comparator.nullsFirst(Comparator.naturalOrder());
      for (int i = 0; i < a.size(); i++) {
        int c = byValue.compare(a.get(i), b.get(i));
        if (c != 0) return c;
      }
      return 0;
    }
  }

  /**
   * Rows matching the filter's time range and equality filters, newest first; its grouping and
   * granularity are ignored.
   */
  @Override
  public List<UsageRecord> recent(UsageFilter filter, int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit must not be negative, got " + limit);
    LedgerSql.checkDimensions(filter);
    if (limit == 0) return List.of();
    LedgerSql.Fragment where = LedgerSql.where(dialect, filter);
    String sql = "SELECT " + LedgerRows.selectColumns() + " FROM ledger" + where.sql()
        + " ORDER BY started_at_ns DESC, id DESC LIMIT ?";
    List<Object> binds = new ArrayList<>(where.binds());
    binds.add(limit);
    List<UsageRecord> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ps = prepare(connection, sql, binds);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) rows.add(LedgerRows.read(rs));
    } catch (SQLException e) {
      throw new IllegalStateException("ledger query failed: " + e.getMessage(), e);
    }
    return rows;
  }

  private static PreparedStatement prepare(Connection connection, String sql, List<Object> binds)
      throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < binds.size(); i++) ps.setObject(i + 1, binds.get(i));
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }
}
