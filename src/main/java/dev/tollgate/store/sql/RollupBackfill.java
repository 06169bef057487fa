package dev.tollgate.store.sql;

import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 32.1: sums the ledger rows that were there before the rollups (migration 32) into them.
 * Java rather than SQL so that the key spelling comes from {@link RollupShape}, the one place the
 * writer also takes it from. Runs in the migration's transaction, once per database.
 */
final class RollupBackfill implements JavaMigration {

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("32.1");
  }

  @Override
  public String getDescription() {
    return "backfill rollups";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement statement = context.getConnection().createStatement()) {
      for (RollupShape shape : RollupShape.ALL) statement.executeUpdate(RollupWriter.backfillSql(shape));
    }
  }
}
