package dev.tollgate.store.sql;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting on the ledger writer's own threads, which stop only when told to (a Stop entry), so an
 * interrupt — which nobody should send them — is ignored rather than allowed to lose work.
 */
final class Waits {

  private Waits() {}

  static <T> T await(Future<T> future, long nanos) throws ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      try {
        return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ignored) {
        // keep going
      }
    }
  }

  static void sleep(long millis) {
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

  /** One daemon thread: a database call that hangs on it never keeps the JVM alive. */
  static ExecutorService newExecutor(String name) {
    return Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
  }
}
