package dev.tollgate.store.sql;

import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditEvent;
import dev.tollgate.domain.audit.AuditQuery;
import dev.tollgate.port.AuditStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in the {@code audit_log} table. An append reads the newest row and inserts the next
 * one in one transaction that holds the table's write lock — SQLite's {@code BEGIN IMMEDIATE} (the
 * pool's transaction mode), PostgreSQL's {@code LOCK TABLE … SHARE ROW EXCLUSIVE} — so replicas
 * writing at once still make one chain. Readers are never blocked.
 */
public final class SqlAuditStore implements AuditStore {

  private static final String COLUMNS = "seq, at_ns, actor, actor_role, method, route, resource_type, resource_id, "
      + "before_json, after_json, prev_hash, hash";

  private final Database database;

  public SqlAuditStore(Database database) {
    this.database = database;
  }

  @Override
  public synchronized AuditEntry append(AuditEvent event) {
    try {
      Connection c = database.dataSource().getConnection();
      try {
        c.setAutoCommit(false);
        if (database.dialect() == Dialect.POSTGRESQL) {
          try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE");
          }
        }
        AuditEntry head = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq DESC LIMIT 1");
            ResultSet rs = ps.executeQuery()) {
          if (rs.next()) head = read(rs);
        }
        AuditEntry row = AuditChain.seal(head, event);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          AuditEvent e = row.event();
          int i = 0;
          ps.setLong(++i, row.seq());
          ps.setLong(++i, AuditChain.nanos(e.at()));
          ps.setString(++i, e.actor());
          ps.setString(++i, e.actorRole());
          ps.setString(++i, e.method());
          ps.setString(++i, e.route());
          ps.setString(++i, e.resourceType());
          ps.setString(++i, e.resourceId());
          ps.setString(++i, e.before());
          ps.setString(++i, e.after());
          ps.setString(++i, row.prevHash());
          ps.setString(++i, row.hash());
          ps.executeUpdate();
        }
        c.commit();
        return row;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        database.discard(c);
        throw e;
      } finally {
        c.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the audit log could not be written: " + e.getMessage(), e);
    }
  }

  @Override
  public List<AuditEntry> find(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ?");
    List<Object> binds = new ArrayList<>();
    binds.add(q.afterSeq());
    if (q.from() != null) {
      sql.append(" AND at_ns >= ?");
      binds.add(AuditChain.nanos(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND at_ns < ?");
      binds.add(AuditChain.nanos(q.to()));
    }
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      binds.add(q.actor());
    }
    if (q.resourceType() != null) {
      sql.append(" AND resource_type = ?");
      binds.add(q.resourceType());
    }
    if (q.resourceId() != null) {
      sql.append(" AND resource_id = ?");
      binds.add(q.resourceId());
    }
    sql.append(" ORDER BY seq LIMIT ?");
    binds.add(q.limit());
    try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < binds.size(); i++) ps.setObject(i + 1, binds.get(i));
      List<AuditEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("the audit log could not be read: " + e.getMessage(), e);
    }
  }

  private static AuditEntry read(ResultSet rs) throws SQLException {
    AuditEvent e = new AuditEvent(SqlValues.fromNanos(rs.getLong("at_ns")), rs.getString("actor"), rs.getString("actor_role"),
        rs.getString("method"), rs.getString("route"), rs.getString("resource_type"), rs.getString("resource_id"),
        rs.getString("before_json"), rs.getString("after_json"));
    return new AuditEntry(rs.getLong("seq"), e, rs.getString("prev_hash"), rs.getString("hash"));
  }
}
