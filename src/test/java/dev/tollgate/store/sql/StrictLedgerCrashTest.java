package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict durability through the real gateway in a child process: under concurrent load it is
 * killed with SIGKILL, or loses its PostgreSQL, and every answer a client received in full still has
 * its ledger row — committed at once, or spooled and replayed (after a restart, or when the database
 * is back).
 */
class StrictLedgerCrashTest {

  private static final String KEY = "tg-crash-test-key-00000001";

  @TempDir Path dir;
  private ChildGateway gateway;
  private TcpProxy proxy;
  private String schema;

  @AfterEach
  void cleanUp() throws Exception {
    if (gateway != null) gateway.close();
    if (proxy != null) proxy.close();
    if (schema != null) PostgresTestDatabase.dropSchema(schema);
  }

  private Path config(String storage) throws IOException {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, """
        server: { host: 127.0.0.1, port: 0 }
        storage: %s
        ledger: { durability: strict, commit_timeout: 500ms, spool_dir: %s }
        providers:
          sim: { type: simulator, ttft: 2ms, tokens_per_second: 4000, output_tokens: 12 }
        models:
          gpt-4o-mini: { provider: sim }
        teams:
          ops: {}
        keys:
          - { name: crash, secret: %s, team: ops }
        """.formatted(storage, dir.resolve("spool"), KEY));
    return file;
  }

  // ---- kill -9 under load ----

  @Test
  void killNineUnderLoadLosesNoRowOfACompletedAnswerOnSqlite() throws Exception {
    Path db = dir.resolve("ledger.db");
    killUnderLoadThenRestart(config("sqlite:" + db), () -> sqliteIds(db));
  }

  @Test
  void killNineUnderLoadLosesNoRowOfACompletedAnswerOnPostgres() throws Exception {
    requirePostgres();
    schema = PostgresTestDatabase.newSchemaName();
    killUnderLoadThenRestart(config(PostgresTestDatabase.storageUrl(schema)), () -> postgresIds(schema));
  }

  private void killUnderLoadThenRestart(Path config, LedgerIds ledger) throws Exception {
    gateway = ChildGateway.start(config);
    Set<String> completed;
    try (ChatLoad load = new ChatLoad(gateway.port(), KEY, 16)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completedCount() >= 400);
      gateway.kill();
      completed = load.completed();
      assertThat(load.refused()).as("answers refused before the kill").isZero();
    }

    gateway = ChildGateway.start(config);
    Set<String> inLedger = ledger.ids();
    System.out.printf("kill -9 under load: %d answers received in full, %d ledger rows after the restart%n",
        completed.size(), inLedger.size());
    assertNoneMissing(completed, inLedger);
    gateway.stop();
  }

  // ---- PostgreSQL unreachable under load ----

  @Test
  void postgresUnreachableUnderLoadAnswersGoOnAndTheirRowsAreReplayedWhenItIsBack() throws Exception {
    requirePostgres();
    schema = PostgresTestDatabase.newSchemaName();
    proxy = new TcpProxy(5432);
    gateway = ChildGateway.start(config(proxiedUrl(schema)));

    try (ChatLoad load = new ChatLoad(gateway.port(), KEY, 16)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completedCount() >= 200);
      proxy.cut();
      int before = load.completedCount();
      load.resetSlowestMillis();

      await("answers while PostgreSQL is unreachable").atMost(Duration.ofSeconds(30))
          .until(() -> load.completedCount() >= before + 300 && !spoolSegments().isEmpty());
      long slowestMs = load.resetSlowestMillis();
      System.out.printf("PostgreSQL cut: %d answers while it was unreachable, the slowest in %d ms%n",
          load.completedCount() - before, slowestMs);
      assertThat(load.refused()).as("answers refused while the database was gone").isZero();
      assertThat(slowestMs).as("slowest answer while the database was gone, ms").isLessThan(5_000);

      proxy.restore();
      Set<String> sentSoFar = load.completed();
      await("spooled rows replayed once PostgreSQL is back").atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertNoneMissing(sentSoFar, postgresIds(schema)));
    }
    gateway.stop();
    assertThat(spoolSegments()).as("nothing left in the spool").isEmpty();
  }

  @Test
  void killNineWhilePostgresIsUnreachableLosesNothingOnceTheRestartReplaysTheSpool() throws Exception {
    requirePostgres();
    schema = PostgresTestDatabase.newSchemaName();
    proxy = new TcpProxy(5432);
    Path config = config(proxiedUrl(schema));
    gateway = ChildGateway.start(config);

    Set<String> completed;
    try (ChatLoad load = new ChatLoad(gateway.port(), KEY, 16)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completedCount() >= 100);
      proxy.cut();
      int before = load.completedCount();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completedCount() >= before + 300 && !spoolSegments().isEmpty());
      gateway.kill();
      completed = load.completed();
      assertThat(load.refused()).isZero();
    }
    assertThat(spoolSegments()).as("the dead gateway's spool").isNotEmpty();
    Set<String> onlySpooled = new HashSet<>(completed);
    onlySpooled.removeAll(postgresIds(schema));
    System.out.printf("kill -9 with PostgreSQL cut: %d answers received in full, %d of them only in the spool%n",
        completed.size(), onlySpooled.size());
    assertThat(onlySpooled).as("answers whose rows only the spool holds").isNotEmpty();

    proxy.restore();
    gateway = ChildGateway.start(config);
    assertNoneMissing(completed, postgresIds(schema));
    assertThat(spoolSegments()).as("replayed and removed at start").isEmpty();
    assertThat(gateway.log()).contains("left in the spool");
    gateway.stop();
  }

  // ---- helpers ----

  @FunctionalInterface
  private interface LedgerIds {
    Set<String> ids() throws SQLException;
  }

  private static void assertNoneMissing(Set<String> completed, Set<String> inLedger) {
    Set<String> missing = new HashSet<>(completed);
    missing.removeAll(inLedger);
    assertThat(missing).as("answers received in full (%d) without a ledger row", completed.size()).isEmpty();
  }

  private static void requirePostgres() {
    if (!PostgresTestDatabase.available()) System.out.println(PostgresTestDatabase.SKIP_MESSAGE);
    assumeTrue(PostgresTestDatabase.available(), PostgresTestDatabase.SKIP_MESSAGE);
  }

  private String proxiedUrl(String schema) {
    return PostgresTestDatabase.storageUrl(schema).replace(PostgresTestDatabase.HOST, "127.0.0.1:" + proxy.port());
  }

  private java.util.List<Path> spoolSegments() throws IOException {
    Path spool = dir.resolve("spool");
    if (!Files.isDirectory(spool)) return java.util.List.of();
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).toList();
    }
  }

  private static Set<String> sqliteIds(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      return ids(c, "ledger");
    }
  }

  private static Set<String> postgresIds(String schema) throws SQLException {
    String url = PostgresTestDatabase.storageUrl(schema);
    String user = url.substring("postgresql://".length(), url.indexOf('@'));
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PostgresTestDatabase.HOST + "/test", user, "")) {
      return ids(c, schema + ".ledger");
    }
  }

  private static Set<String> ids(Connection c, String table) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM " + table)) {
      while (rs.next()) ids.add(rs.getString(1));
    }
    return ids;
  }
}
