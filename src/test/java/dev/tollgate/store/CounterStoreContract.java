package dev.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.port.CounterStore.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counter protocol — reserve atomically, settle, release, lapse — that every {@link CounterStore}
 * keeps, whether in memory or in Redis. Time is the instants the tests pass in, never a clock: a
 * store must lapse holds and roll windows by them.
 */
public abstract class CounterStoreContract {

  protected static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  protected final Counter month = new Counter("b|team:support|m1", 0, Instant.parse("2026-12-01T00:00:00Z"));
  protected final Counter minute = new Counter("r|key:k|rolling", 60, null);

  protected CounterStore store;

  /** A new, empty store. */
  protected abstract CounterStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  protected Outcome reserve(String id, List<Claim> claims, Instant now, Instant until) {
    return store.reserve(id, claims, now, until).toCompletableFuture().join();
  }

  protected List<State> settle(String id, List<Claim> claims, Instant now) {
    return store.settle(id, claims, now).toCompletableFuture().join();
  }

  protected void release(String id, Instant now) {
    store.release(id, now).toCompletableFuture().join();
  }

  static Claim used(Counter c, long amount) {
    return new Claim(c, amount, CounterStore.UNLIMITED);
  }

  @Test
  void parallelReservationsAdmitExactlyWhatFits() throws Exception {
    AtomicInteger granted = new AtomicInteger();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String id = "r" + i;
      tasks.add(() -> {
        Outcome o = reserve(id, List.of(new Claim(month, 7, 700), new Claim(minute, 1, CounterStore.UNLIMITED)), T0, T0.plusSeconds(600));
        if (o instanceof Outcome.Granted) granted.incrementAndGet();
        return null;
      });
    }
    runTogether(tasks);

    assertThat(granted.get()).isEqualTo(100);
    assertThat(store.read(month, T0)).isEqualTo(new State(0, 700));
    assertThat(store.read(minute, T0).reserved()).as("soft claims count every granted request").isEqualTo(100);
    assertThat(store.activeReservations(T0)).isEqualTo(100);
  }

  @Test
  void aDenialNamesTheClaimThatDidNotFitAndReservesNothing() {
    store.add(month, 650, T0);
    Outcome o = reserve("a", List.of(new Claim(minute, 1, 10), new Claim(month, 60, 700)), T0, T0.plusSeconds(60));
    assertThat(o).isEqualTo(new Outcome.Denied(1, new State(650, 0)));
    assertThat(store.read(minute, T0).total()).as("all or nothing").isZero();
    assertThat(store.activeReservations(T0)).isZero();

    Outcome fits = reserve("b", List.of(new Claim(minute, 1, 10), new Claim(month, 50, 700)), T0, T0.plusSeconds(60));
    assertThat(fits).as("a claim that reaches the limit exactly fits")
        .isEqualTo(new Outcome.Granted(List.of(new State(0, 0), new State(650, 0))));
    assertThat(store.read(month, T0)).isEqualTo(new State(650, 50));
  }

  @Test
  void settlementReplacesTheHoldWithWhatWasUsed() {
    reserve("a", List.of(new Claim(month, 100, 700)), T0, T0.plusSeconds(60));
    List<State> after = settle("a", List.of(used(month, 42)), T0.plusSeconds(5));
    assertThat(after).containsExactly(new State(42, 0));
    reserve("b", List.of(new Claim(month, 100, 700)), T0, T0.plusSeconds(60));
    release("b", T0);
    assertThat(store.read(month, T0)).isEqualTo(new State(42, 0));
    assertThat(store.activeReservations(T0)).isZero();
  }

  @Test
  void settleAndReleaseUnderConcurrencyLeaveNothingReserved() throws Exception {
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String id = "q" + i;
      boolean served = i % 3 != 0;
      tasks.add(() -> {
        Outcome o = reserve(id, List.of(new Claim(month, 10, 100_000), new Claim(minute, 10, CounterStore.UNLIMITED)),
            T0, T0.plusSeconds(600));
        assertThat(o).isInstanceOf(Outcome.Granted.class);
        if (served) settle(id, List.of(used(month, 3), used(minute, 3)), T0.plusSeconds(1));
        else release(id, T0.plusSeconds(1));
        return null;
      });
    }
    runTogether(tasks);

    assertThat(store.activeReservations(T0.plusSeconds(2))).isZero();
    assertThat(store.read(month, T0.plusSeconds(2))).isEqualTo(new State(200 * 3, 0));
    assertThat(store.read(minute, T0.plusSeconds(2))).isEqualTo(new State(200 * 3, 0));
  }

  @Test
  void aHoldNobodySettlesLapsesOnItsOwn() {
    reserve("crashed", List.of(new Claim(month, 700, 700)), T0, T0.plusSeconds(660));
    assertThat(store.activeReservations(T0.plusSeconds(659))).isEqualTo(1);
    assertThat(reserve("next", List.of(new Claim(month, 1, 700)), T0.plusSeconds(659), T0.plusSeconds(700)))
        .isInstanceOf(Outcome.Denied.class);
    assertThat(reserve("later", List.of(new Claim(month, 1, 700)), T0.plusSeconds(660), T0.plusSeconds(700)))
        .isInstanceOf(Outcome.Granted.class);
    assertThat(store.activeReservations(T0.plusSeconds(660))).as("only the new hold").isEqualTo(1);
    // A late settlement of the lapsed hold still counts the work that was done.
    settle("crashed", List.of(used(month, 30)), T0.plusSeconds(661));
    assertThat(store.read(month, T0.plusSeconds(661))).isEqualTo(new State(30, 1));
    assertThat(store.read(month, T0.plusSeconds(700))).as("the second hold lapses too").isEqualTo(new State(30, 0));
    assertThat(store.activeReservations(T0.plusSeconds(700))).isZero();
  }

  @Test
  void aRollingMinuteForgetsUseOlderThanSixtySeconds() {
    for (int s = 0; s < 60; s += 10) {
      reserve("r" + s, List.of(new Claim(minute, 1, 6)), T0.plusSeconds(s), T0.plusSeconds(s + 600));
      settle("r" + s, List.of(used(minute, 1)), T0.plusSeconds(s));
    }
    assertThat(reserve("full", List.of(new Claim(minute, 1, 6)), T0.plusSeconds(59), T0.plusSeconds(600)))
        .isInstanceOf(Outcome.Denied.class);
    assertThat(store.read(minute, T0.plusSeconds(60)).used()).as("the use at second 0 has rolled out").isEqualTo(5);
    assertThat(reserve("room", List.of(new Claim(minute, 1, 6)), T0.plusSeconds(60), T0.plusSeconds(600)))
        .isInstanceOf(Outcome.Granted.class);
    assertThat(store.read(minute, T0.plusSeconds(200))).as("two minutes later only the hold remains").isEqualTo(new State(0, 1));
  }

  @Test
  void useCountsAtTheSecondTheRequestWasAdmitted() {
    reserve("long", List.of(new Claim(minute, 5, 100)), T0, T0.plusSeconds(600));
    settle("long", List.of(used(minute, 4)), T0.plusSeconds(30));
    assertThat(store.read(minute, T0.plusSeconds(59)).used()).isEqualTo(4);
    assertThat(store.read(minute, T0.plusSeconds(60)).used()).as("admitted at second 0, rolled out at 60").isZero();
  }

  @Test
  void amountsPastTwoToTheFiftyThirdStayExact() {
    long big = (1L << 53) + 1; // nano-USD: a little over 9 million dollars, where doubles stop being exact
    Counter year = new Counter("b|org|y1", 0, Instant.parse("2027-01-01T00:00:00Z"));
    store.add(year, big, T0);
    long limit = big + 2;
    assertThat(reserve("a", List.of(new Claim(year, 1, limit)), T0, T0.plusSeconds(60))).isInstanceOf(Outcome.Granted.class);
    assertThat(reserve("b", List.of(new Claim(year, 1, limit)), T0, T0.plusSeconds(60))).isInstanceOf(Outcome.Granted.class);
    assertThat(reserve("c", List.of(new Claim(year, 1, limit)), T0, T0.plusSeconds(60)))
        .isEqualTo(new Outcome.Denied(0, new State(big, 2)));
    settle("a", List.of(used(year, Long.MAX_VALUE / 4)), T0);
    assertThat(store.read(year, T0)).isEqualTo(new State(big + Long.MAX_VALUE / 4, 1));
  }

  @Test
  void scanFindsEveryCounterUnderAPrefix() {
    Counter alice = new Counter("b1|user:alice|d1", 0, Instant.parse("2026-11-26T00:00:00Z"));
    Counter bob = new Counter("b1|user:bob|d1", 0, Instant.parse("2026-11-26T00:00:00Z"));
    Counter other = new Counter("b2|user:alice|d1", 0, Instant.parse("2026-11-26T00:00:00Z"));
    reserve("x", List.of(new Claim(alice, 5, 100), new Claim(bob, 7, 100), new Claim(other, 1, 100)), T0, T0.plusSeconds(60));
    settle("x", List.of(used(alice, 2), used(bob, 3), used(other, 1)), T0);
    reserve("y", List.of(new Claim(alice, 4, 100)), T0, T0.plusSeconds(60));

    assertThat(store.scan("b1|", T0)).containsOnlyKeys(alice.key(), bob.key())
        .containsEntry(alice.key(), new State(2, 4))
        .containsEntry(bob.key(), new State(3, 0));
  }

  @Test
  void releasingWhatWasNeverReservedChangesNothing() {
    reserve("a", List.of(new Claim(month, 10, 700)), T0, T0.plusSeconds(60));
    release("unknown", T0);
    assertThat(store.read(month, T0)).isEqualTo(new State(0, 10));
    assertThat(store.activeReservations(T0)).isEqualTo(1);
  }

  /** Runs every task at once from 50 threads (500 tasks start together). */
  protected static void runTogether(List<Callable<Void>> tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> t : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return t.call();
        }));
      }
      start.countDown();
      for (Future<Void> f : futures) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
