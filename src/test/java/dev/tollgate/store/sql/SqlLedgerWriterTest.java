package dev.tollgate.store.sql;

import static dev.tollgate.store.sql.Ledger.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.store.spool.Spool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger writer's durability modes and its spool, on a SQLite file whose commits a test can stall:
 * another connection holding the write lock ({@code BEGIN EXCLUSIVE}) makes our commits wait for as
 * long as the busy timeout allows.
 */
class SqlLedgerWriterTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path dir;
  private Path file;
  private Path spoolDir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void paths() {
    file = dir.resolve("ledger.db");
    spoolDir = dir.resolve("spool");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private String url() {
    return "sqlite:" + file;
  }

  /** A database whose writers wait up to {@code busyTimeout} for a lock held elsewhere. */
  private Database database(Duration busyTimeout) {
    Database database = Database.open(url(), busyTimeout);
    open.add(database);
    return database;
  }

  private SqlLedgerWriter writer(Database database, boolean strict, int batchSize, Duration flushInterval,
      int queueCapacity, Duration commitTimeout) {
    var w = new SqlLedgerWriter(database,
        new SqlLedgerWriter.Settings(strict, batchSize, flushInterval, queueCapacity, commitTimeout, spoolDir));
    open.add(w);
    return w;
  }

  /** Another connection that holds the write lock until {@link Statement#execute ROLLBACK}. */
  private Statement lockTheDatabase() throws SQLException {
    Connection intruder = DriverManager.getConnection("jdbc:sqlite:" + file);
    open.add(intruder);
    Statement lock = intruder.createStatement();
    lock.execute("BEGIN EXCLUSIVE");
    return lock;
  }

  private long rowsWithId(String id) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ledger WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private long rowsInLedger() {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM ledger")) {
      rs.next();
      assertThat(rs.getLong(2)).as("no id twice").isEqualTo(rs.getLong(1));
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Path> segments() throws IOException {
    if (!Files.isDirectory(spoolDir)) return List.of();
    try (Stream<Path> files = Files.list(spoolDir)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private String spooledText() throws IOException {
    StringBuilder text = new StringBuilder();
    for (Path s : segments()) text.append(Files.readString(s));
    return text.toString();
  }

  @Test
  void strictCompletesTheStageOnlyAfterTheCommitThatHoldsTheRow() throws Exception {
    // Commits may stall for 20 s before failing, and count as slow only after 30 s: this test sees the commit itself.
    Database database = database(Duration.ofSeconds(20));
    // A flush interval of an hour: the row can only go early because a strict answer waits for it.
    SqlLedgerWriter writer = writer(database, true, 500, Duration.ofHours(1), 1_000, Duration.ofSeconds(30));
    Statement lock = lockTheDatabase();

    CompletionStage<Void> stage = writer.appendBeforeAnswer(row("strict-1", T0, "t", "m", 5));
    CompletableFuture<Long> rowsWhenComplete = stage.toCompletableFuture().thenApply(v -> rowsWithId("strict-1"));

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !rowsWhenComplete.isDone());
    assertThat(writer.pending()).isEqualTo(1);
    lock.execute("ROLLBACK");

    assertThat(rowsWhenComplete.get(10, TimeUnit.SECONDS)).as("the row is committed when the stage completes").isEqualTo(1);
    assertThat(writer.rowsSpooled()).isZero();
    assertThat(writer.batchesWritten()).isEqualTo(1);
  }

  @Test
  void strictRowsArrivingDuringACommitShareTheNextOne() throws Exception {
    Database database = database(Duration.ofSeconds(20));
    SqlLedgerWriter writer = writer(database, true, 500, Duration.ofHours(1), 1_000, Duration.ofSeconds(30));
    Statement lock = lockTheDatabase();

    CompletionStage<Void> first = writer.appendBeforeAnswer(row("g-0", T0, "t", "m", 1));
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (int i = 1; i <= 50; i++) later.add(writer.appendBeforeAnswer(row("g-" + i, T0.plusMillis(i), "t", "m", 1)).toCompletableFuture());
    lock.execute("ROLLBACK");

    CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(rowsInLedger()).isEqualTo(51);
    // One commit for the first row (or for all, had the writer not yet taken it), one for the fifty that waited.
    assertThat(writer.batchesWritten()).isBetween(1L, 2L);
  }

  @Test
  void aStrictAnswerWaitsNoLongerThanTheCommitTimeoutThenItsRowIsSpooledAndReplayedExactlyOnce() throws Exception {
    Database database = database(Duration.ofSeconds(20));
    SqlLedgerWriter writer = writer(database, true, 500, Duration.ofMillis(200), 1_000, Duration.ofSeconds(1));
    Statement lock = lockTheDatabase();

    long began = System.nanoTime();
    writer.appendBeforeAnswer(row("slow-db", T0, "t", "m", 5)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    assertThat(waitedMs).isBetween(1_000L, 6_000L);
    assertThat(writer.databaseHealthy()).isFalse();
    assertThat(writer.rowsSpooled()).isEqualTo(1);
    assertThat(spooledText()).contains("\"id\":\"slow-db\"");
    assertThat(rowsWithId("slow-db")).isZero();

    // While the database is stalled, strict answers only wait for the spool's fsync.
    long again = System.nanoTime();
    writer.appendBeforeAnswer(row("while-down", T0, "t", "m", 5)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again)).as("no commit waited for").isLessThan(1_000);

    // The stalled commit of slow-db and its replay both reach the table once the lock goes: still one row.
    lock.execute("ROLLBACK");
    writer.flush();
    assertThat(rowsWithId("slow-db")).isEqualTo(1);
    assertThat(rowsWithId("while-down")).isEqualTo(1);
    assertThat(writer.rowsWritten()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(writer::databaseHealthy);
    await().atMost(Duration.ofSeconds(10)).until(() -> segments().isEmpty());
  }

  @Test
  void batchedAnswersNeverWaitForTheDatabase() throws Exception {
    Database database = database(Duration.ofSeconds(20));
    SqlLedgerWriter writer = writer(database, false, 500, Duration.ofMillis(10), 1_000, Duration.ofSeconds(30));
    lockTheDatabase();

    assertThat(writer.appendBeforeAnswer(row("b-1", T0, "t", "m", 1)).toCompletableFuture()).isDone();
  }

  @Test
  void aFullQueueSpillsToTheSpoolInsteadOfBlockingTheCaller() throws Exception {
    Database database = database(Duration.ofSeconds(20));
    SqlLedgerWriter writer = writer(database, false, 10, Duration.ofMillis(10), 10, Duration.ofSeconds(30));
    Statement lock = lockTheDatabase();

    // The writer is stuck in a commit for up to 30 s; 1,000 appends still return at once.
    long began = System.nanoTime();
    for (int i = 0; i < 1_000; i++) writer.append(row("q-" + i, T0.plusMillis(i), "t", "m", 1));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(5_000);
    assertThat(writer.rowsSpooled()).as("all but the queue and the batch in flight").isGreaterThanOrEqualTo(1_000 - 10 - 10);
    assertThat(writer.pending()).isEqualTo(1_000);

    lock.execute("ROLLBACK");
    writer.flush();
    assertThat(rowsInLedger()).isEqualTo(1_000);
    assertThat(writer.pending()).isZero();
  }

  @Test
  void strictRowsThatSpillCompleteOnceTheSpoolHasThemEvenWhileTheDatabaseStalls() throws Exception {
    Database database = database(Duration.ofSeconds(20));
    SqlLedgerWriter writer = writer(database, true, 1, Duration.ofMillis(10), 1, Duration.ofSeconds(30));
    Statement lock = lockTheDatabase();

    CompletableFuture<Void> first = writer.appendBeforeAnswer(row("s-0", T0, "t", "m", 1)).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.rowsSpooled() == 0 && !first.isDone() && writer.pending() == 1);
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (int i = 1; i <= 50; i++) rest.add(writer.appendBeforeAnswer(row("s-" + i, T0.plusMillis(i), "t", "m", 1)).toCompletableFuture());

    // One fits the queue; the others spill, and complete once forced to disk, the database still locked.
    await().atMost(Duration.ofSeconds(5)).until(() -> rest.stream().filter(CompletableFuture::isDone).count() >= 49);
    assertThat(first).isNotDone();
    assertThat(spooledText()).contains("\"id\":\"s-50\"");

    lock.execute("ROLLBACK");
    CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    first.get(10, TimeUnit.SECONDS);
    writer.flush();
    assertThat(rowsInLedger()).isEqualTo(51);
  }

  @Test
  void rowsAnEarlierRunLeftInTheSpoolAreReplayedOnOpenExactlyOnce() throws Exception {
    List<UsageRecord> rows = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) rows.add(row("left-" + i, T0.plusSeconds(i), "t", "m", 2));
    // The first 300 reached the database before the crash (a commit whose answer was lost); all are in the spool.
    try (Storage before = Storage.open(url(), ledgerConfig())) {
      rows.subList(0, 300).forEach(before.ledgerWriter()::append);
      before.ledgerWriter().flush();
    }
    Spool crashed = new Spool(spoolDir, "sqlite:" + file.toAbsolutePath().normalize());
    crashed.append(rows.subList(0, 700));
    crashed.append(rows.subList(700, 1_200));
    crashed.sync();
    crashed.close();
    Path segment = segments().getFirst();
    // A write the crash cut in half: never acknowledged, skipped.
    Files.writeString(segment, "{\"v\":1,\"id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    try (Storage after = Storage.open(url(), ledgerConfig())) {
      assertThat(after.ledgerWriter().rowsReplayedFromEarlierRuns()).isEqualTo(1_200);
      assertThat(after.usageQuery().recent(StorageContract.all(), 5_000)).containsExactlyInAnyOrderElementsOf(rows);
    }
    assertThat(segments()).isEmpty();
    assertThat(rowsInLedger()).isEqualTo(1_200);
  }

  @Test
  void aSegmentOfAnotherStorageIsLeftAlone() throws Exception {
    Spool other = new Spool(spoolDir, "sqlite:/somewhere/else.db");
    other.append(List.of(row("elsewhere", T0, "t", "m", 1)));
    other.close();

    try (Storage storage = Storage.open(url(), ledgerConfig())) {
      assertThat(storage.ledgerWriter().rowsReplayedFromEarlierRuns()).isZero();
    }
    assertThat(segments()).hasSize(1);
    assertThat(rowsWithId("elsewhere")).isZero();
  }

  @Test
  void aSegmentAnotherWriterIsStillAppendingToIsNotReplayed() throws Exception {
    Spool live = new Spool(spoolDir, "sqlite:" + file.toAbsolutePath().normalize());
    open.add(live);
    live.append(List.of(row("still-writing", T0, "t", "m", 1)));

    try (Storage storage = Storage.open(url(), ledgerConfig())) {
      assertThat(storage.ledgerWriter().rowsReplayedFromEarlierRuns()).isZero();
    }
    assertThat(rowsWithId("still-writing")).isZero();
    live.close();
    try (Storage storage = Storage.open(url(), ledgerConfig())) {
      assertThat(storage.ledgerWriter().rowsReplayedFromEarlierRuns()).isEqualTo(1);
    }
    assertThat(rowsWithId("still-writing")).isEqualTo(1);
  }

  private dev.tollgate.config.LedgerConfig ledgerConfig() {
    return new dev.tollgate.config.LedgerConfig("strict", 500, Duration.ofMillis(50), 10_000, Duration.ofSeconds(1), spoolDir);
  }
}
