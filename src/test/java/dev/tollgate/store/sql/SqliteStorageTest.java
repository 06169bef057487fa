package dev.tollgate.store.sql;

import static dev.tollgate.store.sql.Ledger.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on a SQLite file in a fresh temporary directory. */
class SqliteStorageTest extends StorageContract {

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void newFile() {
    file = dir.resolve("not/yet/there/tollgate.db"); // parent directories are made on open
  }

  @Override
  String storageUrl() {
    return "sqlite:" + file;
  }

  @Test
  void runsInWalMode() throws Exception {
    open();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void aBatchThatMeetsALockedDatabaseIsSpooledThenReplayedOnceTheLockIsGone() throws Exception {
    var settings = new SqlLedgerWriter.Settings(false, 100, Duration.ofMillis(10), 1_000, Duration.ofSeconds(1),
        dir.resolve("spool"));
    try (Database database = Database.open(storageUrl(), Duration.ofMillis(20));
        SqlLedgerWriter writer = new SqlLedgerWriter(database, settings);
        Connection intruder = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement lock = intruder.createStatement()) {
      lock.execute("BEGIN EXCLUSIVE"); // another process holding the write lock: SQLITE_BUSY for us
      for (int i = 0; i < 250; i++) writer.append(row("r" + i, Instant.parse("2026-11-01T00:00:00Z"), "t", "m", 3));
      CompletableFuture<Void> flushed = CompletableFuture.runAsync(writer::flush);

      await().atMost(Duration.ofSeconds(10)).until(() -> writer.failedAttempts() >= 2 && writer.rowsSpooled() == 250);
      assertThat(writer.databaseHealthy()).isFalse();
      assertThat(flushed).as("flush waits for the database").isNotDone();
      assertThat(writer.pending()).isEqualTo(250);
      lock.execute("ROLLBACK");

      flushed.get(30, TimeUnit.SECONDS);
      assertThat(writer.rowsWritten()).isEqualTo(250);
      assertThat(new SqlUsageQuery(database).aggregate(all())).singleElement()
          .satisfies(sum -> assertThat(sum.requests()).isEqualTo(250));
      await().atMost(Duration.ofSeconds(10)).until(writer::databaseHealthy);
    }
  }
}
