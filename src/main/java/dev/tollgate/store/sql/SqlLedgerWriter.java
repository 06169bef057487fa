package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ledger rows to SQL in batches, off the request path.
 *
 * <h2>Flow</h2>
 *
 * <pre>
 *   append (any thread)                      writer thread (one, "tollgate-ledger-writer")
 *   ───────────────────                      ────────────────────────────────────────────
 *   validate the record                      take the first entry (waits while the queue is empty)
 *   accepted++; if closed: accepted--,       gather more, without a round trip, until batchSize
 *     refuse                                   rows, or a Barrier, or flushInterval after the first
 *   queue.put(Row) — waits while full        BEGIN; one JDBC batch INSERT; COMMIT
 *                                            on failure: ROLLBACK, back off (50 ms doubling to 5 s),
 *   flush (any thread)                         write the same batch again, for as long as it takes
 *   queue.put(Barrier); wait for it          committed += rows; release the batch's Barriers
 *
 *   close: closed = true; flush until committed == accepted; put(Stop); join the writer.
 * </pre>
 *
 * <p>Why each step:
 *
 * <ul>
 *   <li><b>Nothing is dropped.</b> A full queue makes {@code append} wait (back-pressure onto the
 *       request path) rather than lose a row; a failed batch is retried until it commits. Retries
 *       cannot duplicate rows: the insert is {@code ON CONFLICT (id) DO NOTHING}, so a batch whose
 *       commit succeeded but whose acknowledgement was lost is harmless to write again. Whatever the
 *       table would refuse for good (no id, no status, an instant past 2262) is refused by
 *       {@code append}, on the caller's thread, so the writer never retries a hopeless batch.
 *   <li><b>Flush is a barrier in the queue.</b> The queue is FIFO, so every row whose {@code append}
 *       returned before {@code flush} was called sits ahead of the barrier and is committed by the
 *       time the barrier is released. A barrier also cuts the wait for a full batch short.
 *   <li><b>Close counts.</b> An {@code append} may have passed its closed check just before
 *       {@code close} set the flag and still be about to enqueue. {@code accepted} is counted before
 *       the check, so {@code close} sees such a straggler and flushes again until every accepted row
 *       is committed; an {@code append} that sees the flag takes its count back and throws. Only then
 *       does the Stop entry go in.
 *   <li><b>One writer thread.</b> SQLite has one writer anyway, and one thread keeps batches in
 *       order and commit-lag figures simple. Throughput comes from batching: one transaction and
 *       one round trip per batch.
 * </ul>
 *
 * <p>The writer is a non-daemon thread: {@link #close()} must be called (the application does so
 * on shutdown), and a forgotten close keeps the JVM alive rather than losing the tail of the ledger.
 */
public final class SqlLedgerWriter implements LedgerWriter {

  private static final Logger log = LoggerFactory.getLogger(SqlLedgerWriter.class);
  private static final long INITIAL_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final long LIVENESS_CHECK_MS = 100;

  private sealed interface Entry permits Row, Barrier, Stop {}

  private record Row(UsageRecord record, long enqueuedNanos) implements Entry {}

  private record Barrier(CountDownLatch released) implements Entry {}

  private record Stop() implements Entry {}

  private final Database database;
  private final String insertSql;
  private final int batchSize;
  private final long maxWaitNanos;
  private final BlockingQueue<Entry> queue;
  private final Thread writer;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private volatile long lastCommitLagMillis;
  private volatile String lastError;

  /**
   * Starts the writer thread.
   *
   * @param batchSize most rows per transaction (e.g. 500)
   * @param flushInterval longest a row waits in memory for its batch to fill (e.g. 200 ms)
   * @param queueCapacity rows held in memory before {@link #append} starts to wait (e.g. 100,000)
   */
  public SqlLedgerWriter(Database database, int batchSize, Duration flushInterval, int queueCapacity) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    if (flushInterval == null || flushInterval.isNegative()) {
      throw new IllegalArgumentException("flush interval must be zero or positive, got " + flushInterval);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
    }
    this.database = database;
    this.insertSql = LedgerRows.insertSql(database.dialect());
    this.batchSize = batchSize;
    this.maxWaitNanos = flushInterval.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.writer = Thread.ofPlatform().name("tollgate-ledger-writer").daemon(false).unstarted(this::run);
    writer.start();
  }

  /**
   * Hands the record to the writer and returns; waits only while the queue is full.
   *
   * @throws IllegalArgumentException if the record lacks an id, a start time or a status
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void append(UsageRecord record) {
    LedgerRows.validate(record);
    accepted.incrementAndGet();
    if (closed.get()) {
      accepted.decrementAndGet();
      throw new IllegalStateException("ledger writer is closed; record " + record.id() + " was not accepted");
    }
    putUninterruptibly(new Row(record, System.nanoTime()));
  }

  @Override
  public void flush() {
    if (Thread.currentThread() == writer) throw new IllegalStateException("flush called from the writer thread");
    awaitBarrier();
  }

  /** Rows accepted but not yet committed: queued, in the batch being written, or about to be queued. */
  @Override
  public long pending() {
    return Math.max(0, accepted.get() - committed.get());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      while (committed.get() < accepted.get()) {
        if (!awaitBarrier()) break;
      }
      if (writer.isAlive()) putUninterruptibly(new Stop());
    }
    joinWriter();
    long lost = accepted.get() - committed.get();
    if (lost > 0) log.error("ledger writer stopped with {} rows not written: {}", lost, lastError);
  }

  /** Rows committed since start. */
  public long rowsWritten() {
    return committed.get();
  }

  /** Transactions committed since start. */
  public long batchesWritten() {
    return batches.get();
  }

  /** For the last batch: milliseconds from its oldest row's append to its commit. */
  public long lastCommitLagMillis() {
    return lastCommitLagMillis;
  }

  /** Batch writes that failed and were retried since start; a rising figure means storage trouble. */
  public long failedAttempts() {
    return failedAttempts.get();
  }

  /** The last write error, or null if none has happened. */
  public String lastError() {
    return lastError;
  }

  // ---- the writer thread ----

  /** What the writer gathered for one transaction. */
  private static final class Batch {
    final List<UsageRecord> rows;
    final List<CountDownLatch> barriers = new ArrayList<>();
    long oldestEnqueuedNanos;
    boolean stop;

    Batch(int capacity) {
      rows = new ArrayList<>(capacity);
    }

    void add(Entry entry) {
      switch (entry) {
        case Row row -> {
          if (rows.isEmpty()) oldestEnqueuedNanos = row.enqueuedNanos();
          rows.add(row.record());
        }
        case Barrier barrier -> barriers.add(barrier.released());
        case Stop stop -> this.stop = true;
      }
    }

    void clear() {
      rows.clear();
      barriers.clear();
    }
  }

  private void run() {
    Batch batch = new Batch(batchSize);
    List<Entry> drained = new ArrayList<>(batchSize);
    while (!batch.stop) {
      batch.add(takeUninterruptibly());
      long deadline = System.nanoTime() + maxWaitNanos;
      while (!batch.stop && batch.barriers.isEmpty() && batch.rows.size() < batchSize) {
        if (queue.drainTo(drained, batchSize - batch.rows.size()) > 0) {
          drained.forEach(batch::add);
          drained.clear();
          continue;
        }
        Entry next = pollUntil(deadline);
        if (next == null) break;
        batch.add(next);
      }
      if (!batch.rows.isEmpty()) writeUntilCommitted(batch);
      batch.barriers.forEach(CountDownLatch::countDown);
      batch.clear();
    }
  }

  private void writeUntilCommitted(Batch batch) {
    long backoff = INITIAL_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        writeOnce(batch.rows);
        lastCommitLagMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - batch.oldestEnqueuedNanos);
        batches.incrementAndGet();
        committed.addAndGet(batch.rows.size());
        if (attempt > 1) log.info("ledger batch of {} rows written after {} attempts", batch.rows.size(), attempt);
        return;
      } catch (SQLException | RuntimeException e) {
        failedAttempts.incrementAndGet();
        lastError = e.toString();
        log.warn("ledger batch of {} rows failed (attempt {}); retrying in {} ms: {}",
            batch.rows.size(), attempt, backoff, e.toString());
        sleepUninterruptibly(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private void writeOnce(List<UsageRecord> rows) throws SQLException {
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

  // ---- waiting without losing entries to interrupts ----

  /** Puts a barrier and waits for it; false if the writer died first (only an Error can kill it). */
  private boolean awaitBarrier() {
    CountDownLatch released = new CountDownLatch(1);
    if (!writer.isAlive()) return false;
    putUninterruptibly(new Barrier(released));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (released.await(LIVENESS_CHECK_MS, TimeUnit.MILLISECONDS)) return true;
          // A writer that has stopped committed everything accepted before close; nothing to wait for.
          if (!writer.isAlive()) return false;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void putUninterruptibly(Entry entry) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          queue.put(entry);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  // The writer stops only on a Stop entry, so interrupts (which nobody should send) are ignored.
  private Entry takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException ignored) {
        // keep going: stopping is what Stop is for
      }
    }
  }

  private Entry pollUntil(long deadlineNanos) {
    while (true) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) return queue.poll();
      try {
        return queue.poll(remaining, TimeUnit.NANOSECONDS);
      } catch (InterruptedException ignored) {
        // keep going
      }
    }
  }

  private static void sleepUninterruptibly(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) return;
      try {
        TimeUnit.NANOSECONDS.sleep(remaining);
      } catch (InterruptedException ignored) {
        // keep going
      }
    }
  }

  private void joinWriter() {
    if (Thread.currentThread() == writer) return;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          writer.join();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
