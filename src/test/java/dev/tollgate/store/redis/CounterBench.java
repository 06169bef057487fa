package dev.tollgate.store.redis;

import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.store.memory.MemoryCounterStore;
import dev.tollgate.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of docs/scale-out.md, "Counter store alone": each request reserves across three budgets
 * (a monthly USD cap, a rolling-minute request limit, a daily soft budget), then settles. Not a test;
 * run it by hand against the local Redis:
 *
 * <pre>
 *   ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.tollgate.store.redis.CounterBench
 * </pre>
 */
public final class CounterBench {

  private static final AtomicLong ids = new AtomicLong();

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    String prefix = RedisTestServer.newPrefix("bench");
    try {
      run("memory", new MemoryCounterStore());
      RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5));
      run("redis", redis);
      try (ResilientCounterStore resilient = new ResilientCounterStore(redis, redis::ping, ResilientCounterStore.OnDown.FAIL_CLOSED,
          new BigDecimal("0.25"), Duration.ofMillis(250), redis.where())) {
        run("redis behind ResilientCounterStore", resilient);
      }
    } finally {
      RedisTestServer.deleteAll(prefix);
      vertx.close().await();
    }
    System.exit(0);
  }

  static void run(String name, CounterStore store) throws Exception {
    Instant periodEnd = Instant.now().plus(Duration.ofDays(30));
    Counter month = new Counter("b1|team:t|m1", 0, periodEnd);
    Counter minute = new Counter("b2|team:t|rolling", 60, null);
    Counter day = new Counter("b3|key:k|d1", 0, periodEnd);
    List<Claim> actuals = List.of(new Claim(month, 900, CounterStore.UNLIMITED), new Claim(minute, 1, CounterStore.UNLIMITED),
        new Claim(day, 40, CounterStore.UNLIMITED));
    for (int round = 0; round < 2; round++) { // the first round warms up
      int n = 20_000;
      long[] latency = new long[n];
      for (int i = 0; i < n; i++) {
        String id = "r" + ids.incrementAndGet();
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        store.reserve(id, claims(month, minute, day), now, now.plusSeconds(660)).toCompletableFuture().join();
        latency[i] = System.nanoTime() - t0;
        store.settle(id, actuals, now).toCompletableFuture().join();
      }
      Arrays.sort(latency);
      if (round == 1) {
        System.out.printf(Locale.ROOT, "%s: reserve one at a time p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", name,
            latency[n / 2] / 1e3, latency[n * 99 / 100] / 1e3, latency[n * 999 / 1000] / 1e3);
      }
    }
    for (int round = 0; round < 2; round++) {
      int total = 100_000;
      Semaphore inFlight = new Semaphore(64);
      CountDownLatch done = new CountDownLatch(total);
      AtomicInteger failed = new AtomicInteger();
      long t0 = System.nanoTime();
      for (int i = 0; i < total; i++) {
        inFlight.acquire();
        String id = "c" + ids.incrementAndGet();
        Instant now = Instant.now();
        store.reserve(id, claims(month, minute, day), now, now.plusSeconds(660))
            .thenCompose(o -> store.settle(id, actuals, now))
            .whenComplete((r, e) -> {
              if (e != null) failed.incrementAndGet();
              inFlight.release();
              done.countDown();
            });
      }
      done.await();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (round == 1) {
        System.out.printf(Locale.ROOT, "%s: 64 in flight, %.0f requests/s (reserve + settle), %d failed; holds left %d%n", name,
            total / seconds, failed.get(), store.activeReservations(Instant.now()));
      }
    }
  }

  private static List<Claim> claims(Counter month, Counter minute, Counter day) {
    return List.of(new Claim(month, 1000, Long.MAX_VALUE / 2), new Claim(minute, 1, 1_000_000_000L),
        new Claim(day, 50, CounterStore.UNLIMITED));
  }

  private CounterBench() {}
}
