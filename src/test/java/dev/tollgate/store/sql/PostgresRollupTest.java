package dev.tollgate.store.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The rollup contract on the local PostgreSQL, each test in a schema of its own that is dropped
 * when the class is done. Skipped, saying so, when PostgreSQL is not reachable.
 */
class PostgresRollupTest extends RollupContract {

  private static final List<String> schemas = new ArrayList<>();
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    if (!PostgresTestDatabase.available()) System.out.println(PostgresTestDatabase.SKIP_MESSAGE);
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
