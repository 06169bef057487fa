package dev.tollgate.app;

import dev.tollgate.config.CountersConfig;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.port.CounterStore;
import dev.tollgate.store.memory.MemoryCounterStore;
import dev.tollgate.store.redis.RedisCounterStore;
import dev.tollgate.store.redis.RedisGenerations;
import dev.tollgate.store.redis.ResilientCounterStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the counter store from {@code counters:}: in memory for one gateway, Redis for many replicas. */
final class CounterStores {

  private static final Logger log = LoggerFactory.getLogger(CounterStores.class);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

  private CounterStores() {}

  /**
   * {@code memory} → {@link MemoryCounterStore}; {@code redis://…} → {@link RedisCounterStore} behind a
   * {@link ResilientCounterStore} that applies {@code counters_options.on_redis_down}. With Redis, the
   * start-up rebuild from the ledger only seeds counters Redis does not have yet (see
   * {@link RedisCounterStore#add}), so replicas starting one after another never count the ledger twice.
   */
  static CounterStore open(Vertx vertx, GatewayConfig config) {
    if ("memory".equals(config.counters())) return new MemoryCounterStore();
    CountersConfig o = config.countersOptions();
    RedisCounterStore redis = new RedisCounterStore(vertx, config.counters(), o.keyPrefix(), o.timeout());
    ResilientCounterStore.OnDown mode = o.onRedisDown() == CountersConfig.OnRedisDown.FAIL_CLOSED
        ? ResilientCounterStore.OnDown.FAIL_CLOSED : ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS;
    log.info("budget counters in Redis at {} (keys {}*, on_redis_down {}{})", redis.where(), o.keyPrefix(),
        o.onRedisDown().wire(), mode == ResilientCounterStore.OnDown.FAIL_CLOSED ? ""
            : ", local_limit_fraction " + o.localLimitFraction().toPlainString());
    if (!redis.warmUp()) {
      log.warn("Redis at {} did not answer at start-up; requests with budgets are {} until it does", redis.where(),
          mode == ResilientCounterStore.OnDown.FAIL_CLOSED ? "refused (503)" : "admitted within local limits");
    }
    return new ResilientCounterStore(redis, redis::ping, mode, o.localLimitFraction(), PROBE_INTERVAL, redis.where(),
        new RedisGenerations(redis, java.time.Clock.systemUTC()));
  }

  /**
   * With Redis: tells the store how to rebuild the counters from the ledger when Redis has lost them,
   * then checks once (blocking) — a Redis without a generation is rebuilt, or another replica's
   * rebuild awaited, before this replica serves. Nothing to do with counters in memory.
   */
  static void rebuildWhenLost(CounterStore counters, java.util.function.Consumer<CounterStore> rebuild) {
    if (!(counters instanceof ResilientCounterStore r) || r.generations() == null) return;
    r.generations().rebuildWith(rebuild);
    r.checkNow();
  }
}
