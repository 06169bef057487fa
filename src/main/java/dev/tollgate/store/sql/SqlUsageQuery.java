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

  /** One part of a query's time range and where its rows are summed from. */
  private record Piece(Source source, UsageFilter filter) {}

  /** The parts a query reads and the granule it sums by (null without granularity, or when no row can match). */
  private record Plan(List<Piece> pieces, Long granuleNanos) {}

  /**
   * What {@link #aggregate} reads for this filter: {@code ledger}, a rollup's name, or a rollup's name
   * and {@code +ledger} when the bounds cut through buckets (the whole buckets come from the rollup,
   * the minutes before the first and after the last from the ledger).
   */
  public String sourceFor(UsageFilter filter) {
    LedgerSql.checkDimensions(filter);
    try (Connection connection = dataSource.getConnection()) {
      List<String> tables = new ArrayList<>();
      for (Piece piece : plan(connection, filter).pieces()) {
        if (!tables.contains(piece.source().table())) tables.add(piece.source().table());
      }
      tables.sort(java.util.Comparator.comparing(table -> table.equals(Source.LEDGER.table())));
      return tables.isEmpty() ? Source.LEDGER.table() : String.join("+", tables);
    } catch (SQLException e) {
      throw new IllegalStateException("usage query failed: " + e.getMessage(), e);
    }
  }

  /**
   * A rollup is read when it keeps every dimension the filter groups or filters on and each time
   * granule is a whole number of its buckets; bounds inside a bucket leave a few minutes at either
   * end to the ledger, whose time index finds them quickly.
   */
  private Plan plan(Connection connection, UsageFilter filter) throws SQLException {
    for (RollupShape shape : rollups) {
      if (!shape.coversDimensions(filter)) continue;
      Instant innerFrom = filter.from() == null ? null : bucketCeiling(filter.from(), shape);
      Instant innerTo = filter.to() == null ? null : bucketFloor(filter.to(), shape);
      if (innerFrom != null && innerTo != null && !innerFrom.isBefore(innerTo)) break; // not one whole bucket
      Source rollup = Source.of(shape);
      Long granule = null;
      if (filter.granularity() != null) {
        // The rollup's buckets that hold any row of the range: the ledger's rows in it are all there.
        UsageFilter widened = withRange(filter, filter.from() == null ? null : bucketFloor(filter.from(), shape),
            filter.to() == null ? null : bucketCeiling(filter.to(), shape));
        granule = granuleNanos(connection, widened, rollup);
        // A granule finer than a bucket (a zone offset by odd minutes): only the ledger is exact.
        // (No granule: no row matches, in the rollup or the ledger.)
        if (granule != null && granule % shape.bucketNanos() != 0) {
          return new Plan(List.of(new Piece(Source.LEDGER, filter)), granule);
        }
      }
      List<Piece> pieces = new ArrayList<>();
      if (innerFrom != null && !innerFrom.equals(filter.from())) {
        pieces.add(new Piece(Source.LEDGER, withRange(filter, filter.from(), innerFrom)));
      }
      pieces.add(new Piece(rollup, withRange(filter, innerFrom, innerTo)));
      if (innerTo != null && !innerTo.equals(filter.to())) {
        pieces.add(new Piece(Source.LEDGER, withRange(filter, innerTo, filter.to())));
      }
      return new Plan(pieces, granule);
    }
    Long granule = filter.granularity() == null ? null : granuleNanos(connection, filter, Source.LEDGER);
    return new Plan(List.of(new Piece(Source.LEDGER, filter)), granule);
  }

  private static UsageFilter withRange(UsageFilter f, Instant from, Instant to) {
    return new UsageFilter(from, to, f.equals(), f.groupBy(), f.granularity(), f.zone());
  }

  private static Instant bucketFloor(Instant t, RollupShape shape) {
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), shape.bucketSeconds()) * shape.bucketSeconds());
  }

  private static Instant bucketCeiling(Instant t, RollupShape shape) {
    Instant floor = bucketFloor(t, shape);
    return floor.equals(t) ? t : floor.plusSeconds(shape.bucketSeconds());
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
      Map<GroupKey, long[]> sums = new LinkedHashMap<>();
      for (Piece piece : plan.pieces()) sum(connection, piece.filter(), piece.source(), plan.granuleNanos(), sums);
      return sums.entrySet().stream()
          .sorted(Map.Entry.comparingByKey(GroupKey.ORDER))
          .map(e -> toAggregate(filter.groupBy(), e.getKey(), e.getValue()))
          .toList();
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

  /** Adds the sums of one piece into {@code sums}, by group and bucket. */
  private void sum(Connection connection, UsageFilter filter, Source source, Long granuleNanos,
      Map<GroupKey, long[]> sums) throws SQLException {
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
