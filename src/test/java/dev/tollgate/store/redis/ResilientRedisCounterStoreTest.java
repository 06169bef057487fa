package dev.tollgate.store.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.port.CounterStore;
import dev.tollgate.store.CounterStoreContract;
import dev.tollgate.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The counter protocol through the store the gateway really uses with Redis: Redis behind the fail-mode wrapper. */
class ResilientRedisCounterStoreTest extends CounterStoreContract {

  static Vertx vertx;
  final List<String> prefixes = new ArrayList<>();

  @BeforeAll
  static void requireRedis() {
    if (!RedisTestServer.available()) System.out.println(RedisTestServer.SKIP_MESSAGE);
    assumeTrue(RedisTestServer.available(), RedisTestServer.SKIP_MESSAGE);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    if (vertx != null) vertx.close().await();
  }

  @AfterEach
  void deleteKeys() {
    prefixes.forEach(RedisTestServer::deleteAll);
  }

  @Override
  protected CounterStore open() {
    String prefix = RedisTestServer.newPrefix("resilient");
    prefixes.add(prefix);
    RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5));
    return new ResilientCounterStore(redis, redis::ping, ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS,
        new BigDecimal("0.25"), Duration.ofMillis(100), redis.where());
  }
}
