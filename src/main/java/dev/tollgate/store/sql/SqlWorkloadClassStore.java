package dev.tollgate.store.sql;

import dev.tollgate.port.WorkloadClassStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Workload classes made through the admin API, in SQLite or PostgreSQL. */
public final class SqlWorkloadClassStore implements WorkloadClassStore {

  private final DataSource dataSource;
  private final Clock clock;

  public SqlWorkloadClassStore(Database database, Clock clock) {
    this.dataSource = database.dataSource();
    this.clock = clock;
  }

  @Override
  public boolean insert(String name, String document) {
    long now = nowNanos();
    try {
      execute("INSERT INTO workload_classes (name, document, created_at_ns, updated_at_ns) VALUES (?, ?, ?, ?)",
          name, document, now, now);
      return true;
    } catch (Taken e) {
      return false;
    }
  }

  @Override
  public boolean update(String name, String document) {
    return execute("UPDATE workload_classes SET document = ?, updated_at_ns = ? WHERE name = ?", document, nowNanos(), name) == 1;
  }

  @Override
  public boolean delete(String name) {
    return execute("DELETE FROM workload_classes WHERE name = ?", name) == 1;
  }

  @Override
  public List<Stored> list() {
    return query("SELECT name, document FROM workload_classes ORDER BY created_at_ns, name", null);
  }

  @Override
  public Optional<Stored> find(String name) {
    return query("SELECT name, document FROM workload_classes WHERE name = ?", name).stream().findFirst();
  }

  private List<Stored> query(String sql, String name) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (name != null) ps.setString(1, name);
      List<Stored> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Stored(rs.getString(1), rs.getString(2)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("workload classes could not be read: " + e.getMessage(), e);
    }
  }

  /** A class of that name exists already (a race between two makers of the same name). */
  private static final class Taken extends RuntimeException {
    Taken() {
      super(null, null, false, false);
    }
  }

  private int execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps.executeUpdate();
    } catch (SQLException e) {
      // PostgreSQL reports SQLState 23505; SQLite reports result code 19 (SQLITE_CONSTRAINT).
      if ("23505".equals(e.getSQLState()) || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"))) {
        throw new Taken();
      }
      throw new IllegalStateException("the workload class could not be saved: " + e.getMessage(), e);
    }
  }

  private long nowNanos() {
    var now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
