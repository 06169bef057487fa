package dev.tollgate.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The counter protocol — reserve atomically, settle, release, lapse — on the in-memory store. */
class MemoryCounterStoreTest {

  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  final MemoryCounterStore store = new MemoryCounterStore();
  final Counter month = new Counter("b|team:support|m1", 0, Instant.parse("2026-12-01T00:00:00Z"));
  final Counter minute = new Counter("r|key:k|rolling", 60, null);

  Outcome reserve(String id, List<Claim> claims, Instant now, Instant until) {
    return store.reserve(id, claims, now, until).toCompletableFuture().join();
  }

  List<CounterStore.State> settle(String id, List<Claim> claims, Instant now) {
    return store.settle(id, claims, now).toCompletableFuture().join();
  }

  void release(String id, Instant now) {
    store.release(id, now).toCompletableFuture().join();
  }

  @Test
  void parallelReservationsAdmitExactlyWhatFits() throws Exception {
    int threads = 500;
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    for (int i = 0; i < threads; i++) {
      String id = "r" + i;
      pool.submit(() -> {
        start.await();
        Outcome o = reserve(id, List.of(new Claim(month, 7, 700), new Claim(minute, 1, CounterStore.UNLIMITED)), T0, T0.plusSeconds(600));
        if (o instanceof Outcome.Granted) granted.incrementAndGet();
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(granted.get()).isEqualTo(100);
    assertThat(store.read(month, T0).reserved()).isEqualTo(700);
    assertThat(store.activeReservations(T0)).isEqualTo(100);
  }

  @Test
  void aDenialNamesTheClaimThatDidNotFitAndReservesNothing() {
    store.add(month, 650, T0);
    Outcome o = reserve("a", List.of(new Claim(minute, 1, 10), new Claim(month, 60, 700)), T0, T0.plusSeconds(60));
    assertThat(o).isEqualTo(new Outcome.Denied(1, new CounterStore.State(650, 0)));
    assertThat(store.read(minute, T0).total()).as("all or nothing").isZero();
  }

  @Test
  void settlementReplacesTheHoldWithWhatWasUsed() {
    reserve("a", List.of(new Claim(month, 100, 700)), T0, T0.plusSeconds(60));
    List<CounterStore.State> after = settle("a", List.of(new Claim(month, 42, CounterStore.UNLIMITED)), T0.plusSeconds(5));
    assertThat(after).containsExactly(new CounterStore.State(42, 0));
    reserve("b", List.of(new Claim(month, 100, 700)), T0, T0.plusSeconds(60));
    release("b", T0);
    assertThat(store.read(month, T0)).isEqualTo(new CounterStore.State(42, 0));
    assertThat(store.activeReservations(T0)).isZero();
  }

  @Test
  void aHoldNobodySettlesLapsesOnItsOwn() {
    reserve("crashed", List.of(new Claim(month, 700, 700)), T0, T0.plusSeconds(660));
    assertThat(reserve("next", List.of(new Claim(month, 1, 700)), T0.plusSeconds(659), T0.plusSeconds(700)))
        .isInstanceOf(Outcome.Denied.class);
    assertThat(reserve("later", List.of(new Claim(month, 1, 700)), T0.plusSeconds(660), T0.plusSeconds(700)))
        .isInstanceOf(Outcome.Granted.class);
    // A late settlement of the lapsed hold still counts the work that was done.
    settle("crashed", List.of(new Claim(month, 30, CounterStore.UNLIMITED)), T0.plusSeconds(661));
    assertThat(store.read(month, T0.plusSeconds(661))).isEqualTo(new CounterStore.State(30, 1));
  }

  @Test
  void aRollingMinuteForgetsUseOlderThanSixtySeconds() {
    for (int s = 0; s < 60; s += 10) {
      reserve("r" + s, List.of(new Claim(minute, 1, 6)), T0.plusSeconds(s), T0.plusSeconds(s + 600));
      settle("r" + s, List.of(new Claim(minute, 1, CounterStore.UNLIMITED)), T0.plusSeconds(s));
    }
    assertThat(reserve("full", List.of(new Claim(minute, 1, 6)), T0.plusSeconds(59), T0.plusSeconds(600)))
        .isInstanceOf(Outcome.Denied.class);
    assertThat(store.read(minute, T0.plusSeconds(60)).used()).as("the use at second 0 has rolled out").isEqualTo(5);
    assertThat(reserve("room", List.of(new Claim(minute, 1, 6)), T0.plusSeconds(60), T0.plusSeconds(600)))
        .isInstanceOf(Outcome.Granted.class);
  }
}
