package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Loads many ledger rows at once, for benchmarks and imports: the writer's own transaction
 * ({@link LedgerInsert}, rollups included, so they are summed by the very code production uses) in
 * large batches on one connection held for the whole load, on the calling thread, without the
 * queue and spool that protect the request path.
 */
public final class LedgerBulkLoad {

  private LedgerBulkLoad() {}

  /**
   * Inserts every row, {@code batchSize} per transaction; returns how many were given.
   *
   * @param progress told the running total after each transaction
   * @throws IllegalStateException if the database refuses a batch (earlier batches stay committed)
   */
  public static long load(Database database, Iterator<UsageRecord> rows, int batchSize, LongConsumer progress) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
    LedgerInsert insert = new LedgerInsert(database);
    List<UsageRecord> batch = new ArrayList<>(batchSize);
    long total = 0;
    try (Connection connection = database.dataSource().getConnection()) {
      Long cacheBefore = database.dialect() == Dialect.SQLITE ? enlargeSqliteCache(connection) : null;
      try {
        while (rows.hasNext()) {
          UsageRecord row = rows.next();
          LedgerRows.validate(row);
          batch.add(row);
          if (batch.size() == batchSize || !rows.hasNext()) {
            try {
              insert.writeOn(connection, batch);
            } catch (SQLException | RuntimeException e) {
              connection.rollback();
              throw e;
            }
            total += batch.size();
            batch.clear();
            progress.accept(total);
          }
        }
      } finally {
        if (cacheBefore != null) setSqliteCache(connection, cacheBefore);
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("bulk load failed after " + total + " rows: " + e.getMessage(), e);
    }
    return total;
  }

  /**
   * A 256 MB page cache for this connection while it loads (SQLite's default is 2 MB): the ledger's
   * indexes and the rollups' pages being added to stay in memory between transactions. Returns the
   * setting before, to put back.
   */
  private static long enlargeSqliteCache(Connection connection) throws SQLException {
    long before;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA cache_size")) {
      rs.next();
      before = rs.getLong(1);
    }
    setSqliteCache(connection, -262_144);
    return before;
  }

  private static void setSqliteCache(Connection connection, long pages) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA cache_size = " + pages);
    }
  }
}
