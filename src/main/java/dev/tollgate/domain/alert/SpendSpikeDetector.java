package dev.tollgate.domain.alert;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.usage.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend spikes per scope (the org, a team, a workflow, an agent, a key): this hour's spend above
 * {@code factor} × the median of the same hour of the week over the past {@code weeks} weeks.
 *
 * <p>Comparing with the same hour of the week, not with the hour before, is what keeps daily and
 * weekly cycles quiet: Monday 10:00 is compared with earlier Mondays at 10:00, so the morning ramp,
 * the quiet weekend and a report that runs every Monday morning are all part of the baseline. The
 * median, not the mean, so one earlier spike does not lift the baseline. Weeks before the detector
 * had any history (its {@code knownSince}), or before the scope first spent, are left out rather than counted as zero, and a scope
 * needs at least one known week. The baseline is at least {@code minBaselineNanos}, so a scope that
 * spends cents does not fire when it spends a few more cents.
 *
 * <p>Spend is bucketed by the hour in the org's zone (local weeks, so a DST change moves the
 * baseline with the clock on the wall). Only the current hour is judged: rows seeded from the ledger
 * at start ({@link #seed}) build the baseline and never fire. A spike is reported once per scope and
 * hour, on the row that crosses the threshold. Not thread-safe: fed from one thread.
 */
public final class SpendSpikeDetector {

  /** A scope's hour that crossed its threshold. All amounts in nano-dollars. */
  public record Spike(String scope, Instant hourStart, long spent, long baselineMedian, long threshold, int weeksKnown) {}

  private final Clock clock;
  private final ZoneId zone;
  private final double factor;
  private final int weeks;
  private final long minBaselineNanos;
  private final Instant knownSince;
  /** Per scope: the local hour's start (epoch seconds) → nano-dollars spent in it. */
  private final Map<String, TreeMap<Long, Long>> spend = new HashMap<>();
  /** Per scope: the hour whose threshold is cached, its threshold, and whether it already fired. */
  private final Map<String, long[]> judged = new HashMap<>();
  /** Per scope: the first instant it spent anything; weeks before it are unknown, not zero. */
  private final Map<String, Instant> firstSpent = new HashMap<>();

  /**
   * @param factor how many times the baseline median counts as a spike (e.g. 3.0)
   * @param weeks how many earlier weeks make the baseline
   * @param minBaselineNanos the least baseline, in nano-dollars per hour
   * @param knownSince the start of the history the detector sees (seeded or observed); earlier hours are unknown
   */
  public SpendSpikeDetector(Clock clock, ZoneId zone, double factor, int weeks, long minBaselineNanos, Instant knownSince) {
    if (!(factor > 1.0)) throw new IllegalArgumentException("factor must be more than 1");
    if (weeks < 1) throw new IllegalArgumentException("weeks must be at least 1");
    if (minBaselineNanos < 0) throw new IllegalArgumentException("the minimum baseline cannot be negative");
    this.clock = clock;
    this.zone = zone;
    this.factor = factor;
    this.weeks = weeks;
    this.minBaselineNanos = minBaselineNanos;
    this.knownSince = knownSince;
  }

  /** The scopes a row's spend counts in: the org, and its team, workflow, agent and key when it has them. */
  public static List<String> scopesOf(UsageRecord r) {
    List<String> scopes = new ArrayList<>(5);
    scopes.add("org");
    Attribution a = r.attribution();
    if (a.team() != null) scopes.add("team:" + a.team());
    if (a.workflow() != null) scopes.add("workflow:" + a.workflow());
    if (a.agent() != null) scopes.add("agent:" + a.agent());
    if (r.keyName() != null) scopes.add("key:" + r.keyName());
    return scopes;
  }

  /** Adds history (from the ledger at start): counted in the baseline, never judged. */
  public void seed(String scope, Instant at, long nanos) {
    add(scope, hourStart(at), nanos);
  }

  /**
   * Adds one row's cost to a scope and judges the scope's current hour.
   *
   * @return the spike when this row made the hour cross its threshold, else null
   */
  public Spike spent(String scope, Instant at, long nanos) {
    long hour = hourStart(at);
    long total = add(scope, hour, nanos);
    if (hour != hourStart(clock.instant())) return null;
    long[] j = judged.get(scope);
    if (j == null || j[0] != hour) {
      j = threshold(scope, hour);
      judged.put(scope, j);
    }
    if (j[1] < 0 || j[2] == 1 || total <= j[1]) return null;
    j[2] = 1;
    return new Spike(scope, Instant.ofEpochSecond(hour), total, j[3], j[1], (int) j[4]);
  }

  /** Forgets scopes with no spend in the baseline's reach (a retired key), so memory follows the active scopes. */
  public void forgetIdle() {
    long oldest = hourStart(clock.instant()) - Duration.ofDays(7L * weeks + 1).toSeconds();
    spend.values().removeIf(hours -> hours.isEmpty() || hours.lastKey() < oldest);
    judged.keySet().retainAll(spend.keySet());
    firstSpent.keySet().retainAll(spend.keySet());
  }

  int scopes() {
    return spend.size();
  }

  private long add(String scope, long hour, long nanos) {
    Instant at = Instant.ofEpochSecond(hour);
    firstSpent.merge(scope, at, (a, b) -> a.isBefore(b) ? a : b);
    TreeMap<Long, Long> hours = spend.computeIfAbsent(scope, s -> new TreeMap<>());
    long total = hours.merge(hour, nanos, Long::sum);
    // Keep one week more than the baseline needs (the local week may be 167 or 169 hours around DST).
    hours.headMap(hour - Duration.ofDays(7L * weeks + 8).toSeconds()).clear();
    return total;
  }

  /** {hour, threshold (-1 when the scope has no known week), fired 0/1, median, weeks known}. */
  private long[] threshold(String scope, long hour) {
    TreeMap<Long, Long> hours = spend.get(scope);
    ZonedDateTime local = Instant.ofEpochSecond(hour).atZone(zone);
    long[] past = new long[weeks];
    int known = 0;
    for (int w = 1; w <= weeks; w++) {
      Instant earlier = local.minusWeeks(w).toInstant();
      if (earlier.isBefore(knownSince) || earlier.isBefore(firstSpent.get(scope))) break;
      past[known++] = hours.getOrDefault(earlier.getEpochSecond(), 0L);
    }
    if (known == 0) return new long[] {hour, -1, 0, 0, 0};
    long median = median(Arrays.copyOf(past, known));
    long base = Math.max(median, minBaselineNanos);
    // The product is compared in whole nano-dollars; the factor is a ratio, not money.
    long threshold = (long) Math.floor(base * factor);
    return new long[] {hour, threshold, 0, median, known};
  }

  private static long median(long[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private long hourStart(Instant at) {
    return at.atZone(zone).truncatedTo(ChronoUnit.HOURS).toEpochSecond();
  }
}
