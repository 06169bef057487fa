package dev.tollgate.store.sql;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What strict durability adds to a request: C threads each hand the writer a row with {@code
 * appendBeforeAnswer}, wait for its stage, and repeat. Prints rows/s, the wait's p50 and p99, and rows
 * per commit. Not a test (surefire does not run it); the figures in docs/durability.md come from it:
 *
 * <pre>
 *   ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.tollgate.store.sql.StrictWaitBenchmark \
 *       strict 16 sqlite 5            # mode, concurrency, sqlite | postgresql://…, seconds measured
 * </pre>
 */
public final class StrictWaitBenchmark {

  private StrictWaitBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int concurrency = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("strict-wait");
    String url = args[2].equals("sqlite") ? "sqlite:" + dir.resolve("ledger.db") : args[2];
    int seconds = Integer.parseInt(args[3]);
    try (Storage storage = Storage.open(url, new LedgerConfig(mode, 500, Duration.ofMillis(200), 100_000,
        Duration.ofSeconds(1), dir.resolve("spool")))) {
      SqlLedgerWriter writer = storage.ledgerWriter();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicBoolean measuring = new AtomicBoolean();
      LongAdder rows = new LongAdder();
      ConcurrentLinkedQueue<long[]> waits = new ConcurrentLinkedQueue<>();
      String run = UUID.randomUUID().toString().substring(0, 8);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        int thread = t;
        threads.add(Thread.ofPlatform().start(() -> {
          long[] sample = new long[1 << 20];
          int n = 0;
          for (long i = 0; running.get(); i++) {
            long began = System.nanoTime();
            writer.appendBeforeAnswer(row(run + "_" + thread + "_" + i)).toCompletableFuture().join();
            long waited = System.nanoTime() - began;
            if (measuring.get()) {
              rows.increment();
              if (n < sample.length) sample[n++] = waited;
            }
          }
          waits.add(Arrays.copyOf(sample, n));
        }));
      }
      Thread.sleep(3_000); // warm-up: JIT and the first commits
      long commitsBefore = writer.batchesWritten();
      measuring.set(true);
      long began = System.nanoTime();
      Thread.sleep(seconds * 1_000L);
      measuring.set(false);
      double elapsed = (System.nanoTime() - began) / 1e9;
      long commits = writer.batchesWritten() - commitsBefore;
      running.set(false);
      for (Thread t : threads) t.join();
      long[] all = waits.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      System.out.printf("%-8s %-10s c=%-3d rows/s=%8.0f  wait p50=%7.3f ms  p99=%7.3f ms  rows/commit=%6.1f  spooled=%d%n",
          mode, url.startsWith("sqlite") ? "sqlite" : "postgresql", concurrency, rows.sum() / elapsed,
          all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, rows.sum() / (double) Math.max(1, commits),
          writer.rowsSpooled());
    }
  }

  private static UsageRecord row(String id) {
    Instant now = Instant.now();
    Attribution a = new Attribution("acme", "support", "helpdesk", "triage", "bot", null, null, null, null, Map.of());
    return new UsageRecord(id, now, now.plusMillis(120), "support-key", a, "simulator", "gpt-4o-mini", "gpt-4o-mini",
        "economy", "requested", new TokenUsage(100, 10, 0, 50, 5), Money.ofNanos(3_000), RequestStatus.OK, null, 120,
        20L, null, false, false, false, 200);
  }
}
