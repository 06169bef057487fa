package dev.tollgate.store.sql;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The audit log contract on a SQLite file. */
class SqliteAuditLogTest extends AuditLogContract {

  @TempDir Path dir;

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("audit.db");
  }

  @Override
  void dropAppendOnlyGuard(Statement s) throws SQLException {
    s.execute("DROP TRIGGER audit_log_no_update");
    s.execute("DROP TRIGGER audit_log_no_delete");
  }
}
