package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One transaction that inserts a batch of ledger rows and adds the rows it stored to the rollups
 * ({@link RollupWriter}). Idempotent ({@code ON CONFLICT (id) DO
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
  /**
   * Rows per INSERT statement: 500 × 36 placeholders stays well under SQLite's 32,766 and
   * PostgreSQL's 65,535, and one multi-row statement is what makes PostgreSQL inserts fast.
   */
  private static final int CHUNK = 500;
  private final String fullChunkSql;
  private static final long TURN_WAIT_MS = 2_000;
  private final ReentrantLock turn = new ReentrantLock(true);
  private final RollupWriter rollups = new RollupWriter(RollupShape.ALL);

  LedgerInsert(Database database) {
    this.database = database;
    this.fullChunkSql = LedgerRows.insertSql(database.dialect(), CHUNK);
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
      writeOn(connection, rows);
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

  /**
   * The transaction itself, on a connection the caller holds: the rows, then the rollups, then the
   * commit. The caller rolls back on failure. {@link LedgerBulkLoad} keeps one connection for a
   * whole load this way; the writer borrows one per batch.
   */
  void writeOn(Connection connection, List<UsageRecord> rows) throws SQLException {
    connection.setAutoCommit(false);
    List<UsageRecord> inserted = new ArrayList<>(rows.size());
    for (int from = 0; from < rows.size(); from += CHUNK) {
      inserted.addAll(insertChunk(connection, rows.subList(from, Math.min(rows.size(), from + CHUNK))));
    }
    rollups.add(connection, inserted);
    connection.commit();
  }

  /**
   * Inserts up to {@link #CHUNK} rows in one statement and returns the ones it stored: a row whose id
   * was there already inserts nothing and must not be added to the rollups a second time.
   */
  private List<UsageRecord> insertChunk(Connection connection, List<UsageRecord> chunk) throws SQLException {
    String sql = chunk.size() == CHUNK ? fullChunkSql : LedgerRows.insertSql(database.dialect(), chunk.size());
    Set<String> stored = new HashSet<>();
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      int skip = 0;
      for (UsageRecord row : chunk) {
        LedgerRows.bind(insert, skip, row);
        skip += LedgerRows.COLUMNS.size();
      }
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) stored.add(rs.getString(1));
      }
    }
    List<UsageRecord> inserted = new ArrayList<>(stored.size());
    for (UsageRecord row : chunk) {
      // remove: a batch holding one id twice stores it once (the first), and counts it once.
      if (stored.remove(row.id())) inserted.add(row);
    }
    return inserted;
  }

  /** One round trip that proves the database answers now. */
  void probe() throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      if (!connection.isValid(5)) throw new SQLException("the database did not answer a validity check");
    }
  }
}
