package dev.tollgate.store.sql.report;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The report store contract on SQLite, a fresh database file per test. */
class SqliteReportStoreTest extends ReportStoreContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("report.db");
  }
}
