package dev.tollgate.store.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The alert store on a SQLite file. */
class SqliteAlertStoreTest extends AlertStoreContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("tollgate.db");
  }
}
