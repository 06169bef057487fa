package dev.tollgate.store.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The audit log contract on the local PostgreSQL, each test in a schema of its own; skipped, saying so, without it. */
class PostgresAuditLogTest extends AuditLogContract {

  private static final List<String> schemas = new ArrayList<>();
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    if (!PostgresTestDatabase.available()) System.out.println(PostgresTestDatabase.SKIP_MESSAGE);
    assumeTrue(PostgresTestDatabase.available(), PostgresTestDatabase.SKIP_MESSAGE);
  }

  @BeforeEach
  @Override
  void open() {
    schema = PostgresTestDatabase.newSchemaName();
    schemas.add(schema);
    super.open();
  }

  @AfterAll
  static void dropSchemas() {
    schemas.forEach(PostgresTestDatabase::dropSchema);
    schemas.clear();
  }

  @Override
  String storageUrl() {
    return PostgresTestDatabase.storageUrl(schema);
  }

  @Override
  void dropAppendOnlyGuard(Statement s) throws SQLException {
    s.execute("ALTER TABLE audit_log DISABLE TRIGGER USER");
  }
}
