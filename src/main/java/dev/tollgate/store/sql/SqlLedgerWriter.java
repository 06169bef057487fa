package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import dev.tollgate.store.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ledger rows to SQL in group-committed batches, off the request path, and to a local
 * {@link Spool} whenever the database is down or slower than {@code commit_timeout}.
 *
 * <h2>Flow</h2>
 *
 * <pre>
 *   append / appendBeforeAnswer (any thread; never waits for the database)
 *     validate; appending++; refuse if closed; accepted++
 *     queue.offer(Row) — if the queue is full, append the row to the spool instead ("spill")
 *
 *   writer thread ("tollgate-ledger-writer")
 *     gather a batch: the first entry, then whatever is queued, up to batch_size; wait up to
 *       flush_interval for more — unless a strict row is in it: then go at once (group commit)
 *     healthy:  the commit thread writes it in one transaction; wait up to commit_timeout
 *                 committed        → complete the batch's stages
 *                 failed or slower → degraded, and the batch goes to the spool like this:
 *     degraded: append the batch to the spool (strict: force it to disk); complete the stages
 *     then housekeeping (also at least every 50 ms):
 *       replay (on the replay thread): seal the open segment, replay every segment nobody holds
 *         degraded: after a backoff (50 ms doubling to 5 s); a pass whose every commit beat
 *                   commit_timeout makes the writer healthy again
 *         healthy:  every flush_interval (within 10 ms..1 s) while rows of ours sit in the
 *                   spool (a spill, or the tail of an outage); every 30 s if another process
 *                   left segments behind
 *       release flush barriers whose rows are all in the database
 *
 *   spill syncer thread ("tollgate-ledger-spill-sync")
 *     force the spool for strict rows that spilled, then complete their stages (not the
 *     writer's job: it may be waiting out a stalled commit)
 *
 *   flush: put a Barrier; it is released once every row appended before it is committed,
 *          spooled rows included (so it waits for the database, as it always did)
 *   close: closed = true; wait out appends in progress; put Stop. The writer stores what is queued,
 *          spends up to 10 s replaying what it spooled, seals the spool and ends.
 *   open:  before the first row, replay what earlier runs left in the spool.
 * </pre>
 *
 * <p>Why each step:
 *
 * <ul>
 *   <li><b>A row is safe once committed or spooled.</b> Strict stages complete at exactly that
 *       point, so an answer never ends before its row survives a {@code kill -9}. A batch may be
 *       both (a commit that beat the timeout's bookkeeping) — harmless: inserts are {@code ON
 *       CONFLICT (id) DO NOTHING}, and so is replay, which is what makes it exactly once.
 *   <li><b>No request waits on the database beyond a bound.</b> A strict answer waits at most
 *       about twice commit_timeout (the commit in progress, then its own) plus one spool write; a
 *       full queue spills instead of blocking the caller (which may be an event loop), so memory is
 *       bounded by queue_capacity.
 *   <li><b>Group commit.</b> Strict rows that arrive while a commit runs form the next batch, so
 *       one transaction serves many requests and the cost per request stays small under load.
 *   <li><b>The commit runs on its own thread</b> so that the writer can stop waiting for it. A
 *       commit abandoned after 30 s is left to its fate on a fresh thread; its rows are spooled.
 *       Health, backoff and replay passes are {@link SpoolDrain}'s.
 *   <li><b>Flush is a barrier in the queue.</b> The queue is FIFO, so every row whose {@code
 *       append} returned before {@code flush} was called is ahead of the barrier, or spilled
 *       before it and thus numbered in the spool at or below the barrier's target.
 *   <li><b>Close counts appends in progress</b> ({@code appending}) before it puts Stop, so an
 *       append that passed the closed check is in the queue or the spool before Stop is.
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
  private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long CLOSE_REPLAY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  /**
   * How the writer works.
   *
   * @param strict true for {@code ledger.durability: strict}: {@link #appendBeforeAnswer} completes
   *     after the row is committed (or forced to the spool)
   * @param batchSize most rows per transaction (e.g. 500)
   * @param flushInterval longest a row without a waiting answer stays in memory (e.g. 200 ms)
   * @param queueCapacity rows held in memory before appends spill to the spool (e.g. 100,000)
   * @param commitTimeout longest a commit may take before its batch goes to the spool (e.g. 1 s)
   * @param spoolDir where spool segments are written and found
   */
  public record Settings(boolean strict, int batchSize, Duration flushInterval, int queueCapacity,
      Duration commitTimeout, Path spoolDir) {
    public Settings {
      if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      if (flushInterval == null || flushInterval.isNegative()) {
        throw new IllegalArgumentException("flush interval must be zero or positive, got " + flushInterval);
      }
      if (queueCapacity < 1) throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
      if (commitTimeout == null || commitTimeout.isNegative() || commitTimeout.isZero()) {
        throw new IllegalArgumentException("commit timeout must be positive, got " + commitTimeout);
      }
      if (spoolDir == null) throw new IllegalArgumentException("a spool directory is required");
    }
  }

  private sealed interface Entry permits Row, Barrier, Stop, Wake {}

  private record Row(UsageRecord record, long enqueuedNanos, CompletableFuture<Void> durable) implements Entry {}

  private record Barrier(CountDownLatch released) implements Entry {}

  private record Stop() implements Entry {}

  /** Nothing to write: makes the writer look at its housekeeping now. */
  private record Wake() implements Entry {}

  private record Spilled(long sequence, CompletableFuture<Void> durable) {}

  private record PendingBarrier(CountDownLatch released, long spoolTarget) {}

  private static final Wake WAKE = new Wake();

  private final Settings settings;
  private final LedgerInsert insert;
  private final Spool spool;
  private final SpoolDrain drain;
  private final BlockingQueue<Entry> queue;
  private final Thread writer;
  private final Thread spillSyncer;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger appending = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayedOwn = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final ConcurrentLinkedQueue<Spilled> awaitingSync = new ConcurrentLinkedQueue<>();
  private final Semaphore syncRequests = new Semaphore(0);
  private volatile boolean syncerStopping;
  private volatile long lastCommitLagMillis;
  private volatile long lastSpoolSync = System.nanoTime();

  // Only the writer thread touches these.
  private ExecutorService commits = Waits.newExecutor("tollgate-ledger-commit");
  private Future<?> commitInFlight;
  private long commitSince;
  private final ArrayDeque<PendingBarrier> pendingBarriers = new ArrayDeque<>();

  /**
   * Replays what earlier runs left in the spool (so the ledger is complete before anything reads
   * it), then starts the writer thread.
   */
  public SqlLedgerWriter(Database database, Settings settings) {
    this.settings = settings;
    this.insert = new LedgerInsert(database);
    this.spool = new Spool(settings.spoolDir(), database.describe());
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.drain = new SpoolDrain(spool, new SpoolReplay(insert, spool, settings.batchSize(), replayedOwn::addAndGet),
        settings.commitTimeout(), settings.flushInterval(), () -> queue.offer(WAKE), failedAttempts, lastError);
    drain.replayLeftovers();
    this.writer = Thread.ofPlatform().name("tollgate-ledger-writer").daemon(false).unstarted(this::run);
    this.spillSyncer = Thread.ofPlatform().name("tollgate-ledger-spill-sync").daemon(true).unstarted(this::syncSpills);
    writer.start();
    spillSyncer.start();
  }

  /**
   * Hands the record to the writer and returns at once. If the in-memory queue is full the row is
   * appended to the spool on the caller's thread (a file write, no database round trip).
   *
   * @throws IllegalArgumentException if the record lacks an id, a start time or a status
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void append(UsageRecord record) {
    accept(record, null);
  }

  /** In strict mode, completes once the row is committed or forced to the spool; at once in batched mode. */
  @Override
  public CompletionStage<Void> appendBeforeAnswer(UsageRecord record) {
    if (!settings.strict()) {
      accept(record, null);
      return DONE;
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    accept(record, durable);
    return durable;
  }

  private void accept(UsageRecord record, CompletableFuture<Void> durable) {
    LedgerRows.validate(record);
    appending.incrementAndGet();
    try {
      if (closed.get()) throw new IllegalStateException("ledger writer is closed; record " + record.id() + " was not accepted");
      accepted.incrementAndGet();
      if (!queue.offer(new Row(record, System.nanoTime(), durable))) spill(record, durable);
    } finally {
      appending.decrementAndGet();
    }
  }

  private void spill(UsageRecord record, CompletableFuture<Void> durable) {
    try {
      long sequence = spool.append(List.of(record));
      spooled.incrementAndGet();
      if (durable != null) {
        awaitingSync.add(new Spilled(sequence, durable));
        syncRequests.release();
      }
    } catch (IOException e) {
      lost.incrementAndGet();
      lastError.set(e.toString());
      log.error("ledger queue full and the spool at {} refused row {}; the row is lost: {}", spool.directory(), record.id(),
          e.toString());
      if (durable != null) durable.completeExceptionally(e);
    }
  }

  /** Blocks until every record appended before this call is committed to the database, spooled ones included. */
  @Override
  public void flush() {
    if (Thread.currentThread() == writer) throw new IllegalStateException("flush called from the writer thread");
    awaitBarrier();
  }

  /** Rows accepted but not yet in the database: queued, being written, or spooled. */
  @Override
  public long pending() {
    return Math.max(0, accepted.get() - committed.get() - replayedOwn.get() - lost.get());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      while (appending.get() > 0) Thread.onSpinWait();
      if (writer.isAlive()) putUninterruptibly(new Stop());
    }
    joinWriter();
  }

  /** Rows of this writer in the database: committed directly or replayed from its spool. */
  public long rowsWritten() {
    return committed.get() + replayedOwn.get();
  }

  /** Transactions committed directly since start (replay transactions not counted). */
  public long batchesWritten() {
    return batches.get();
  }

  /** Rows written to the spool since start, by the writer or by appends that found the queue full. */
  public long rowsSpooled() {
    return spooled.get();
  }

  /** Rows replayed into the database from segments that earlier or other processes left in the spool. */
  public long rowsReplayedFromEarlierRuns() {
    return drain.rowsReplayedFromEarlierRuns();
  }

  /** Rows that could neither be queued, committed nor spooled (only when the spool's disk fails too). */
  public long rowsLost() {
    return lost.get();
  }

  /** False while the database is down or slower than the commit timeout and rows go to the spool. */
  public boolean databaseHealthy() {
    return drain.healthy();
  }

  /** The spool directory. */
  public Path spoolDirectory() {
    return spool.directory();
  }

  /** For the last committed batch: milliseconds from its oldest row's append to its commit. */
  public long lastCommitLagMillis() {
    return lastCommitLagMillis;
  }

  /** Commits and replays that failed or timed out since start; a rising figure means storage trouble. */
  public long failedAttempts() {
    return failedAttempts.get();
  }

  /** The last write error, or null if none has happened. */
  public String lastError() {
    return lastError.get();
  }

  // ---- the writer thread ----

  /** What the writer gathered for one transaction. */
  private static final class Batch {
    final List<UsageRecord> rows;
    final List<CompletableFuture<Void>> waiters = new ArrayList<>();
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
          if (row.durable() != null) waiters.add(row.durable());
        }
        case Barrier barrier -> barriers.add(barrier.released());
        case Stop stop -> this.stop = true;
        case Wake wake -> { }
      }
    }

    void clear() {
      rows.clear();
      waiters.clear();
      barriers.clear();
    }
  }

  private void run() {
    Batch batch = new Batch(settings.batchSize());
    List<Entry> drained = new ArrayList<>(settings.batchSize());
    boolean stop = false;
    while (!stop) {
      Entry first = pollUntil(System.nanoTime() + HOUSEKEEPING_NANOS);
      if (first != null) gather(batch, first, drained);
      try {
        if (!batch.rows.isEmpty()) store(batch);
      } catch (RuntimeException e) {
        // A bug, not an outage (those are handled in store): keep the writer alive for the rows after.
        lost.addAndGet(batch.rows.size());
        lastError.set(e.toString());
        log.error("ledger writer failed on a batch of {} rows; they are lost", batch.rows.size(), e);
        batch.waiters.forEach(f -> f.completeExceptionally(e));
      }
      long spoolTarget = spool.appendedThrough();
      for (CountDownLatch b : batch.barriers) pendingBarriers.add(new PendingBarrier(b, spoolTarget));
      stop = batch.stop;
      batch.clear();
      try {
        housekeeping();
      } catch (RuntimeException e) {
        log.error("ledger writer housekeeping failed", e);
      }
    }
    finish();
  }

  private void gather(Batch batch, Entry first, List<Entry> drained) {
    batch.add(first);
    long deadline = System.nanoTime() + settings.flushInterval().toNanos();
    while (!batch.stop && batch.barriers.isEmpty() && batch.rows.size() < settings.batchSize()) {
      if (queue.drainTo(drained, settings.batchSize() - batch.rows.size()) > 0) {
        drained.forEach(batch::add);
        drained.clear();
        continue;
      }
      // Group commit: a strict answer is waiting, and the queue is drained — write now.
      if (batch.rows.isEmpty() || !batch.waiters.isEmpty()) break;
      Entry next = pollUntil(deadline);
      if (next == null) break;
      batch.add(next);
    }
  }

  private void store(Batch batch) {
    List<UsageRecord> rows = List.copyOf(batch.rows);
    if (drain.healthy() && commitInFlight == null) {
      Future<?> commit = submitCommit(rows);
      try {
        Waits.await(commit, settings.commitTimeout().toNanos());
        committed(batch);
        return;
      } catch (TimeoutException e) {
        commitInFlight = commit;
        commitSince = System.nanoTime();
        failedAttempts.incrementAndGet();
        drain.degrade("a ledger commit took longer than " + settings.commitTimeout().toMillis() + " ms", null);
      } catch (ExecutionException e) {
        failedAttempts.incrementAndGet();
        drain.degrade("a ledger commit failed", e.getCause());
      }
    }
    spoolBatch(batch, rows);
  }

  private Future<?> submitCommit(List<UsageRecord> rows) {
    return commits.submit(() -> {
      insert.write(rows);
      return null;
    });
  }

  private void committed(Batch batch) {
    lastCommitLagMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - batch.oldestEnqueuedNanos);
    batches.incrementAndGet();
    committed.addAndGet(batch.rows.size());
    batch.waiters.forEach(f -> f.complete(null));
  }

  private void spoolBatch(Batch batch, List<UsageRecord> rows) {
    long backoff = INITIAL_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        spool.append(rows);
        spooled.addAndGet(rows.size());
        if (settings.strict()) syncSpool();
        batch.waiters.forEach(f -> f.complete(null));
        return;
      } catch (IOException e) {
        failedAttempts.incrementAndGet();
        lastError.set(e.toString());
        log.error("ledger batch of {} rows could be neither committed nor spooled to {} (attempt {}); retrying in {} ms: {}",
            rows.size(), spool.directory(), attempt, backoff, e.toString());
        // Their answers go out now; the rows stay here and are retried.
        if (attempt == 1) batch.waiters.forEach(f -> f.completeExceptionally(e));
      }
      if (commitInFlight == null) {
        try {
          Waits.await(submitCommit(rows), settings.commitTimeout().toNanos());
          committed(batch);
          return;
        } catch (TimeoutException | ExecutionException e) {
          failedAttempts.incrementAndGet();
        }
      }
      Waits.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private void syncSpool() throws IOException {
    spool.sync();
    lastSpoolSync = System.nanoTime();
  }

  private void housekeeping() {
    completeSpilled();
    if (!settings.strict() && spool.syncedThrough() < spool.appendedThrough()
        && System.nanoTime() - lastSpoolSync >= settings.flushInterval().toNanos()) {
      try {
        syncSpool();
      } catch (IOException e) {
        log.warn("forcing the ledger spool to disk failed: {}", e.toString());
      }
    }
    watchCommitInFlight();
    drain.tick(!pendingBarriers.isEmpty(), commitInFlight == null);
    releaseBarriers();
  }

  /**
   * The spill syncer's loop: strict rows that spilled are forced to disk here rather than on the
   * writer thread, which may be waiting up to commit_timeout for a stalled commit.
   */
  private void syncSpills() {
    // Not stopped by an interrupt: one arriving during a force would close the segment's channel.
    while (!syncerStopping) {
      syncRequests.acquireUninterruptibly();
      syncRequests.drainPermits();
      completeSpilled();
    }
  }

  /** Forces the spool for strict rows that spilled there, then lets their answers end. Any thread. */
  private void completeSpilled() {
    if (awaitingSync.isEmpty()) return;
    List<Spilled> due = new ArrayList<>();
    for (Spilled s; (s = awaitingSync.poll()) != null; ) due.add(s);
    long highest = due.stream().mapToLong(Spilled::sequence).max().orElse(0);
    IOException failure = null;
    if (highest > spool.syncedThrough()) {
      try {
        syncSpool();
      } catch (IOException e) {
        failure = e;
        log.error("forcing spilled ledger rows to disk failed: {}", e.toString());
      }
    }
    for (Spilled s : due) {
      if (failure == null) s.durable().complete(null);
      else s.durable().completeExceptionally(failure);
    }
  }

  private void watchCommitInFlight() {
    if (commitInFlight == null) return;
    if (commitInFlight.isDone()) {
      commitInFlight = null;
      drain.commitSettled();
    } else if (System.nanoTime() - commitSince > STUCK_NANOS) {
      log.warn("a ledger commit has hung for {} s; leaving it behind (its rows are spooled)",
          TimeUnit.NANOSECONDS.toSeconds(STUCK_NANOS));
      commits.shutdownNow();
      commits = Waits.newExecutor("tollgate-ledger-commit");
      commitInFlight = null;
    }
  }

  private void releaseBarriers() {
    if (pendingBarriers.isEmpty()) return;
    long through = spool.inDatabaseThrough();
    while (!pendingBarriers.isEmpty() && pendingBarriers.peek().spoolTarget() <= through) {
      pendingBarriers.poll().released().countDown();
    }
  }

  /** After Stop: make what this writer spooled reach the database if it can, within a bound; seal the rest. */
  private void finish() {
    completeSpilled();
    drain.drainBeforeClose(System.nanoTime() + CLOSE_REPLAY_NANOS, commitInFlight == null);
    releaseBarriers();
    syncerStopping = true;
    syncRequests.release();
    completeSpilled();
    try {
      spool.close();
    } catch (IOException e) {
      log.error("closing the ledger spool failed: {}", e.toString());
    }
    commits.shutdown();
    if (spool.holdsUnreplayedRows()) {
      log.warn("ledger writer stopped with {} rows in the spool at {}; they are replayed when this storage is opened next",
          spooled.get() - replayedOwn.get(), spool.directory());
    }
    if (lost.get() > 0) {
      log.error("ledger writer lost {} rows that neither the database nor the spool took: {}", lost.get(), lastError.get());
    }
  }

  // ---- waiting without losing entries to interrupts ----

  /** Puts a barrier and waits for it; false if the writer ended first. */
  private boolean awaitBarrier() {
    CountDownLatch released = new CountDownLatch(1);
    if (!writer.isAlive()) return false;
    putUninterruptibly(new Barrier(released));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (released.await(LIVENESS_CHECK_MS, TimeUnit.MILLISECONDS)) return true;
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
          if (queue.offer(entry, LIVENESS_CHECK_MS, TimeUnit.MILLISECONDS) || !writer.isAlive()) return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  // The writer stops only on a Stop entry, so interrupts (which nobody should send) are ignored.
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
