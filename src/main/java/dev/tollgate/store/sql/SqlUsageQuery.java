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
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Reads the ledger back from SQL: sums grouped by any dimension and by calendar bucket in any time
 * zone, and the newest rows themselves.
 *
 * <p>Sums run in SQL, grouped by the dimensions and, when a granularity is asked for, by time: with
 * both bounds and a bounded number of buckets, SQL sums straight into the local hours, days, weeks or
 * months (the instants where each one's rows begin come from {@link TimeBuckets#changes}); otherwise
 * by a fixed run of epoch time (a "granule") that no bucket boundary of the zone cuts through, which
 * Java then adds into buckets. {@link TimeBuckets} explains why that is exact for every zone,
 * including ones offset by half or quarter hours. Costs are summed as whole nano-dollars, exactly.
 *
 * <p>Where a rollup ({@link RollupShape}) keeps every dimension a query names and no bucket boundary
 * cuts its buckets, the sums come from the rollup instead of the ledger: the same figures, from far
 * fewer rows; partial buckets at the range's edges come from a finer rollup, then the ledger.
 * {@link #ledgerOnly} always reads the ledger, and always folds granules in Java.
 *
 * <p>Results come ordered by bucket start, then by the group values in {@code groupBy} order (nulls
 * first). Groups with no rows do not appear: a filter that matches nothing gives an empty list.
 */
public final class SqlUsageQuery implements UsageQuery {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** Past this, a filter's bounds (say 1900 to 9999) say little; the rows' own span is cheaper to walk. */
  private static final Duration MAX_BOUNDED_SPAN = Duration.ofDays(3_660);
  /**
   * Calendar buckets up to which SQL sums into the buckets themselves (a CASE over their starts,
   * searched by halves); past this, per granule. 1,000 covers hours over a month and days over years.
   */
  private static final int MAX_FOLDED_BUCKETS = 1_000;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final List<RollupShape> rollups;
  private final boolean foldInSql;

  /** Reads a rollup wherever one can answer a query exactly, else the ledger. */
  public SqlUsageQuery(Database database) {
    this(database, RollupShape.ALL, true);
  }

  private SqlUsageQuery(Database database, List<RollupShape> rollups, boolean foldInSql) {
    this.dataSource = database.dataSource();
    this.dialect = database.dialect();
    this.rollups = rollups;
    this.foldInSql = foldInSql;
  }

  /**
   * Always sums the ledger itself, per granule folded into buckets in Java: for checking the rollups
   * and the folding in SQL against a path that shares neither, and for timing both.
   */
  public static SqlUsageQuery ledgerOnly(Database database) {
    return new SqlUsageQuery(database, List.of(), false);
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

  /**
   * The parts a query reads and how it groups by time: not at all (no granularity), by the calendar
   * buckets themselves folded in SQL ({@code changes}: where each bucket's rows begin), or by a
   * granule that Java folds into buckets ({@code granuleNanos}).
   */
  private record Plan(List<Piece> pieces, Long granuleNanos, List<Instant> changes) {
    static final Plan NO_ROWS = new Plan(List.of(), null, null);
  }

  /**
   * What {@link #aggregate} reads for this filter: {@code ledger}, a rollup's name, or several joined
   * by {@code +} when the bounds cut through buckets (the whole hours from the hourly rollup, the
   * quarter hours at either end from the quarter-hour one, the minutes before the first and after
   * the last from the ledger).
   */
  public String sourceFor(UsageFilter filter) {
    LedgerSql.checkDimensions(filter);
    try (Connection connection = dataSource.getConnection()) {
      List<String> tables = new ArrayList<>();
      for (Piece piece : plan(connection, filter).pieces()) {
        if (!tables.contains(piece.source().table())) tables.add(piece.source().table());
      }
      List<String> order = new ArrayList<>(rollups.stream().map(RollupShape::table).toList());
      order.add(Source.LEDGER.table());
      tables.sort(Comparator.comparingInt(order::indexOf));
      return tables.isEmpty() ? Source.LEDGER.table() : String.join("+", tables);
    } catch (SQLException e) {
      throw new IllegalStateException("usage query failed: " + e.getMessage(), e);
    }
  }

  /**
   * A rollup is read when it keeps every dimension the filter groups or filters on and no calendar
   * bucket boundary falls inside one of its buckets; bounds inside a bucket leave the partial
   * buckets at either end to the next finer rollup and, below that, to the ledger, whose time index
   * finds their rows quickly.
   *
   * <p>With both bounds and at most {@link #MAX_FOLDED_BUCKETS} calendar buckets between them, SQL
   * sums straight into the calendar buckets (a month report returns one row per group, not one per
   * hour and group for Java to add up). Otherwise SQL sums per granule and Java folds.
   */
  private Plan plan(Connection connection, UsageFilter filter) throws SQLException {
    List<RollupShape> covering = rollups.stream().filter(shape -> shape.coversDimensions(filter)).toList();
    List<Piece> pieces = new ArrayList<>();
    if (filter.granularity() == null) {
      pieces(filter, filter.from(), filter.to(), covering, shape -> true, pieces);
      return new Plan(pieces, null, null);
    }
    boolean bounded = filter.from() != null && filter.to() != null
        && !filter.from().isBefore(SqlValues.fromNanos(Long.MIN_VALUE))
        && !filter.to().isAfter(SqlValues.fromNanos(Long.MAX_VALUE));
    List<Instant> changes = foldInSql && bounded
        ? TimeBuckets.changes(filter.from(), filter.to(), filter.zone(), filter.granularity(), MAX_FOLDED_BUCKETS)
        : null;
    if (changes != null) {
      List<Instant> inner = changes.subList(1, changes.size());
      pieces(filter, filter.from(), filter.to(), covering,
          shape -> inner.stream().allMatch(c -> c.getNano() == 0 && c.getEpochSecond() % shape.bucketSeconds() == 0),
          pieces);
      return new Plan(pieces, null, changes);
    }
    // The span of rows comes from the coarsest rollup that keeps the dimensions (its buckets that hold
    // any row of the range hold all the ledger's rows in it), else from the ledger.
    Long granule;
    if (covering.isEmpty()) {
      granule = granuleNanos(connection, filter, Source.LEDGER);
    } else {
      RollupShape coarsest = covering.get(0);
      UsageFilter widened = withRange(filter, filter.from() == null ? null : bucketFloor(filter.from(), coarsest),
          filter.to() == null ? null : bucketCeiling(filter.to(), coarsest));
      granule = granuleNanos(connection, widened, Source.of(coarsest));
    }
    if (granule == null) return Plan.NO_ROWS;
    // A granule finer than a rollup's bucket (a zone offset by odd minutes): that rollup is not exact.
    pieces(filter, filter.from(), filter.to(), covering, shape -> granule % shape.bucketNanos() == 0, pieces);
    return new Plan(pieces, granule, null);
  }

  /**
   * Adds the pieces that read {@code [from, to)}: the whole buckets of the first usable rollup, the
   * partial ones at either end from finer rollups (recursively), else the ledger.
   */
  private static void pieces(UsageFilter filter, Instant from, Instant to, List<RollupShape> shapes,
      Predicate<RollupShape> usable, List<Piece> out) {
    for (int i = 0; i < shapes.size(); i++) {
      RollupShape shape = shapes.get(i);
      if (!usable.test(shape)) continue;
      Instant innerFrom = from == null ? null : bucketCeiling(from, shape);
      Instant innerTo = to == null ? null : bucketFloor(to, shape);
      if (innerFrom != null && innerTo != null && !innerFrom.isBefore(innerTo)) continue; // not one whole bucket
      List<RollupShape> finer = shapes.subList(i + 1, shapes.size()).stream()
          .filter(other -> other.bucketSeconds() < shape.bucketSeconds()).toList();
      if (innerFrom != null && !innerFrom.equals(from)) pieces(filter, from, innerFrom, finer, usable, out);
      out.add(new Piece(Source.of(shape), withRange(filter, innerFrom, innerTo)));
      if (innerTo != null && !innerTo.equals(to)) pieces(filter, innerTo, to, finer, usable, out);
      return;
    }
    out.add(new Piece(Source.LEDGER, withRange(filter, from, to)));
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
      Map<GroupKey, long[]> sums = new LinkedHashMap<>();
      for (Piece piece : plan.pieces()) sum(connection, piece.filter(), piece.source(), plan, sums);
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
  private void sum(Connection connection, UsageFilter filter, Source source, Plan plan,
      Map<GroupKey, long[]> sums) throws SQLException {
    String time = source.timeColumn();
    List<String> select = new ArrayList<>();
    List<Object> binds = new ArrayList<>();
    for (String dimension : filter.groupBy()) {
      LedgerSql.Fragment expression = LedgerSql.dimension(dialect, dimension);
      select.add(expression.sql());
      binds.addAll(expression.binds());
    }
    Long granuleNanos = plan.granuleNanos();
    List<Instant> changes = plan.changes();
    if (granuleNanos != null) {
      // Floor division, also for (unlikely) instants before 1970: SQL's integer division truncates.
      select.add("CASE WHEN " + time + " >= 0 THEN " + time + " / ? ELSE (" + time + " + 1) / ? - 1 END");
      binds.add(granuleNanos);
      binds.add(granuleNanos);
    } else if (changes != null && changes.size() > 1) {
      select.add(bucketIndexSql(time, changes, 0, changes.size() - 1, binds));
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
        } else if (changes != null) {
          int index = changes.size() > 1 ? rs.getInt(dimensions + 1) : 0;
          bucket = TimeBuckets.bucketStart(changes.get(index), filter.zone(), filter.granularity());
        }
        long[] total = sums.computeIfAbsent(new GroupKey(Arrays.asList(values), bucket), k -> new long[6]);
        for (int i = 0; i < 6; i++) total[i] = Math.addExact(total[i], rs.getLong(groupColumns + 1 + i));
      }
    }
  }

  /**
   * SQL giving the index of the last change at or before {@code time}, for changes {@code lo..hi}:
   * nested CASEs that halve the range, so a row takes about log2(buckets) comparisons.
   */
  private static String bucketIndexSql(String time, List<Instant> changes, int lo, int hi, List<Object> binds) {
    if (lo == hi) return Integer.toString(lo);
    int mid = (lo + hi + 1) / 2;
    binds.add(SqlValues.toNanos(changes.get(mid)));
    String below = bucketIndexSql(time, changes, lo, mid - 1, binds);
    String atOrAbove = bucketIndexSql(time, changes, mid, hi, binds);
    return "CASE WHEN " + time + " < ? THEN " + below + " ELSE " + atOrAbove + " END";
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
