package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Loads many ledger rows at once, for benchmarks and imports: the writer's own transaction
 * ({@link LedgerInsert}, rollups included) in large batches on the calling thread, without the
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
    while (rows.hasNext()) {
      UsageRecord row = rows.next();
      LedgerRows.validate(row);
      batch.add(row);
      if (batch.size() == batchSize || !rows.hasNext()) {
        try {
          insert.write(batch);
        } catch (SQLException e) {
          throw new IllegalStateException("bulk load failed after " + total + " rows: " + e.getMessage(), e);
        }
        total += batch.size();
        batch.clear();
        progress.accept(total);
      }
    }
    return total;
  }
}
