package dev.tollgate.store.sql;

import dev.tollgate.store.spool.Spool;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writer's view of the database's health, and the replay that drains the spool back into
 * it. Healthy: batches are committed directly. Degraded (a commit failed or outran commit_timeout):
 * batches go to the spool, and a replay pass — which doubles as the probe — runs after a backoff of
 * 50 ms doubling to 5 s; a pass whose every commit beats commit_timeout, with no commit of the
 * writer still hanging, makes it healthy again. Replay passes run on their own thread; everything
 * here is called from the writer thread, except {@link #healthy()}.
 */
final class SpoolDrain {

  private static final Logger log = LoggerFactory.getLogger(SpoolDrain.class);
  private static final long INITIAL_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long FOREIGN_SCAN_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Spool spool;
  private final SpoolReplay replay;
  private final Duration commitTimeout;
  private final long paceNanos;
  private final Runnable wakeWriter;
  private final AtomicLong failedAttempts;
  private final AtomicReference<String> lastError;
  private final AtomicLong replayedEarlier = new AtomicLong();

  private volatile boolean healthy = true;
  private ExecutorService replays = Waits.newExecutor("tollgate-ledger-replay");
  private Future<SpoolReplay.Outcome> inFlight;
  private long inFlightSince;
  private long nextPassAt = System.nanoTime();
  private long backoffMs = INITIAL_BACKOFF_MS;
  private long nextForeignScanAt = System.nanoTime();

  /**
   * @param flushInterval paces replays of spilled rows while healthy (clamped to 10 ms..1 s)
   * @param wakeWriter called when a pass ends, so that the writer looks at it without delay
   */
  SpoolDrain(Spool spool, SpoolReplay replay, Duration commitTimeout, Duration flushInterval, Runnable wakeWriter,
      AtomicLong failedAttempts, AtomicReference<String> lastError) {
    this.spool = spool;
    this.replay = replay;
    this.commitTimeout = commitTimeout;
    this.paceNanos = Math.clamp(flushInterval.toNanos(), TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
    this.wakeWriter = wakeWriter;
    this.failedAttempts = failedAttempts;
    this.lastError = lastError;
  }

  /** False while batches go to the spool. */
  boolean healthy() {
    return healthy;
  }

  long rowsReplayedFromEarlierRuns() {
    return replayedEarlier.get();
  }

  /** Replays, on the caller's thread, what earlier runs left in the spool; degrades if it cannot. */
  void replayLeftovers() {
    try {
      SpoolReplay.Outcome outcome = replay.replayAll();
      replayedEarlier.addAndGet(outcome.earlierRows());
      if (outcome.earlierRows() > 0) {
        log.info("replayed {} ledger rows that an earlier run left in the spool at {}", outcome.earlierRows(),
            spool.directory());
      }
    } catch (SQLException | IOException | RuntimeException e) {
      failedAttempts.incrementAndGet();
      degrade("replaying the ledger spool at start failed", e);
    }
  }

  /** A commit failed or outran commit_timeout: batches go to the spool until a replay pass shows the database keeps up. */
  void degrade(String reason, Throwable cause) {
    lastError.set(cause == null ? reason : cause.toString());
    if (healthy) {
      log.warn("{}; ledger rows go to the spool at {} until the database keeps up again ({})", reason, spool.directory(),
          lastError.get());
    }
    healthy = false;
    nextPassAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
  }

  /** A commit that hung has ended: the database may be worth trying again now. */
  void commitSettled() {
    if (!healthy) nextPassAt = Math.min(nextPassAt, System.nanoTime());
  }

  /**
   * Collects a finished pass and starts the next one when due.
   *
   * @param flushWaiting a flush waits for spooled rows: a healthy writer replays them without pacing
   * @param commitIdle no commit of the writer is still hanging (needed to call the database healthy)
   */
  void tick(boolean flushWaiting, boolean commitIdle) {
    collect(commitIdle);
    if (inFlight != null) return;
    long now = System.nanoTime();
    boolean ownRowsWait = spool.holdsUnreplayedRows();
    if (!(healthy && flushWaiting && ownRowsWait) && now - nextPassAt < 0) return;
    boolean due = !healthy || ownRowsWait;
    if (!due && now - nextForeignScanAt >= 0) {
      nextForeignScanAt = now + FOREIGN_SCAN_NANOS;
      try {
        due = spool.hasReplayable();
      } catch (IOException e) {
        log.warn("cannot list the ledger spool at {}: {}", spool.directory(), e.toString());
      }
    }
    if (due) start();
  }

  /** At close: waits for the pass in flight, then tries once more for what this process spooled, until the deadline. */
  void drainBeforeClose(long deadlineNanos, boolean commitIdle) {
    awaitPass(deadlineNanos, commitIdle);
    if (spool.holdsUnreplayedRows() && System.nanoTime() - deadlineNanos < 0) {
      start();
      awaitPass(deadlineNanos, commitIdle);
    }
    replays.shutdown();
  }

  private void start() {
    try {
      spool.seal();
    } catch (IOException e) {
      log.warn("sealing the ledger spool segment failed: {}", e.toString());
    }
    inFlightSince = System.nanoTime();
    nextPassAt = inFlightSince + paceNanos;
    inFlight = replays.submit(() -> {
      try {
        return replay.replayAll();
      } finally {
        wakeWriter.run();
      }
    });
  }

  private void collect(boolean commitIdle) {
    if (inFlight == null) return;
    if (!inFlight.isDone()) {
      if (System.nanoTime() - inFlightSince > STUCK_NANOS) {
        log.warn("a spool replay has hung for {} s; leaving it behind", TimeUnit.NANOSECONDS.toSeconds(STUCK_NANOS));
        replays.shutdownNow();
        replays = Waits.newExecutor("tollgate-ledger-replay");
        inFlight = null;
        failed(new TimeoutException("spool replay hung"));
      }
      return;
    }
    Future<SpoolReplay.Outcome> done = inFlight;
    inFlight = null;
    try {
      passed(done.get(), commitIdle);
    } catch (ExecutionException e) {
      failed(e.getCause());
    } catch (InterruptedException e) {
      throw new AssertionError("a finished future does not wait", e);
    }
  }

  private void awaitPass(long deadlineNanos, boolean commitIdle) {
    if (inFlight == null) return;
    try {
      passed(Waits.await(inFlight, Math.max(0, deadlineNanos - System.nanoTime())), commitIdle);
    } catch (ExecutionException e) {
      failed(e.getCause());
    } catch (TimeoutException e) {
      log.warn("spool replay still running at close; its segment stays for the next start");
    }
    inFlight = null;
  }

  private void passed(SpoolReplay.Outcome outcome, boolean commitIdle) {
    replayedEarlier.addAndGet(outcome.earlierRows());
    if (healthy) return;
    long now = System.nanoTime();
    if (outcome.fasterThan(commitTimeout) && commitIdle) {
      healthy = true;
      backoffMs = INITIAL_BACKOFF_MS;
      nextPassAt = now; // rows spooled during the pass go next, alongside direct commits
      log.info("the database keeps up again; ledger rows go to it directly");
    } else {
      nextPassAt = now + TimeUnit.MILLISECONDS.toNanos(backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }

  private void failed(Throwable cause) {
    failedAttempts.incrementAndGet();
    if (healthy) degrade("replaying the ledger spool failed", cause);
    else lastError.set(String.valueOf(cause));
    log.debug("spool replay failed; next try in {} ms: {}", backoffMs, String.valueOf(cause));
    nextPassAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
}
