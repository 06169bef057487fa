package dev.tollgate.store.sql;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.port.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Virtual keys made through the admin API, in the {@code virtual_keys} table. */
public final class SqlKeyStore implements KeyStore {

  private static final String COLUMNS = "id, name, secret_hash, secret_prefix, org, team, project, workflow, agent, "
      + "user_name, channel, conversation, workload_class, tags, allowed_models, created_at_ns, expires_at_ns, "
      + "revoked_at_ns, source";

  private final DataSource dataSource;
  private final Dialect dialect;

  public SqlKeyStore(Database database) {
    this.dataSource = database.dataSource();
    this.dialect = database.dialect();
  }

  /**
   * @throws IllegalArgumentException if the key's id, name or secret hash is already taken, or the
   *     key lacks one of them
   */
  @Override
  public void insert(VirtualKey key) {
    if (key.id() == null || key.name() == null || key.secretHash() == null) {
      throw new IllegalArgumentException("a virtual key needs an id, a name and a secret hash");
    }
    String json = SqlValues.jsonParameter(dialect);
    String sql = "INSERT INTO virtual_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        + json + ", " + json + ", ?, ?, ?, ?)";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ps = connection.prepareStatement(sql)) {
      Attribution a = key.defaults();
      int i = 0;
      ps.setString(++i, key.id());
      ps.setString(++i, key.name());
      ps.setString(++i, key.secretHash());
      ps.setString(++i, key.secretPrefix());
      ps.setString(++i, a.org());
      ps.setString(++i, a.team());
      ps.setString(++i, a.project());
      ps.setString(++i, a.workflow());
      ps.setString(++i, a.agent());
      ps.setString(++i, a.user());
      ps.setString(++i, a.channel());
      ps.setString(++i, a.conversation());
      ps.setString(++i, a.workloadClass());
      ps.setString(++i, SqlValues.tagsToJson(a.tags()));
      ps.setString(++i, SqlValues.listToJson(key.allowedModels()));
      SqlValues.setInstant(ps, ++i, key.createdAt());
      SqlValues.setInstant(ps, ++i, key.expiresAt());
      SqlValues.setInstant(ps, ++i, key.revokedAt());
      ps.setString(++i, key.source());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (isUniqueViolation(e)) throw new IllegalArgumentException(conflictMessage(key), e);
      throw new IllegalStateException("cannot store virtual key '" + key.name() + "': " + e.getMessage(), e);
    }
  }

  /** Every stored key, revoked ones included, oldest first. */
  @Override
  public List<VirtualKey> list() {
    return select("SELECT " + COLUMNS + " FROM virtual_keys ORDER BY created_at_ns IS NULL, created_at_ns, name", null);
  }

  @Override
  public Optional<VirtualKey> findById(String id) {
    return select("SELECT " + COLUMNS + " FROM virtual_keys WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public boolean revoke(String id, Instant at) {
    String sql = "UPDATE virtual_keys SET revoked_at_ns = ? WHERE id = ? AND revoked_at_ns IS NULL";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ps = connection.prepareStatement(sql)) {
      SqlValues.setInstant(ps, 1, at);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot revoke virtual key " + id + ": " + e.getMessage(), e);
    }
  }

  private List<VirtualKey> select(String sql, String id) {
    List<VirtualKey> keys = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement ps = connection.prepareStatement(sql)) {
      if (id != null) ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) keys.add(read(rs));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read virtual keys: " + e.getMessage(), e);
    }
    return keys;
  }

  private static VirtualKey read(ResultSet rs) throws SQLException {
    Attribution defaults = new Attribution(
        rs.getString("org"),
        rs.getString("team"),
        rs.getString("project"),
        rs.getString("workflow"),
        rs.getString("agent"),
        rs.getString("user_name"),
        rs.getString("channel"),
        rs.getString("conversation"),
        rs.getString("workload_class"),
        SqlValues.tagsFromJson(rs.getString("tags")));
    return new VirtualKey(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("secret_hash"),
        rs.getString("secret_prefix"),
        defaults,
        SqlValues.listFromJson(rs.getString("allowed_models")),
        SqlValues.getInstant(rs, "created_at_ns"),
        SqlValues.getInstant(rs, "expires_at_ns"),
        SqlValues.getInstant(rs, "revoked_at_ns"),
        rs.getString("source"));
  }

  /** PostgreSQL reports SQLState 23505; SQLite reports result code 19 (SQLITE_CONSTRAINT). */
  private static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState()) || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"));
  }

  private String conflictMessage(VirtualKey key) {
    List<String> taken = new ArrayList<>();
    for (VirtualKey existing : list()) {
      if (existing.id().equals(key.id())) taken.add("id '" + key.id() + "'");
      if (existing.name().equals(key.name())) taken.add("name '" + key.name() + "'");
      if (existing.secretHash().equals(key.secretHash())) taken.add("secret");
    }
    if (taken.isEmpty()) return "virtual key '" + key.name() + "' conflicts with an existing key";
    return "a virtual key with this " + String.join(" and ", taken) + " already exists";
  }
}
