package dev.tollgate.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.port.CounterStore.State;
import dev.tollgate.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis losing the counters while replicas run (restart without persistence, FLUSHALL, failover to an
 * empty replica), simulated on the real Redis by deleting this test's own prefix — never FLUSHALL on
 * the shared server. The ledger is a number the test keeps: the use of every request that ended.
 */
class RedisDataLossTest {

  static Vertx vertx;
  final String prefix = RedisTestServer.newPrefix("loss");
  final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  final Counter month = new Counter("b|team:t|month", 0, now.plus(Duration.ofDays(10)));
  final List<ResilientCounterStore> replicas = java.util.Collections.synchronizedList(new ArrayList<>());
  /** What the ledger says the month's requests used. */
  final AtomicLong ledger = new AtomicLong();
  final AtomicInteger rebuilds = new AtomicInteger();
  /** Holds rebuilds until the test lets them run, so that what happens meanwhile can be seen. */
  volatile CountDownLatch rebuildMayRun = new CountDownLatch(0);

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
  void cleanUp() {
    rebuildMayRun.countDown();
    replicas.forEach(ResilientCounterStore::close);
    RedisTestServer.deleteAll(prefix);
  }

  ResilientCounterStore replica(ResilientCounterStore.OnDown mode) {
    RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(10));
    RedisGenerations generations = new RedisGenerations(redis, Clock.systemUTC());
    generations.rebuildWith(store -> {
      try {
        assertThat(rebuildMayRun.await(30, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      rebuilds.incrementAndGet();
      if (ledger.get() > 0) store.add(month, ledger.get(), now);
    });
    ResilientCounterStore r = new ResilientCounterStore(redis, redis::ping, mode, new BigDecimal("0.25"),
        Duration.ofMillis(50), redis.where(), generations);
    replicas.add(r);
    r.checkNow();
    return r;
  }

  Outcome reserve(ResilientCounterStore store, String id, long amount) {
    return store.reserve(id, List.of(new Claim(month, amount, 100)), now, now.plusSeconds(600)).toCompletableFuture().join();
  }

  void settle(ResilientCounterStore store, String id, long amount) {
    store.settle(id, List.of(new Claim(month, amount, CounterStore.UNLIMITED)), now).toCompletableFuture().join();
    ledger.addAndGet(amount); // the request's ledger row
  }

  State counter(ResilientCounterStore store) {
    return store.read(month, now);
  }

  void loseRedisData() {
    RedisTestServer.deleteAll(prefix);
    assertThat(RedisTestServer.keys(prefix)).isEmpty();
  }

  @Test
  void replicasRebuildTheLostCountersFromTheLedgerOnceAndTheHardCapStillHoldsExactly() {
    var a = replica(ResilientCounterStore.OnDown.FAIL_CLOSED);
    var b = replica(ResilientCounterStore.OnDown.FAIL_CLOSED);
    var c = replica(ResilientCounterStore.OnDown.FAIL_CLOSED);
    assertThat(rebuilds).as("the first start wrote the generation; the others adopted it").hasValue(1);
    assertThat(RedisTestServer.command("GET", prefix + "generation")).isNotNull();
    for (int i = 0; i < 30; i++) {
      assertThat(reserve(a, "a" + i, 1)).isInstanceOf(Outcome.Granted.class);
      settle(a, "a" + i, 1);
    }
    assertThat(reserve(b, "in-flight", 10)).isInstanceOf(Outcome.Granted.class); // a request still running on b

    rebuildMayRun = new CountDownLatch(1);
    loseRedisData();
    // Until the counters are rebuilt, nothing is admitted through an empty Redis (fail_closed: refused).
    assertThatThrownBy(() -> reserve(a, "during", 1)).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(CountersUnavailableException.class);
    assertThat(RedisTestServer.command("EXISTS", prefix + "c:" + month.key())).isEqualTo(0L);
    rebuildMayRun.countDown();

    await().atMost(Duration.ofSeconds(15)).until(() -> a.up() && b.up() && c.up());
    assertThat(rebuilds).as("one rebuild across the three replicas").hasValue(2);
    assertThat(counter(c)).as("the ledger's 30, and b's request in flight held again").isEqualTo(new State(30, 10));

    settle(b, "in-flight", 10);
    int granted = 0;
    List<ResilientCounterStore> all = List.of(a, b, c);
    for (int i = 0; i < 100; i++) {
      if (reserve(all.get(i % 3), "after" + i, 1) instanceof Outcome.Granted) granted++;
    }
    assertThat(granted).as("exactly what is left of the cap of 100 after 40 used").isEqualTo(60);
    assertThat(counter(a)).isEqualTo(new State(40, 60));
  }

  @Test
  void failOpenAdmitsOnlyItsLocalShareWhileTheCountersAreGoneAndCountsItOnceRedisIsRebuilt() {
    var a = replica(ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS);
    for (int i = 0; i < 30; i++) {
      assertThat(reserve(a, "a" + i, 1)).isInstanceOf(Outcome.Granted.class);
      settle(a, "a" + i, 1);
    }
    assertThat(a.up()).as("all 30 went through Redis, none used the local share").isTrue();
    rebuildMayRun = new CountDownLatch(1);
    loseRedisData();

    int admitted = 0;
    for (int i = 0; i < 40; i++) {
      if (reserve(a, "local" + i, 1) instanceof Outcome.Granted) {
        admitted++;
        settle(a, "local" + i, 1);
      }
    }
    assertThat(admitted).as("floor(100 × 0.25) while the counters are being rebuilt").isEqualTo(25);
    assertThat(a.up()).isFalse();
    rebuildMayRun.countDown();

    await().atMost(Duration.ofSeconds(15)).until(a::up);
    assertThat(rebuilds).hasValue(2);
    // The rebuild read a ledger that already held the 25 served meanwhile, and their queued use was
    // replayed too: counted twice, the counters over-count (a cap bites early, never late).
    assertThat(counter(a)).isEqualTo(new State(30 + 25 + 25, 0));
  }

  @Test
  void aReplicaNoticesTheLossWithoutTrafficAndAStartingReplicaWaitsForTheRebuildInProgress() {
    var a = replica(ResilientCounterStore.OnDown.FAIL_CLOSED);
    reserve(a, "a", 5);
    settle(a, "a", 5);
    rebuildMayRun = new CountDownLatch(1);
    loseRedisData();
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.up()); // the probe saw the marker gone

    await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestServer.command("GET", prefix + "rebuild-lock") != null);
    // b starts while a rebuilds: it finds no marker and the lock taken, so it waits for a's generation.
    var starting = java.util.concurrent.CompletableFuture.supplyAsync(() -> replica(ResilientCounterStore.OnDown.FAIL_CLOSED));
    rebuildMayRun.countDown();
    var b = starting.orTimeout(20, TimeUnit.SECONDS).join();
    await().atMost(Duration.ofSeconds(15)).until(a::up);
    assertThat(b.up()).isTrue();
    assertThat(rebuilds).hasValue(2);
    assertThat(RedisTestServer.command("EXISTS", prefix + "rebuild-lock")).isEqualTo(0L);
    assertThat(counter(b)).isEqualTo(new State(5, 0));
  }
}
