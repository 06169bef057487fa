package dev.tollgate.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.port.CounterStore.State;
import dev.tollgate.store.CounterStoreContract;
import dev.tollgate.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The counter protocol on Redis (127.0.0.1:6379), each test under a key prefix of its own, plus what
 * only a shared store must do: rebuild without double counting, settle once, expire its keys.
 * Skipped, saying so, when Redis is not reachable.
 */
class RedisCounterStoreTest extends CounterStoreContract {

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
    String prefix = RedisTestServer.newPrefix("counters");
    prefixes.add(prefix);
    return redis(prefix);
  }

  RedisCounterStore redis(String prefix) {
    return new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5));
  }

  RedisCounterStore redis() {
    return (RedisCounterStore) store;
  }

  @Test
  void aReplicaStartingLaterDoesNotRebuildWhatRedisAlreadyCounts() {
    String prefix = redis().keyPrefix();
    Counter carol = new Counter("b|user:carol|m1", 0, month.expiresAt());
    // Replica A rebuilds from the ledger: two rows (ok, error) for the same counter both count.
    store.add(month, 100, T0);
    store.add(month, 20, T0);
    try (RedisCounterStore b = redis(prefix)) {
      // Replica B starts later and rebuilds from the same ledger: Redis has the counter, B adds nothing ...
      assertThat(b.seed(month, 120, T0.plusSeconds(30), "s1")).isFalse();
      // ... but seeds a counter Redis lacks.
      assertThat(b.seed(carol, 5, T0.plusSeconds(30), "s2")).isTrue();
      assertThat(b.seed(carol, 5, T0.plusSeconds(30), "s2")).as("the same seed repeated after a lost reply").isTrue();
      assertThat(b.read(carol, T0)).isEqualTo(new State(5, 0));
    }
    assertThat(store.read(month, T0)).isEqualTo(new State(120, 0));
    // A live counter (made by traffic, not a rebuild) is never seeded either.
    reserve("live", List.of(new Claim(minute, 1, 10)), T0, T0.plusSeconds(60));
    store.add(minute, 50, T0.plusSeconds(1));
    assertThat(store.read(minute, T0.plusSeconds(1))).isEqualTo(new State(0, 1));
  }

  @Test
  void aSettlementRepeatedAfterALostReplyCountsOnce() {
    reserve("a", List.of(new Claim(month, 100, 700)), T0, T0.plusSeconds(60));
    settle("a", List.of(new Claim(month, 40, CounterStore.UNLIMITED)), T0.plusSeconds(1));
    settle("a", List.of(new Claim(month, 40, CounterStore.UNLIMITED)), T0.plusSeconds(2));
    release("a", T0.plusSeconds(3));
    assertThat(store.read(month, T0.plusSeconds(3))).isEqualTo(new State(40, 0));
  }

  @Test
  void aFinishedRequestLeavesNoKeyOfItsOwn() {
    for (int i = 0; i < 50; i++) {
      reserve("s" + i, List.of(new Claim(month, 1, 700), new Claim(minute, 1, 10_000)), T0, T0.plusSeconds(600));
      if (i % 2 == 0) settle("s" + i, List.of(new Claim(month, 1, CounterStore.UNLIMITED)), T0);
      else release("s" + i, T0);
    }
    String prefix = redis().keyPrefix();
    assertThat(RedisTestServer.keys(prefix)).as("the two counters, and the ids settled in the last minutes")
        .containsExactlyInAnyOrder(redis().counterKey(month.key()), redis().counterKey(minute.key()), prefix + "done");
  }

  @Test
  void aReservationArrivingAfterItsReleaseLeavesNoHold() {
    release("late", T0); // the request gave up on Redis (timeout) and released; then its reservation arrives
    assertThat(reserve("late", List.of(new Claim(month, 10, 700)), T0, T0.plusSeconds(60))).isInstanceOf(Outcome.Denied.class);
    assertThat(store.read(month, T0)).isEqualTo(new State(0, 0));
    assertThat(store.activeReservations(T0)).isZero();
  }

  @Test
  void keysExpireWithTheirPeriodOrWindowAndHoldsKeepTheirCounterAlive() {
    reserve("a", List.of(new Claim(month, 1, 700), new Claim(minute, 1, 10)), T0, T0.plusSeconds(600));
    long monthTtl = (Long) RedisTestServer.command("PTTL", redis().counterKey(month.key()));
    long expected = Duration.between(T0, month.expiresAt()).plus(RedisCounterStore.MARGIN).toMillis();
    assertThat(monthTtl).isBetween(expected - 5_000, expected);
    long minuteTtl = (Long) RedisTestServer.command("PTTL", redis().counterKey(minute.key()));
    long holdLife = Duration.ofSeconds(600).plus(RedisCounterStore.MARGIN).toMillis();
    assertThat(minuteTtl).as("an hour past the hold on it").isBetween(holdLife - 5_000, holdLife);
    assertThat((Long) RedisTestServer.command("PTTL", redis().recordKey("a"))).isPositive();
    assertThat((Long) RedisTestServer.command("PTTL", redis().holdSetKey(month.key()))).isPositive();
  }

  @Test
  void scriptsComeBackAfterTheServerForgetsThem() {
    reserve("a", List.of(new Claim(month, 1, 700)), T0, T0.plusSeconds(60));
    RedisTestServer.command("SCRIPT", "FLUSH");
    assertThat(reserve("b", List.of(new Claim(month, 1, 700)), T0, T0.plusSeconds(60))).isInstanceOf(Outcome.Granted.class);
    assertThat(store.read(month, T0)).isEqualTo(new State(0, 2));
  }

  @Test
  void anUnreachableRedisFailsWithinTheTimeoutWithAClearError() {
    try (RedisCounterStore nowhere = new RedisCounterStore(vertx, "redis://127.0.0.1:1", "x:", Duration.ofMillis(500))) {
      var pending = nowhere.reserve("a", List.of(new Claim(month, 1, 700)), T0, T0.plusSeconds(60)).toCompletableFuture();
      assertThatThrownBy(pending::join).hasCauseInstanceOf(CountersUnavailableException.class)
          .hasMessageContaining("Redis counters at 127.0.0.1:1: reserve");
      assertThatThrownBy(() -> nowhere.read(month, T0)).isInstanceOf(CountersUnavailableException.class);
    }
  }

  @Test
  void blockingCallsRefuseToRunOnAnEventLoop() throws Exception {
    var result = new java.util.concurrent.CompletableFuture<Throwable>();
    vertx.runOnContext(v -> {
      try {
        store.read(month, T0);
        result.complete(null);
      } catch (Throwable e) {
        result.complete(e);
      }
    });
    assertThat(result.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
  }
}
