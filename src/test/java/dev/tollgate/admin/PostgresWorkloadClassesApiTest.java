package dev.tollgate.admin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.store.sql.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The workload-classes API with the gateway on PostgreSQL, a schema per test. Skipped when PostgreSQL is not reachable. */
class PostgresWorkloadClassesApiTest extends WorkloadClassesApiContract {

  private static final List<String> schemas = new ArrayList<>();
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    assumeTrue(PostgresTestDatabase.available(), "PostgreSQL not reachable at 127.0.0.1:5432");
  }

  @AfterAll
  static void dropSchemas() {
    schemas.forEach(PostgresTestDatabase::dropSchema);
    schemas.clear();
  }

  @Override
  String storageUrl() {
    if (schema == null) {
      schema = "tg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
      schemas.add(schema);
    }
    return PostgresTestDatabase.storageUrl(schema);
  }
}
