package dev.tollgate.pipeline.call;

import java.util.concurrent.Executor;

/**
 * Runs a retry after its wait, on the request's event loop. The gateway uses Vert.x timers; tests
 * inject one that runs at once and records the waits, so that backoff is tested without sleeping.
 */
@FunctionalInterface
public interface RetryTimer {

  void after(long millis, Executor loop, Runnable task);
}
