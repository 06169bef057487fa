package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on the local PostgreSQL, each test in a schema of its own that is dropped
 * when the class is done. Skipped, saying so, when PostgreSQL is not reachable.
 */
class PostgresStorageTest extends StorageContract {

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

  @Test
  void tablesLiveInTheSchemaTheUrlNames() throws Exception {
    Storage storage = open();
    try (Connection c = storage.database().dataSource().getConnection();
        ResultSet rs = c.getMetaData().getTables(null, schema, "ledger", null)) {
      assertThat(rs.next()).as("ledger table in schema %s", schema).isTrue();
    }
  }
}
