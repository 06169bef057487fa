package dev.tollgate.store.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The rollup contract on a SQLite file in a fresh temporary directory. */
class SqliteRollupTest extends RollupContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("tollgate.db");
  }
}
