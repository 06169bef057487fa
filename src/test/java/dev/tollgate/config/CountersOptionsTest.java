package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code counters_options:}: the fail mode and local share of Redis counters, validated with their key paths. */
class CountersOptionsTest {

  static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", name -> null, null);
  }

  @Test
  void absentOptionsTakeTheDocumentedDefaults() {
    GatewayConfig c = parse("counters: redis://127.0.0.1:6379\n");
    assertThat(c.countersOptions()).isEqualTo(CountersConfig.defaults());
    assertThat(c.countersOptions().onRedisDown()).isEqualTo(CountersConfig.OnRedisDown.FAIL_CLOSED);
    assertThat(c.countersOptions().localLimitFraction()).isEqualByComparingTo("0.25");
    assertThat(c.countersOptions().keyPrefix()).isEqualTo("tollgate:");
    assertThat(c.countersOptions().timeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void everyOptionIsRead() {
    GatewayConfig c = parse("""
        counters: redis://10.0.0.5:6379/2
        counters_options:
          on_redis_down: fail_open_with_local_limits
          local_limit_fraction: 0.1
          key_prefix: "tollgate-prod:"
          timeout: 250ms
        """);
    assertThat(c.counters()).isEqualTo("redis://10.0.0.5:6379/2");
    assertThat(c.countersOptions()).isEqualTo(new CountersConfig(CountersConfig.OnRedisDown.FAIL_OPEN_WITH_LOCAL_LIMITS,
        new BigDecimal("0.1"), "tollgate-prod:", Duration.ofMillis(250)));
  }

  @Test
  void badValuesAreRefusedWithTheirKeyPaths() {
    assertThatThrownBy(() -> parse("""
        counters: redis://127.0.0.1:6379
        counters_options: { on_redis_down: fail_silently, local_limit_fraction: 1.5, key_prefix: "a b", timeout: soon, ttl: 3 }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("counters_options.on_redis_down: must be fail_closed")
        .hasMessageContaining("got 'fail_silently'")
        .hasMessageContaining("counters_options.local_limit_fraction: must be between 0 and 1")
        .hasMessageContaining("counters_options.key_prefix: must be a non-empty prefix without spaces")
        .hasMessageContaining("counters_options.timeout:")
        .hasMessageContaining("unknown key 'ttl' under counters_options");
  }

  @Test
  void aFractionOfZeroMeansNothingIsAdmittedAlone() {
    GatewayConfig c = parse("counters: redis://127.0.0.1:6379\ncounters_options: { local_limit_fraction: 0 }\n");
    assertThat(c.countersOptions().localLimitFraction()).isEqualByComparingTo("0");
  }
}
