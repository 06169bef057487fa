package dev.tollgate.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The alert rules beyond the first ones ({@code alerts.spend_spike}, {@code alerts.retry_storm},
 * {@code alerts.forecast}) and the throttle rate of {@code alerts.runaway.action: throttle}.
 * An {@code action} is {@code none}, {@code throttle} (to {@code throttle_per_minute} requests a
 * minute) or {@code suspend}, until the alert is acknowledged.
 */
public record AlertRules(int runawayThrottlePerMinute, SpendSpike spendSpike, RetryStorm retryStorm, Forecast forecast) {

  /** This hour's spend per scope above {@code factor} × the median of the same hour of the week over {@code weeks} weeks. */
  public record SpendSpike(boolean enabled, BigDecimal factor, int weeks, BigDecimal minBaselineUsd, String action,
      int throttlePerMinute) {}

  /** The same prompt from one key and workflow {@code count} times within {@code window}. */
  public record RetryStorm(boolean enabled, int count, Duration window, String action, int throttlePerMinute) {}

  /** Budgets projected over their limit, looked at every {@code checkEvery}. */
  public record Forecast(boolean enabled, Duration checkEvery) {}

  static final List<String> ACTIONS = List.of("none", "throttle", "suspend");

  public static AlertRules defaults() {
    return new AlertRules(6, new SpendSpike(true, BigDecimal.valueOf(3), 4, BigDecimal.valueOf(5), "none", 6),
        new RetryStorm(true, 20, Duration.ofMinutes(5), "none", 6), new Forecast(true, Duration.ofMinutes(15)));
  }

  /** Reads the rules' sections of {@code alerts} (the runaway section only for its throttle rate). */
  static AlertRules parse(Section alerts, Section runaway) {
    AlertRules d = defaults();
    Long runawayRate = runaway.whole("throttle_per_minute", 1, 100_000, d.runawayThrottlePerMinute());

    Section s = alerts.section("spend_spike", List.of("enabled", "factor", "weeks", "min_baseline_usd", "action",
        "throttle_per_minute"));
    BigDecimal factor = s.present("factor") ? s.decimal("factor") : d.spendSpike().factor();
    if (factor != null && factor.compareTo(BigDecimal.ONE) <= 0) s.error("factor", "must be more than 1 (3 = three times the usual spend)");
    Long weeks = s.whole("weeks", 1, 26, d.spendSpike().weeks());
    BigDecimal minBaseline = s.present("min_baseline_usd") ? s.decimal("min_baseline_usd") : d.spendSpike().minBaselineUsd();
    if (minBaseline != null && minBaseline.signum() < 0) s.error("min_baseline_usd", "cannot be negative");
    SpendSpike spike = new SpendSpike(enabled(s, d.spendSpike().enabled()), factor == null ? d.spendSpike().factor() : factor,
        weeks == null ? d.spendSpike().weeks() : weeks.intValue(), minBaseline == null ? d.spendSpike().minBaselineUsd() : minBaseline,
        action(s, d.spendSpike().action()), rate(s, d.spendSpike().throttlePerMinute()));

    Section r = alerts.section("retry_storm", List.of("enabled", "count", "window", "action", "throttle_per_minute"));
    Long count = r.whole("count", 2, 1_000_000, d.retryStorm().count());
    Duration window = r.duration("window", false, d.retryStorm().window());
    RetryStorm storm = new RetryStorm(enabled(r, d.retryStorm().enabled()), count == null ? d.retryStorm().count() : count.intValue(),
        window == null ? d.retryStorm().window() : window, action(r, d.retryStorm().action()), rate(r, d.retryStorm().throttlePerMinute()));

    Section f = alerts.section("forecast", List.of("enabled", "check_every"));
    Duration every = f.duration("check_every", false, d.forecast().checkEvery());
    if (every != null && every.compareTo(Duration.ofMinutes(1)) < 0) f.error("check_every", "must be at least 1m");
    Forecast forecast = new Forecast(enabled(f, d.forecast().enabled()), every == null ? d.forecast().checkEvery() : every);

    return new AlertRules(runawayRate == null ? d.runawayThrottlePerMinute() : runawayRate.intValue(), spike, storm, forecast);
  }

  private static boolean enabled(Section s, boolean fallback) {
    var node = s.raw("enabled");
    if (node == null || node.isNull()) return fallback;
    if (!node.isBoolean()) {
      s.error("enabled", "must be true or false");
      return fallback;
    }
    return node.asBoolean();
  }

  private static String action(Section s, String fallback) {
    String action = s.text("action", fallback);
    if (action != null && !ACTIONS.contains(action)) s.error("action", "must be none, throttle or suspend");
    return action == null ? fallback : action;
  }

  private static int rate(Section s, int fallback) {
    Long rate = s.whole("throttle_per_minute", 1, 100_000, fallback);
    return rate == null ? fallback : rate.intValue();
  }
}
