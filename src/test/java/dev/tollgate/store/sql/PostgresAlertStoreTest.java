package dev.tollgate.store.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The alert store on the local PostgreSQL, a schema per test. */
class PostgresAlertStoreTest extends AlertStoreContract {

  private static final List<String> schemas = new ArrayList<>();
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    assumeTrue(PostgresTestDatabase.available(), PostgresTestDatabase.SKIP_MESSAGE);
  }

  @BeforeEach
  void newSchema() {
    schema = PostgresTestDatabase.newSchemaName();
    schemas.add(schema);
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
}
