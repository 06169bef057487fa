package dev.tollgate.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.port.CounterStore.State;
import dev.tollgate.store.memory.MemoryCounterStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fail modes, against a shared store that can be switched off: fail_closed refuses at once and
 * catches up afterwards; fail_open admits at most the local share and reconciles. No Redis needed.
 */
class ResilientCounterStoreTest {

  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  final Counter month = new Counter("b|key:k|m1", 0, Instant.parse("2026-12-01T00:00:00Z"));
  final Counter minute = new Counter("r|key:k|rolling", 60, null);
  final Switchable remote = new Switchable();
  ResilientCounterStore store;

  @AfterEach
  void close() {
    if (store != null) store.close();
  }

  ResilientCounterStore open(ResilientCounterStore.OnDown mode) {
    store = new ResilientCounterStore(remote, remote::ping, mode, new BigDecimal("0.25"), Duration.ofMillis(20), "the test remote");
    return store;
  }

  Outcome reserve(String id, long amount, long limit, Instant now) {
    return store.reserve(id, List.of(new Claim(month, amount, limit)), now, now.plusSeconds(600)).toCompletableFuture().join();
  }

  void settle(String id, long amount, Instant now) {
    store.settle(id, List.of(new Claim(month, amount, CounterStore.UNLIMITED)), now).toCompletableFuture().join();
  }

  void recover() {
    remote.down = false;
    remote.loseReplies = false;
    await().atMost(Duration.ofSeconds(10)).until(store::up);
  }

  @Test
  void failClosedRefusesAtOnceWhileDownAndCatchesUpAfterwards() {
    open(ResilientCounterStore.OnDown.FAIL_CLOSED);
    assertThat(reserve("a", 10, 100, T0)).isInstanceOf(Outcome.Granted.class);
    remote.down = true;

    assertThatThrownBy(() -> reserve("b", 10, 100, T0)).hasCauseInstanceOf(CountersUnavailableException.class)
        .hasMessageContaining("fail_closed");
    int callsWhileDown = remote.calls;
    assertThatThrownBy(() -> reserve("c", 10, 100, T0)).hasCauseInstanceOf(CountersUnavailableException.class);
    assertThat(remote.calls).as("refused without waiting for the remote").isEqualTo(callsWhileDown);
    settle("a", 7, T0.plusSeconds(1)); // queued: the remote is down
    assertThatThrownBy(() -> store.read(month, T0)).isInstanceOf(CountersUnavailableException.class);

    recover();
    assertThat(remote.store.read(month, T0.plusSeconds(2))).as("the settlement arrived once Redis was back").isEqualTo(new State(7, 0));
    assertThat(store.activeReservations(T0.plusSeconds(2))).isZero();
    assertThat(reserve("d", 10, 100, T0.plusSeconds(2))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void failOpenAdmitsAtMostTheLocalShareOfEachHardLimitAndReconciles() {
    open(ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS);
    remote.store.add(month, 10, T0);
    remote.down = true;

    int granted = 0;
    for (int i = 0; i < 40; i++) {
      Outcome o = reserve("r" + i, 1, 100, T0.plusSeconds(1));
      if (o instanceof Outcome.Granted) {
        granted++;
        settle("r" + i, 1, T0.plusSeconds(2));
      }
    }
    assertThat(granted).as("floor(100 × 0.25)").isEqualTo(25);
    assertThat(remote.store.read(month, T0.plusSeconds(2)).used()).as("nothing reached Redis yet").isEqualTo(10);

    recover();
    assertThat(remote.store.read(month, T0.plusSeconds(3))).as("reconciled: the use admitted meanwhile is counted")
        .isEqualTo(new State(35, 0));
    assertThat(store.activeReservations(T0.plusSeconds(3))).isZero();
  }

  @Test
  void failOpenNeverAdmitsPastTheHeadroomLastSeen() {
    open(ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS);
    assertThat(reserve("big", 95, 100, T0)).isInstanceOf(Outcome.Granted.class);
    remote.down = true;

    long granted = java.util.stream.IntStream.range(0, 10)
        .filter(i -> reserve("r" + i, 1, 100, T0.plusSeconds(1)) instanceof Outcome.Granted).count();
    assertThat(granted).as("100 − 95 seen in Redis, though the local share is 25").isEqualTo(5);
    Outcome refused = reserve("more", 1, 100, T0.plusSeconds(1));
    assertThat(refused).as("a refusal shows the last seen use plus the local one")
        .isEqualTo(new Outcome.Denied(0, new State(0, 100)));
  }

  @Test
  void softBudgetsKeepCountingWhileDownAndRollingLimitsGetTheirShare() {
    open(ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS);
    remote.down = true;
    int granted = 0;
    for (int i = 0; i < 20; i++) {
      Outcome o = store.reserve("r" + i, List.of(new Claim(month, 1, CounterStore.UNLIMITED), new Claim(minute, 1, 40)), T0,
          T0.plusSeconds(600)).toCompletableFuture().join();
      if (o instanceof Outcome.Granted) {
        granted++;
        store.settle("r" + i, List.of(new Claim(month, 1, CounterStore.UNLIMITED), new Claim(minute, 1, CounterStore.UNLIMITED)),
            T0).toCompletableFuture().join();
      }
    }
    assertThat(granted).isEqualTo(10);
    recover();
    assertThat(remote.store.read(month, T0)).isEqualTo(new State(10, 0));
    assertThat(remote.store.read(minute, T0)).isEqualTo(new State(10, 0));
  }

  @Test
  void aReservationWhoseReplyWasLostIsReleasedOnceRedisIsBack() {
    open(ResilientCounterStore.OnDown.FAIL_OPEN_WITH_LOCAL_LIMITS);
    remote.loseReplies = true; // the remote applies the reservation, but its answer never arrives
    assertThat(reserve("a", 10, 100, T0)).as("decided locally instead").isInstanceOf(Outcome.Granted.class);
    assertThat(remote.store.read(month, T0)).isEqualTo(new State(0, 10));
    store.release("a", T0.plusSeconds(1)).toCompletableFuture().join();

    recover();
    assertThat(remote.store.read(month, T0.plusSeconds(1))).as("the orphaned hold is gone").isEqualTo(new State(0, 0));
    assertThat(store.activeReservations(T0.plusSeconds(1))).isZero();
  }

  @Test
  void aRequestWithNothingToCountIsNeverRefusedForWantOfRedis() {
    open(ResilientCounterStore.OnDown.FAIL_CLOSED);
    remote.down = true;
    assertThat(store.reserve("a", List.of(), T0, T0.plusSeconds(60)).toCompletableFuture().join())
        .isEqualTo(new Outcome.Granted(List.of()));
  }

  @Test
  void rebuildSeedsWaitForRedis() {
    open(ResilientCounterStore.OnDown.FAIL_CLOSED);
    remote.down = true;
    store.add(month, 42, T0);
    assertThat(store.pending()).isEqualTo(1);
    recover();
    assertThat(remote.store.read(month, T0)).isEqualTo(new State(42, 0));
  }

  /** A memory store that can stop answering, or apply calls and lose their replies. */
  static final class Switchable implements CounterStore {
    final MemoryCounterStore store = new MemoryCounterStore();
    volatile boolean down;
    volatile boolean loseReplies;
    volatile int calls;

    CompletionStage<Void> ping() {
      return down ? failed() : CompletableFuture.completedStage(null);
    }

    private <T> CompletionStage<T> answer(java.util.function.Supplier<CompletionStage<T>> call) {
      calls++;
      if (down) return failed();
      CompletionStage<T> r = call.get();
      return loseReplies ? failed() : r;
    }

    private static <T> CompletionStage<T> failed() {
      return CompletableFuture.failedStage(new CountersUnavailableException("switched off"));
    }

    private void check() {
      calls++;
      if (down) throw new CountersUnavailableException("switched off");
    }

    @Override
    public CompletionStage<Outcome> reserve(String id, List<Claim> claims, Instant now, Instant until) {
      return answer(() -> store.reserve(id, claims, now, until));
    }

    @Override
    public CompletionStage<List<State>> settle(String id, List<Claim> actuals, Instant now) {
      return answer(() -> store.settle(id, actuals, now));
    }

    @Override
    public CompletionStage<Void> release(String id, Instant now) {
      return answer(() -> store.release(id, now));
    }

    @Override
    public State read(Counter counter, Instant now) {
      check();
      return store.read(counter, now);
    }

    @Override
    public Map<String, State> scan(String prefix, Instant now) {
      check();
      return store.scan(prefix, now);
    }

    @Override
    public void add(Counter counter, long amount, Instant at) {
      check();
      store.add(counter, amount, at);
    }

    @Override
    public long activeReservations(Instant now) {
      check();
      return store.activeReservations(now);
    }
  }
}
