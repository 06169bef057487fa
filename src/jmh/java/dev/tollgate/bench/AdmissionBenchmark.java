package dev.tollgate.bench;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.store.memory.MemoryCounterStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One request's admission and settlement against the in-memory counters, with three budgets
 * covering it: a hard monthly USD cap, a rolling per-minute request limit and a daily token budget
 * — reserve the worst case in all three atomically, then settle with the real use. The two-thread
 * variant shows the cost of the store's single lock when two event loops admit at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdmissionBenchmark {

  private final AtomicLong ids = new AtomicLong();
  private MemoryCounterStore store;
  private List<Claim> worstCase;
  private List<Claim> actual;

  @Setup
  public void setUp() {
    store = new MemoryCounterStore();
    Instant monthEnd = Instant.parse("2100-01-01T00:00:00Z");
    Counter month = new Counter("cfg:team:bench:month:usd|team:bench|2026-11", 0, monthEnd);
    Counter minute = new Counter("cfg:team:bench:minute:requests|team:bench|rolling", 60, null);
    Counter day = new Counter("cfg:team:bench:day:tokens|team:bench|2026-11-25", 0, monthEnd);
    long limit = Long.MAX_VALUE / 4;
    worstCase = List.of(new Claim(month, 2_000_000, limit), new Claim(minute, 1, limit), new Claim(day, 2_304, limit));
    actual = List.of(new Claim(month, 150_000, CounterStore.UNLIMITED), new Claim(minute, 1, CounterStore.UNLIMITED),
        new Claim(day, 640, CounterStore.UNLIMITED));
  }

  private Object admitAndSettle() {
    String id = "req-" + ids.incrementAndGet();
    Instant now = Instant.now();
    Outcome outcome = store.reserve(id, worstCase, now, now.plusSeconds(600)).toCompletableFuture().join();
    if (!(outcome instanceof Outcome.Granted)) throw new IllegalStateException("refused: " + outcome);
    return store.settle(id, actual, now).toCompletableFuture().join();
  }

  @Benchmark
  @Threads(1)
  public Object reserveAndSettle() {
    return admitAndSettle();
  }

  @Benchmark
  @Threads(2)
  public Object reserveAndSettleTwoThreads() {
    return admitAndSettle();
  }
}
