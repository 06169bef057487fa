package dev.tollgate.store.redis;

/**
 * The shared counters could not answer (Redis down, unreachable or too slow). Admission turns any
 * failure to reserve into a 503 {@code counters_unavailable}: a request that cannot be checked against
 * its budgets is not admitted, so that no cap can be overshot (see {@link ResilientCounterStore} for
 * the mode that admits within local limits instead).
 */
public class CountersUnavailableException extends RuntimeException {

  public CountersUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  public CountersUnavailableException(String message) {
    super(message, null, false, false);
  }
}
