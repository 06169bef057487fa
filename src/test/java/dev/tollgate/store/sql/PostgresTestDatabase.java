package dev.tollgate.store.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The local PostgreSQL the storage tests run against: 127.0.0.1:5432, database {@code test}, trust
 * auth, as {@code postgres} or else the OS user. Each test gets a schema of its own, dropped after.
 */
public final class PostgresTestDatabase {

  static final String HOST = "127.0.0.1:5432";
  static final String SKIP_MESSAGE =
      "PostgreSQL not reachable at " + HOST + " — skipping PostgreSQL storage tests";

  private static final Optional<String> USER = findUser();

  private PostgresTestDatabase() {}

  public static boolean available() {
    return USER.isPresent();
  }

  private static Optional<String> findUser() {
    for (String user : List.of("postgres", System.getProperty("user.name"))) {
      try (Connection ignored = connect(user)) {
        return Optional.of(user);
      } catch (SQLException e) {
        // try the next user
      }
    }
    return Optional.empty();
  }

  private static Connection connect(String user) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/test?connectTimeout=3", user, "");
  }

  static String newSchemaName() {
    return "tg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }

  public static String storageUrl(String schema) {
    return "postgresql://" + USER.orElseThrow() + "@" + HOST + "/test?schema=" + schema;
  }

  public static void dropSchema(String schema) {
    try (Connection c = connect(USER.orElseThrow()); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema, e);
    }
  }
}
