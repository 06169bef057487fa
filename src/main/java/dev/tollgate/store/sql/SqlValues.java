package dev.tollgate.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Conversions between Java values and the column encodings both dialects share. */
final class SqlValues {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private SqlValues() {}

  /** Epoch nanoseconds; refuses instants outside 1677-2262, which a long of nanos cannot hold. */
  static long toNanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("instant " + instant + " is outside the storable range 1677-2262");
    }
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) ps.setNull(index, Types.BIGINT);
    else ps.setLong(index, toNanos(instant));
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    long nanos = rs.getLong(column);
    return rs.wasNull() ? null : fromNanos(nanos);
  }

  static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) ps.setNull(index, Types.BIGINT);
    else ps.setLong(index, value);
  }

  static Long getNullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static String tagsToJson(Map<String, String> tags) {
    return write(tags);
  }

  static Map<String, String> tagsFromJson(String json) {
    if (json == null || json.isBlank()) return Map.of();
    return read(json, new TypeReference<Map<String, String>>() {});
  }

  static String listToJson(List<String> values) {
    return write(values);
  }

  static List<String> listFromJson(String json) {
    if (json == null || json.isBlank()) return List.of();
    return read(json, new TypeReference<List<String>>() {});
  }

  /** A placeholder for a JSON value: PostgreSQL keeps JSON in jsonb columns and needs the cast. */
  static String jsonParameter(Dialect dialect) {
    return dialect == Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value + " as JSON", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is malformed: " + json, e);
    }
  }
}
