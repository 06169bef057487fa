package dev.tollgate.store.sql;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Java migration that sums the ledger rows already there into rollups a preceding SQL migration
 * just created: 32.1 fills the quarter-hour rollups of migration 32, 36.1 and 36.3 the hourly ones of
 * migrations 36 and 36.2, 37.2 the per-person one of 37.1. Java rather than SQL so that the key spelling comes from {@link RollupShape}, the one place the
 * writer also takes it from. Runs in the migration's transaction, once per database.
 */
final class RollupBackfill implements JavaMigration {

  private final MigrationVersion version;
  private final String description;
  private final List<RollupShape> shapes;

  private RollupBackfill(String version, String description, List<RollupShape> shapes) {
    this.version = MigrationVersion.fromVersion(version);
    this.description = description;
    this.shapes = List.copyOf(shapes);
  }

  /** Every backfill, in version order, for Flyway. */
  static RollupBackfill[] all() {
    return new RollupBackfill[] {
        new RollupBackfill("32.1", "backfill rollups", RollupShape.FIRST_RELEASE),
        new RollupBackfill("36.1", "backfill hourly rollup", List.of(RollupShape.TEAM_MODEL_HOUR)),
        new RollupBackfill("36.3", "backfill hourly agent rollup", List.of(RollupShape.AGENT_HOUR)),
        new RollupBackfill("37.2", "backfill hourly user rollup", List.of(RollupShape.USER_HOUR))};
  }

  @Override
  public MigrationVersion getVersion() {
    return version;
  }

  @Override
  public String getDescription() {
    return description;
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
      for (RollupShape shape : shapes) statement.executeUpdate(RollupWriter.backfillSql(shape));
    }
  }
}
