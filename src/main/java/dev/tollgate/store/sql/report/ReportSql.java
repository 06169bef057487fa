package dev.tollgate.store.sql.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The few JDBC chores the report stores share: instants as epoch nanos, binding, reading rows. */
final class ReportSql {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private ReportSql() {}

  /** A null of a given SQL type: PostgreSQL refuses a text-typed null for a bigint column. */
  record TypedNull(int sqlType) {}

  /** A bind value for a nullable bigint column. */
  static Object bigint(Long value) {
    return value == null ? new TypedNull(Types.BIGINT) : value;
  }

  /** One row of a result set turned into a value. */
  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  static long toNanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("instant " + instant + " is outside the storable range 1677-2262");
    }
  }

  /** Epoch nanos, clamped to what a long holds: a bound before 1677 or after 2262 still works. */
  static long boundNanos(Instant instant) {
    if (instant.isBefore(fromNanos(Long.MIN_VALUE))) return Long.MIN_VALUE;
    if (instant.isAfter(fromNanos(Long.MAX_VALUE))) return Long.MAX_VALUE;
    return toNanos(instant);
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : fromNanos(v);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static int update(DataSource dataSource, String sql, Object... binds) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, java.util.Arrays.asList(binds))) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not write: " + e.getMessage(), e);
    }
  }

  static <T> List<T> query(DataSource dataSource, String sql, List<Object> binds, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, binds);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(reader.read(rs));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read: " + e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> binds) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < binds.size(); i++) {
        Object v = binds.get(i);
        if (v == null) ps.setNull(i + 1, Types.VARCHAR);
        else if (v instanceof TypedNull n) ps.setNull(i + 1, n.sqlType());
        else if (v instanceof Long l) ps.setLong(i + 1, l);
        else ps.setObject(i + 1, v);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }
}
