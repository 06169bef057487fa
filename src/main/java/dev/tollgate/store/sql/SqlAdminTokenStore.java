package dev.tollgate.store.sql;

import dev.tollgate.domain.access.AdminToken;
import dev.tollgate.domain.access.Role;
import dev.tollgate.port.AdminTokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Personal admin tokens in the {@code admin_tokens} table (hashes only). */
public final class SqlAdminTokenStore implements AdminTokenStore {

  private static final String COLUMNS = "id, name, secret_hash, secret_prefix, role, teams, user_name, created_at_ns, "
      + "expires_at_ns, revoked_at_ns, created_by";

  private final DataSource dataSource;

  public SqlAdminTokenStore(Database database) {
    this.dataSource = database.dataSource();
  }

  @Override
  public void insert(AdminToken t) {
    String sql = "INSERT INTO admin_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 0;
      ps.setString(++i, t.id());
      ps.setString(++i, t.name());
      ps.setString(++i, t.secretHash());
      ps.setString(++i, t.secretPrefix());
      ps.setString(++i, t.role().wire());
      ps.setString(++i, SqlValues.listToJson(t.teams().stream().sorted().toList()));
      ps.setString(++i, t.user());
      SqlValues.setInstant(ps, ++i, t.createdAt());
      SqlValues.setInstant(ps, ++i, t.expiresAt());
      SqlValues.setInstant(ps, ++i, t.revokedAt());
      ps.setString(++i, t.createdBy());
      ps.executeUpdate();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState()) || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"))) {
        throw new IllegalArgumentException("an admin token named '" + t.name() + "' already exists", e);
      }
      throw new IllegalStateException("the admin token could not be stored: " + e.getMessage(), e);
    }
  }

  @Override
  public List<AdminToken> list() {
    return select("SELECT " + COLUMNS + " FROM admin_tokens ORDER BY created_at_ns, name", null);
  }

  @Override
  public Optional<AdminToken> findById(String id) {
    return select("SELECT " + COLUMNS + " FROM admin_tokens WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public Optional<AdminToken> findByHash(String secretHash) {
    return select("SELECT " + COLUMNS + " FROM admin_tokens WHERE secret_hash = ?", secretHash).stream().findFirst();
  }

  @Override
  public boolean revoke(String id, Instant at) {
    String sql = "UPDATE admin_tokens SET revoked_at_ns = ? WHERE id = ? AND revoked_at_ns IS NULL";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      SqlValues.setInstant(ps, 1, at);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("the admin token could not be revoked: " + e.getMessage(), e);
    }
  }

  private List<AdminToken> select(String sql, String arg) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) ps.setString(1, arg);
      List<AdminToken> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("the admin tokens could not be read: " + e.getMessage(), e);
    }
  }

  private static AdminToken read(ResultSet rs) throws SQLException {
    String roleText = rs.getString("role");
    Role role = Role.fromWire(roleText)
        .orElseThrow(() -> new IllegalStateException("stored admin token has an unknown role '" + roleText + "'"));
    return new AdminToken(rs.getString("id"), rs.getString("name"), rs.getString("secret_hash"),
        rs.getString("secret_prefix"), role, new LinkedHashSet<>(SqlValues.listFromJson(rs.getString("teams"))),
        rs.getString("user_name"), SqlValues.getInstant(rs, "created_at_ns"), SqlValues.getInstant(rs, "expires_at_ns"),
        SqlValues.getInstant(rs, "revoked_at_ns"), rs.getString("created_by"));
  }
}
