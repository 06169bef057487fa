package dev.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * YAML {@code alerts:} — channels ({@code [ { type: webhook, url, secret }, { type: slack, url }, { type: email, smtp, from, to,
 * teams, console_url } ]}),
 * cooldown (30m: the least time between two notices of one open incident), runaway ({@code min_runs: 8,
 * min_period: 5m, tolerance: 0.1, action: none | throttle | suspend, throttle_per_minute: 6}) and error_rate ({@code window_minutes: 5,
 * min_calls: 20, threshold: 0.2}); {@code rules} holds spend_spike, retry_storm and forecast (see {@link AlertRules}).
 */
public record AlertsConfig(List<Channel> channels, Duration cooldown, int runawayMinRuns, Duration runawayMinPeriod,
    double runawayTolerance, String runawayAction, int errorWindowMinutes, int errorMinCalls, double errorThreshold,
    AlertRules rules) {

  /** One channel; {@code secret} signs webhook bodies (HMAC-SHA256), null for none; {@code email} only for type email. */
  public record Channel(String type, String url, String secret, Email email) {
    public Channel(String type, String url, String secret) {
      this(type, url, secret, null);
    }
  }

  /**
   * An email channel: the SMTP server, the sender, the default recipients and, per team, the recipients
   * of that team's alerts (instead of the default list).
   *
   * @param tls {@code starttls} (upgrade required), {@code tls} (TLS from the first byte, port 465) or {@code none}
   * @param password from the environment ({@code ${SMTP_PASSWORD}}); never printed, not even by {@link #toString}
   * @param consoleUrl the gateway's public address, for the console link in the email (null: the link is relative)
   */
  public record Email(String host, int port, String tls, String username, String password, String from, List<String> to,
      java.util.Map<String, List<String>> teams, String consoleUrl) {

    /** Who hears about an alert of this team (null: of no team). */
    public List<String> recipients(String team) {
      List<String> forTeam = team == null ? null : teams.get(team);
      return forTeam == null || forTeam.isEmpty() ? to : forTeam;
    }

    @Override
    public String toString() {
      return "Email[smtp=" + host + ":" + port + " tls=" + tls + " user=" + username + " password=" + (password == null ? "none" : "***")
          + " from=" + from + " to=" + to + " teams=" + teams.keySet() + "]";
    }
  }

  public static AlertsConfig defaults() {
    return new AlertsConfig(List.of(), Duration.ofMinutes(30), 8, Duration.ofMinutes(5), 0.1, "none", 5, 20, 0.2, AlertRules.defaults());
  }
}
