package dev.tollgate.service;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageObserver;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands ledger rows to the alert detectors on their own thread, so the request path only pays for
 * a queue offer: the detectors' work (and what an alert does — the store, the channels, the audit
 * log) never runs on an event loop. Seeding and periodic checks go through the same thread, so the
 * detectors are never used by two threads at once. When the queue is full a row is dropped and
 * counted rather than making a request wait.
 */
public final class AlertFeed implements UsageObserver, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

  private final AlertService alerts;
  private final ThreadPoolExecutor worker;
  private final AtomicLong dropped = new AtomicLong();

  public AlertFeed(AlertService alerts, int capacity) {
    this.alerts = alerts;
    this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
        Thread.ofPlatform().name("tollgate-alerts").daemon(true).factory(), (task, pool) -> {
          if (dropped.getAndIncrement() % 10_000 == 0) log.warn("alert detectors are behind: {} rows not looked at", dropped.get());
        });
  }

  @Override
  public void observe(UsageRecord record) {
    worker.execute(() -> {
      try {
        alerts.observe(record);
      } catch (RuntimeException e) {
        log.error("alert detectors failed on row {}", record.id(), e);
      }
    });
  }

  /** Runs {@code task} on the detectors' thread (seeding, the forecast check). */
  public void run(String what, Runnable task) {
    worker.execute(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("{} failed", what, e);
      }
    });
  }

  /** Rows not looked at because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Rows and tasks waiting. */
  public int pending() {
    return worker.getQueue().size() + worker.getActiveCount();
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
