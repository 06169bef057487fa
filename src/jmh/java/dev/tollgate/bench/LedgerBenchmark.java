package dev.tollgate.bench;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.store.sql.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ledger rows per second into the database, through the real writer (SqlLedgerWriter: a bounded
 * queue, one writer thread, batches of 500 rows in one transaction, as the gateway runs it). One
 * operation is one row; each invocation appends 10,000 rows and waits for their commit, so the score
 * is committed rows/s, not queued ones. Target (issue 11): 20,000 rows/s into SQLite and PostgreSQL.
 * PostgreSQL is {@code -Dbench.postgres=postgresql://postgres@127.0.0.1:5432/test}; its rows go to a
 * schema of their own, dropped afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LedgerBenchmark {

  static final int ROWS = 10_000;

  @Param({"sqlite", "postgresql"})
  String database;

  @Param({"500"})
  int batchSize;

  private Storage storage;
  private Path dir;
  private long next;
  private final Attribution attribution = new Attribution("acme", "support", "helpdesk", "ticket-triage", "triage-bot",
      "user-4711", "api", "conv-42", "classification", Map.of("env", "prod", "region", "eu"));

  @Setup
  public void setUp() throws IOException {
    String url;
    if (database.equals("sqlite")) {
      dir = Files.createTempDirectory("tollgate-jmh-ledger");
      url = "sqlite:" + dir.resolve("ledger.db");
    } else {
      String base = System.getProperty("bench.postgres", "postgresql://postgres@127.0.0.1:5432/test");
      url = base + (base.contains("?") ? "&" : "?") + "schema=tollgate_jmh_ledger";
    }
    storage = Storage.open(url, batchSize, Duration.ofMillis(200), 100_000);
  }

  @TearDown
  public void tearDown() throws IOException, SQLException {
    if (database.equals("postgresql")) {
      try (Connection c = storage.database().dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS tollgate_jmh_ledger CASCADE");
      }
    }
    storage.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long appendAndCommit() {
    var writer = storage.ledgerWriter();
    Instant start = Instant.now();
    for (int i = 0; i < ROWS; i++) writer.append(row(start, next++));
    writer.flush();
    return writer.rowsWritten();
  }

  private UsageRecord row(Instant start, long n) {
    return new UsageRecord("req_bench_" + Long.toString(n, 36) + "_" + System.nanoTime(), start, start.plusMillis(850),
        "triage-key", attribution, "openai", "gpt-4o-mini", "gpt-4o-mini", "economy", "requested",
        new TokenUsage(1_200 + n % 500, 256, 0, 180 + n % 90, 0), Money.ofNanos(301_000 + n % 1000), RequestStatus.OK, null,
        850, 240L, null, false, false, n % 3 == 0, 200);
  }
}
