package dev.tollgate.store.sql.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Outcome;
import dev.tollgate.report.OutcomeStore;
import dev.tollgate.store.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Outcomes in SQLite or PostgreSQL (table {@code outcomes}, migrations V11 and V35). Dimension names are
 * checked against {@link OutcomeStore#DIMENSIONS} before they become column names; values are bound.
 */
public final class SqlOutcomeStore implements OutcomeStore {

  private static final String COLUMNS = "id, type, count, value_nanos, workflow, agent, team, at_ns, recorded_at_ns, note, user_name, key_name, request_id";

  private final Database database;

  public SqlOutcomeStore(Database database) {
    this.database = database; // connections are borrowed per call: making the store touches nothing
  }

  @Override
  public boolean insert(Outcome o) {
    return ReportSql.update(database.dataSource(),
        "INSERT INTO outcomes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", o.id(), o.type(), o.count(), o.value().nanos(), o.workflow(), o.agent(), o.team(),
        ReportSql.toNanos(o.at()), ReportSql.toNanos(o.recordedAt()), o.note(), o.user(), o.key(), o.requestId()) == 1;
  }

  @Override
  public List<Outcome> list(Instant from, Instant to, Map<String, String> equals, int limit) {
    List<Object> binds = new ArrayList<>();
    String where = where(from, to, equals, binds);
    binds.add(limit);
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM outcomes" + where
        + " ORDER BY at_ns DESC, id DESC LIMIT ?", binds, SqlOutcomeStore::read);
  }

  @Override
  public List<Total> totals(Instant from, Instant to, String groupBy, Map<String, String> equals) {
    String column = column(groupBy);
    List<Object> binds = new ArrayList<>();
    String where = where(from, to, equals, binds);
    return ReportSql.query(database.dataSource(),
        "SELECT " + column + ", type, SUM(count), SUM(value_nanos) FROM outcomes" + where
        + " GROUP BY " + column + ", type ORDER BY " + column + ", type", binds,
        rs -> new Total(rs.getString(1), rs.getString(2), rs.getLong(3), Money.ofNanos(rs.getLong(4))));
  }

  private static String where(Instant from, Instant to, Map<String, String> equals, List<Object> binds) {
    List<String> conditions = new ArrayList<>();
    if (from != null) {
      conditions.add("at_ns >= ?");
      binds.add(ReportSql.boundNanos(from));
    }
    if (to != null) {
      conditions.add("at_ns < ?");
      binds.add(ReportSql.boundNanos(to));
    }
    for (String name : equals.keySet().stream().sorted().toList()) {
      conditions.add(column(name) + " = ?");
      binds.add(equals.get(name));
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private static String column(String dimension) {
    if (!DIMENSIONS.contains(dimension)) {
      throw new IllegalArgumentException("outcomes are grouped and filtered by " + String.join(", ", DIMENSIONS)
          + "; not '" + dimension + "'");
    }
    return dimension;
  }

  private static Outcome read(ResultSet rs) throws SQLException {
    return new Outcome(rs.getString("id"), rs.getString("type"), rs.getLong("count"), Money.ofNanos(rs.getLong("value_nanos")),
        rs.getString("workflow"), rs.getString("agent"), rs.getString("team"), ReportSql.instant(rs, "at_ns"),
        ReportSql.instant(rs, "recorded_at_ns"), rs.getString("note"),
        rs.getString("user_name"), rs.getString("key_name"), rs.getString("request_id"));
  }
}
