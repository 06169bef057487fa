package dev.tollgate.store.sql.report;

import dev.tollgate.store.sql.PostgresTestDatabase;
import java.util.Locale;
import java.util.UUID;

/**
 * The local PostgreSQL the report store tests run against (see {@link PostgresTestDatabase}), with
 * schemas named for these tests and a skip line of their own.
 */
final class ReportPostgres {

  static final String SKIP_MESSAGE = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping PostgreSQL report store tests";

  private ReportPostgres() {}

  static boolean available() {
    return PostgresTestDatabase.available();
  }

  static String newSchemaName() {
    return "tg_report_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }

  static String storageUrl(String schema) {
    return PostgresTestDatabase.storageUrl(schema);
  }

  static void dropSchema(String schema) {
    PostgresTestDatabase.dropSchema(schema);
  }
}
