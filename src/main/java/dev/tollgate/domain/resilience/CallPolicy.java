package dev.tollgate.domain.resilience;

import java.time.Duration;

/**
 * A provider's rules for failed calls.
 *
 * @param retries retries on the same deployment before moving on
 * @param breaker the circuit breaker of each of its deployments; null when it has none
 * @param deadline the longest a request may take from its arrival, retries included (the provider's
 *     total timeout): no retry is started whose wait would end after it
 */
public record CallPolicy(RetryPolicy retries, BreakerPolicy breaker, Duration deadline) {

  public static final CallPolicy NONE = new CallPolicy(RetryPolicy.NONE, null, null);

  public CallPolicy {
    if (retries == null) retries = RetryPolicy.NONE;
  }
}
