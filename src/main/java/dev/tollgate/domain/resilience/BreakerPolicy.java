package dev.tollgate.domain.resilience;

import java.time.Duration;

/**
 * When a deployment is taken out of rotation: after {@code failures} failed calls in a row (5xx,
 * timeouts, refused or broken connections; a 429 counts neither way) it is skipped for
 * {@code openFor}; then up to {@code halfOpenProbes} requests at a time probe it, and the first
 * success puts it back while a failure takes it out again.
 */
public record BreakerPolicy(int failures, Duration openFor, int halfOpenProbes) {

  public static final int DEFAULT_FAILURES = 5;
  public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);

  public BreakerPolicy {
    if (failures < 1 || halfOpenProbes < 1 || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("failures and probes must be positive, openFor longer than zero");
    }
  }
}
