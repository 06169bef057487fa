package dev.tollgate.store.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The workload-class store on a SQLite file. */
class SqliteWorkloadClassStoreTest extends WorkloadClassStoreContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("tollgate.db");
  }
}
