package dev.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * YAML {@code alerts:} — channels ({@code [ { type: webhook, url, secret }, { type: slack, url } ]}),
 * cooldown (30m: the least time between two notices of one open incident), runaway ({@code min_runs: 8,
 * min_period: 5m, tolerance: 0.1, action: none | throttle | suspend, throttle_per_minute: 6}) and error_rate ({@code window_minutes: 5,
 * min_calls: 20, threshold: 0.2}); {@code rules} holds spend_spike, retry_storm and forecast (see {@link AlertRules}).
 */
public record AlertsConfig(List<Channel> channels, Duration cooldown, int runawayMinRuns, Duration runawayMinPeriod,
    double runawayTolerance, String runawayAction, int errorWindowMinutes, int errorMinCalls, double errorThreshold,
    AlertRules rules) {

  /** One channel; {@code secret} signs webhook bodies (HMAC-SHA256), null for none. */
  public record Channel(String type, String url, String secret) {}

  public static AlertsConfig defaults() {
    return new AlertsConfig(List.of(), Duration.ofMinutes(30), 8, Duration.ofMinutes(5), 0.1, "none", 5, 20, 0.2, AlertRules.defaults());
  }
}
