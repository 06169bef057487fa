package dev.tollgate.store.sql.report;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The token-efficiency store contract on SQLite, a fresh database file per test. */
class SqliteEfficiencyStoreTest extends EfficiencyStoreContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("efficiency.db");
  }
}
