package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One transaction that inserts a batch of ledger rows. Idempotent ({@code ON CONFLICT (id) DO
 * NOTHING}), so writing a batch again — after a lost acknowledgement, or from the spool — never
 * stores a row twice. Thread-safe: each call borrows its own connection.
 *
 * <p>Writers take turns (a fair lock): the writer's commits and the spool replay would otherwise
 * meet in SQLite's busy handler, which sleeps in growing steps and can hold a 5 ms commit up for a
 * second. Taking turns in Java bounds a commit's wait to one replay batch. The turn is an
 * optimisation, not a guarantee: a writer that waits for it longer than 2 s (its holder hangs on a
 * dead connection) writes without it.
 */
final class LedgerInsert {

  private final Database database;
  private final String insertSql;
  private static final long TURN_WAIT_MS = 2_000;
  private final ReentrantLock turn = new ReentrantLock(true);

  LedgerInsert(Database database) {
    this.database = database;
    this.insertSql = LedgerRows.insertSql(database.dialect());
  }

  /** Inserts the rows in one transaction; on failure nothing of it is committed. */
  void write(List<UsageRecord> rows) throws SQLException {
    boolean inTurn;
    try {
      inTurn = turn.tryLock(TURN_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the turn to write ledger rows", e);
    }
    // A holder that keeps the turn this long is stuck on a dead connection: write without the turn.
    try {
      writeInTurn(rows);
    } finally {
      if (inTurn) turn.unlock();
    }
  }

  private void writeInTurn(List<UsageRecord> rows) throws SQLException {
    Connection connection = database.dataSource().getConnection();
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
        for (UsageRecord row : rows) {
          LedgerRows.bind(insert, row);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      // The retry gets a fresh connection: this one's transaction state is not to be trusted.
      database.discard(connection);
      throw e;
    } finally {
      connection.close();
    }
  }

  /** One round trip that proves the database answers now. */
  void probe() throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      if (!connection.isValid(5)) throw new SQLException("the database did not answer a validity check");
    }
  }
}
