package dev.tollgate.store.sql;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.port.AlertStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Alert history and alert restrictions in SQLite or PostgreSQL (tables {@code alerts}, {@code alert_restrictions}). */
public final class SqlAlertStore implements AlertStore {

  private static final String COLUMNS = "id, kind, subject, team, user_name, severity, message, first_at_ns, last_at_ns, "
      + "triggers, state, acted_by, action, last_sent_at_ns";

  private final DataSource dataSource;

  public SqlAlertStore(Database database) {
    this.dataSource = database.dataSource();
  }

  @Override
  public void save(Alert a, Instant lastSentAt) {
    // Both databases take the same upsert: SQLite since 3.24, PostgreSQL since 9.5.
    execute("INSERT INTO alerts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, message = excluded.message, "
        + "last_at_ns = excluded.last_at_ns, triggers = excluded.triggers, state = excluded.state, "
        + "acted_by = excluded.acted_by, action = excluded.action, last_sent_at_ns = excluded.last_sent_at_ns",
        a.id(), a.kind(), a.subject(), a.team(), a.user(), a.severity(), a.message(), nanos(a.firstAt()), nanos(a.lastAt()),
        a.count(), a.state(), a.actedBy(), a.action(), lastSentAt == null ? null : nanos(lastSentAt));
  }

  @Override
  public List<Live> unresolved() {
    List<Live> out = new ArrayList<>();
    query("SELECT " + COLUMNS + " FROM alerts WHERE state <> 'resolved' ORDER BY first_at_ns, id", List.of(), rs -> {
      long sent = rs.getLong(14);
      out.add(new Live(alert(rs), rs.wasNull() ? null : instant(sent)));
    });
    return out;
  }

  @Override
  public List<Alert> list(String state, String kind, Instant since, Cursor after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state);
    }
    if (kind != null) {
      sql.append(" AND kind = ?");
      args.add(kind);
    }
    if (since != null) {
      sql.append(" AND last_at_ns >= ?");
      args.add(nanos(since));
    }
    if (after != null) {
      sql.append(" AND (first_at_ns < ? OR (first_at_ns = ? AND id < ?))");
      args.add(nanos(after.firstAt()));
      args.add(nanos(after.firstAt()));
      args.add(after.id());
    }
    sql.append(" ORDER BY first_at_ns DESC, id DESC LIMIT ?");
    args.add(limit);
    List<Alert> out = new ArrayList<>();
    query(sql.toString(), args, rs -> out.add(alert(rs)));
    return out;
  }

  @Override
  public Optional<Alert> find(String id) {
    List<Alert> out = new ArrayList<>();
    query("SELECT " + COLUMNS + " FROM alerts WHERE id = ?", List.of(id), rs -> out.add(alert(rs)));
    return out.stream().findFirst();
  }

  @Override
  public void restrict(Restriction r) {
    execute("INSERT INTO alert_restrictions (subject, kind, per_minute, alert_id, reason, since_ns) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (subject) DO UPDATE SET kind = excluded.kind, per_minute = excluded.per_minute, "
        + "alert_id = excluded.alert_id, reason = excluded.reason, since_ns = excluded.since_ns",
        r.subject(), r.kind().wire(), r.perMinute(), r.alertId(), r.reason(), nanos(r.since()));
  }

  @Override
  public void lift(String alertId) {
    execute("DELETE FROM alert_restrictions WHERE alert_id = ?", alertId);
  }

  @Override
  public List<Restriction> restrictions() {
    List<Restriction> out = new ArrayList<>();
    query("SELECT subject, kind, per_minute, alert_id, reason, since_ns FROM alert_restrictions ORDER BY since_ns, subject",
        List.of(), rs -> out.add(new Restriction(rs.getString(1), Restriction.Kind.fromWire(rs.getString(2)), rs.getInt(3),
            rs.getString(4), rs.getString(5), instant(rs.getLong(6)))));
    return out;
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), instant(rs.getLong(8)), instant(rs.getLong(9)), rs.getLong(10), rs.getString(11), rs.getString(12),
        rs.getString(13));
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, List<Object> args, RowReader reader) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) reader.read(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("alerts could not be read: " + e.getMessage(), e);
    }
  }

  private void execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the alert could not be saved: " + e.getMessage(), e);
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
