package dev.tollgate.domain.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Recognises an automation running on its own: requests from one key, agent or workflow arriving on
 * a fixed period (e.g. every 15 minutes through the night). It keeps the last arrivals and calls the
 * pattern runaway when there are at least {@code minRuns} of them, the gaps are regular (their spread
 * under {@code tolerance} of the mean gap) and the mean gap is at least {@code minPeriod} — so a
 * person typing, or a busy service with irregular traffic, does not look like a runaway job.
 */
public final class CadenceDetector {

  private final int minRuns;
  private final Duration minPeriod;
  private final double tolerance;
  private final Deque<Instant> arrivals = new ArrayDeque<>();

  public CadenceDetector(int minRuns, Duration minPeriod, double tolerance) {
    this.minRuns = minRuns;
    this.minPeriod = minPeriod;
    this.tolerance = tolerance;
  }

  /** Records an arrival; returns the detected period if the last arrivals form a regular cadence, else null. */
  public synchronized Duration arrived(Instant at) {
    arrivals.addLast(at);
    while (arrivals.size() > minRuns) arrivals.removeFirst();
    if (arrivals.size() < minRuns) return null;
    Instant[] a = arrivals.toArray(new Instant[0]);
    double[] gaps = new double[a.length - 1];
    double sum = 0;
    for (int i = 1; i < a.length; i++) {
      gaps[i - 1] = Duration.between(a[i - 1], a[i]).toMillis();
      sum += gaps[i - 1];
    }
    double mean = sum / gaps.length;
    if (mean < minPeriod.toMillis()) return null;
    double maxDeviation = 0;
    for (double g : gaps) maxDeviation = Math.max(maxDeviation, Math.abs(g - mean));
    return maxDeviation <= tolerance * mean ? Duration.ofMillis(Math.round(mean)) : null;
  }
}
