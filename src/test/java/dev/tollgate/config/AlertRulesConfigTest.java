package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code alerts.spend_spike}, {@code retry_storm}, {@code forecast} and the runaway throttle: read, defaulted, refused with their key paths. */
class AlertRulesConfigTest {

  static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", name -> null, null);
  }

  @Test
  void absentRulesTakeTheDocumentedDefaults() {
    AlertRules r = parse("storage: sqlite:x.db\n").alerts().rules();
    assertThat(r).isEqualTo(AlertRules.defaults());
    assertThat(r.spendSpike().enabled()).isTrue();
    assertThat(r.spendSpike().factor()).isEqualByComparingTo("3");
    assertThat(r.spendSpike().weeks()).isEqualTo(4);
    assertThat(r.spendSpike().minBaselineUsd()).isEqualByComparingTo("5");
    assertThat(r.retryStorm().count()).isEqualTo(20);
    assertThat(r.retryStorm().window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.forecast().checkEvery()).isEqualTo(Duration.ofMinutes(15));
    assertThat(r.spendSpike().action()).isEqualTo("none");
  }

  @Test
  void everyRuleIsRead() {
    AlertsConfig a = parse("""
        storage: sqlite:x.db
        alerts:
          runaway: { action: throttle, throttle_per_minute: 2 }
          spend_spike: { enabled: true, factor: 2.5, weeks: 6, min_baseline_usd: 0.5, action: suspend }
          retry_storm: { count: 8, window: 2m, action: throttle, throttle_per_minute: 10 }
          forecast: { enabled: false, check_every: 1h }
        """).alerts();
    assertThat(a.runawayAction()).isEqualTo("throttle");
    assertThat(a.rules()).isEqualTo(new AlertRules(2,
        new AlertRules.SpendSpike(true, new BigDecimal("2.5"), 6, new BigDecimal("0.5"), "suspend", 6),
        new AlertRules.RetryStorm(true, 8, Duration.ofMinutes(2), "throttle", 10),
        new AlertRules.Forecast(false, Duration.ofHours(1))));
  }

  @Test
  void badValuesAreRefusedNamingTheirKeys() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
        storage: sqlite:x.db
        alerts:
          runaway: { action: pause, throttle_per_minute: 0 }
          spend_spike: { enabled: "yes", factor: 1, weeks: 0, min_baseline_usd: -1 }
          retry_storm: { count: 1, action: block }
          forecast: { check_every: 10s }
        """));
    assertThat(e.errors()).extracting(ConfigError::keyPath).containsExactlyInAnyOrder("alerts.runaway.action",
        "alerts.runaway.throttle_per_minute", "alerts.spend_spike.enabled", "alerts.spend_spike.factor", "alerts.spend_spike.weeks",
        "alerts.spend_spike.min_baseline_usd", "alerts.retry_storm.count", "alerts.retry_storm.action", "alerts.forecast.check_every");
  }
}
