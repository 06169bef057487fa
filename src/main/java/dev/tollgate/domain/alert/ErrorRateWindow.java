package dev.tollgate.domain.alert;

import java.time.Instant;

/**
 * Error share of one provider over a rolling window, in one-minute buckets: enough to tell a spike
 * (e.g. more than 20% of at least 20 calls failing in the last five minutes) from a stray failure.
 */
public final class ErrorRateWindow {

  private final int minutes;
  private final long[] calls;
  private final long[] errors;
  private final long[] minuteOf;

  public ErrorRateWindow(int minutes) {
    this.minutes = minutes;
    this.calls = new long[minutes];
    this.errors = new long[minutes];
    this.minuteOf = new long[minutes];
  }

  public synchronized void record(Instant at, boolean error) {
    long minute = at.getEpochSecond() / 60;
    int i = (int) Math.floorMod(minute, (long) minutes);
    if (minuteOf[i] != minute) {
      minuteOf[i] = minute;
      calls[i] = 0;
      errors[i] = 0;
    }
    calls[i]++;
    if (error) errors[i]++;
  }

  /** {calls, errors} within the window ending at {@code now}. */
  public synchronized long[] totals(Instant now) {
    long minute = now.getEpochSecond() / 60;
    long c = 0;
    long e = 0;
    for (int i = 0; i < minutes; i++) {
      if (minuteOf[i] > minute - minutes && minuteOf[i] <= minute) {
        c += calls[i];
        e += errors[i];
      }
    }
    return new long[] {c, e};
  }
}
