package dev.tollgate.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * YAML {@code counters_options:} — how Redis counters ({@code counters: redis://…}) behave; ignored
 * with {@code counters: memory}.
 *
 * @param onRedisDown what admission does while Redis does not answer: refuse requests that have
 *     budgets with 503 (fail_closed, the default) or admit within local limits
 * @param localLimitFraction with fail_open_with_local_limits, the share of each hard limit one replica
 *     may admit on its own while Redis is down (0.25)
 * @param keyPrefix put in front of every Redis key ({@code tollgate:}); replicas that share budgets share it
 * @param timeout how long a call waits for Redis before Redis counts as down (1s)
 */
public record CountersConfig(OnRedisDown onRedisDown, BigDecimal localLimitFraction, String keyPrefix, Duration timeout) {

  public enum OnRedisDown {
    FAIL_CLOSED("fail_closed"),
    FAIL_OPEN_WITH_LOCAL_LIMITS("fail_open_with_local_limits");

    private final String wire;

    OnRedisDown(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public static CountersConfig defaults() {
    return new CountersConfig(OnRedisDown.FAIL_CLOSED, new BigDecimal("0.25"), "tollgate:", Duration.ofSeconds(1));
  }
}
