package dev.tollgate.metrics;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageObserver;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an observer of each finished request on a thread of its own, so that work with I/O in it —
 * writing the access log line to a pipe or a file that may be slow — never runs on an event loop.
 * The queue is bounded; when it is full the row is observed on the caller's thread instead, so no
 * row is skipped (the caller slows down rather than losing a line). {@link #close} tells the rows
 * still queued before it returns.
 */
public final class BackgroundObserver implements UsageObserver, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundObserver.class);
  private static final UsageRecord STOP = null;

  private final UsageObserver target;
  private final BlockingQueue<UsageRecord> queue;
  private final Thread thread;
  private volatile boolean closed;

  public BackgroundObserver(String name, UsageObserver target, int capacity) {
    this.target = target;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
  }

  @Override
  public void observe(UsageRecord record) {
    if (closed || !queue.offer(record)) tell(record);
  }

  private void run() {
    while (true) {
      UsageRecord r;
      try {
        r = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (r != STOP) tell(r);
      else if (closed) return;
    }
  }

  private void tell(UsageRecord r) {
    try {
      target.observe(r);
    } catch (RuntimeException e) {
      log.warn("observer failed on request {}: {}", r.id(), e.toString());
    }
  }

  /** Stops taking rows and waits (up to 5 s) until every queued one has been told. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    UsageRecord r;
    while ((r = queue.poll()) != null) tell(r);
  }
}
