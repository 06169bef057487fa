package dev.tollgate.store.sql.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The token-efficiency store contract on the local PostgreSQL, each test in a schema of its own. */
class PostgresEfficiencyStoreTest extends EfficiencyStoreContract {

  private static final List<String> schemas = new ArrayList<>();

  @BeforeAll
  static void requirePostgres() {
    if (!ReportPostgres.available()) System.out.println(ReportPostgres.SKIP_MESSAGE);
    assumeTrue(ReportPostgres.available(), ReportPostgres.SKIP_MESSAGE);
  }

  @AfterAll
  static void dropSchemas() {
    schemas.forEach(ReportPostgres::dropSchema);
    schemas.clear();
  }

  @Override
  String storageUrl() {
    String schema = ReportPostgres.newSchemaName();
    schemas.add(schema);
    return ReportPostgres.storageUrl(schema);
  }
}
