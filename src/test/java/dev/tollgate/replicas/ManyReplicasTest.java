package dev.tollgate.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.port.CounterStore;
import dev.tollgate.store.redis.RedisCounterStore;
import dev.tollgate.testing.RedisTestServer;
import dev.tollgate.testing.TcpProxy;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many gateway processes on one PostgreSQL and one Redis: a hard cap holds exactly under load spread
 * across them, every answer has its ledger row, nothing stays reserved, a replica joining later does
 * not count the ledger twice; and while Redis stalls or stops (for these replicas only, through a
 * proxy: the shared server is never paused) a fail_closed replica answers 503 and a fail_open one
 * admits within its local limit, reconciled once Redis is back. Each replica is a real
 * {@code tollgate serve} process; skipped, saying so, when PostgreSQL or Redis is absent.
 */
class ManyReplicasTest {

  static final String PG = "127.0.0.1:5432";
  static final String SKIP = "PostgreSQL (" + PG + ") or Redis (" + RedisTestServer.HOST + ":" + RedisTestServer.PORT
      + ") not reachable — skipping many-replica tests";
  static final ObjectMapper JSON = new ObjectMapper();
  /** One custom window for every replica (the budget's id names its start, so replicas must agree on it). */
  static final Instant WINDOW_START = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
  static final Pattern BANNER = Pattern.compile("Tollgate listening on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir static Path dir;
  static String schema;
  static String pgUser;
  static final List<Replica> replicas = new ArrayList<>();
  static final List<String> prefixes = new ArrayList<>();
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  static Vertx vertx;
  static TcpProxy proxy;

  /** One {@code tollgate serve} process. */
  record Replica(String name, Process process, Path log, int port) {
    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }
  }

  @BeforeAll
  static void requireBackends() {
    pgUser = postgresUser();
    boolean ok = pgUser != null && RedisTestServer.available();
    if (!ok) System.out.println(SKIP);
    assumeTrue(ok, SKIP);
    schema = "tg_replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (Replica r : replicas) r.process().destroy(); // SIGTERM: each finishes its requests and flushes its ledger
    for (Replica r : replicas) {
      if (!r.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) r.process().destroyForcibly().waitFor();
    }
    replicas.clear();
    if (proxy != null) proxy.close();
    if (schema != null && pgUser != null) sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    prefixes.forEach(RedisTestServer::deleteAll);
    if (vertx != null) vertx.close().await();
  }

  @Test
  void threeReplicasHoldAHardCapExactlyAndLedgerEveryAnswer() throws Exception {
    String prefix = RedisTestServer.newPrefix("replicas");
    prefixes.add(prefix);
    String config = config(prefix, "fail_closed", "10s", "capped", 300);
    List<Replica> three = startAll(List.of("cap-a", "cap-b", "cap-c"), config);

    int total = 999;
    long started = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < total; i++) answers.add(chatAsync(three.get(i % 3), "tg-replicas-capped-000001"));
    Map<Integer, Integer> byStatus = new TreeMap<>();
    int[] servedBy = new int[3];
    for (int i = 0; i < total; i++) {
      HttpResponse<String> r = answers.get(i).get();
      byStatus.merge(r.statusCode(), 1, Integer::sum);
      if (r.statusCode() == 200) servedBy[i % 3]++;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "many replicas: %d requests over 3 replicas in %.2f s (%.0f req/s); answers %s; admitted per replica %d/%d/%d%n",
        total, seconds, total / seconds, byStatus, servedBy[0], servedBy[1], servedBy[2]);

    assertThat(byStatus).as("exactly the cap admitted, everything else refused").isEqualTo(Map.of(200, 300, 429, 699));
    assertThat(servedBy).as("every replica admitted some").doesNotContain(0);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ledgerByStatus("capped")).as("a ledger row for every answer").isEqualTo(Map.of("ok", 300L, "blocked", 699L)));
    try (RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(redis.activeReservations(Instant.now())).as("no holds left").isZero();
        assertThat(capCounter(redis)).as("0 overshoot").isEqualTo(new CounterStore.State(300, 0));
      });

      // A fourth replica joins later and rebuilds its counters from the same ledger: Redis already
      // counts those 300 requests, so the rebuild must add nothing (no double count), and it refuses too.
      Replica late = startAll(List.of("cap-d"), config).get(0);
      assertThat(capCounter(redis)).as("the late replica's rebuild did not count the ledger again")
          .isEqualTo(new CounterStore.State(300, 0));
      assertThat(chat(late, "tg-replicas-capped-000001").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void whenRedisStallsOrStopsFailClosedRefusesAndFailOpenAdmitsItsLocalShare() throws Exception {
    // The two replicas reach Redis through a proxy of this test's own, so only they see Redis stall or
    // stop; the shared server (and whoever else uses it) is never paused.
    proxy = new TcpProxy(RedisTestServer.HOST, RedisTestServer.PORT);
    String prefix = RedisTestServer.newPrefix("replicas-fault");
    prefixes.add(prefix);
    String url = "redis://127.0.0.1:" + proxy.port();
    Replica closed = startAll(List.of("fault-closed"), config(url, prefix, "fail_closed", "300ms", "faulty", 100)).get(0);
    Replica open = startAll(List.of("fault-open"), config(url, prefix, "fail_open_with_local_limits", "300ms", "faulty", 100)).get(0);
    String key = "tg-replicas-faulty-000001";
    List<Integer> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) answers.add(expect(200, chat(open, key)));
    try (RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> capCounter(redis).equals(new CounterStore.State(20, 0)));

      // 1. Redis stalls: commands get no answer (and arrive late, once it is back).
      proxy.pause();
      HttpResponse<String> refused = chat(closed, key);
      answers.add(refused.statusCode());
      int admitted = 0;
      for (int i = 0; i < 40; i++) {
        int status = chat(open, key).statusCode();
        answers.add(status);
        if (status == 200) admitted++;
      }
      System.out.printf(Locale.ROOT, "redis stalled: fail_closed answered %d; fail_open admitted %d of 40 (local limit 25)%n",
          refused.statusCode(), admitted);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("counters_unavailable");
      assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("budget counters are unavailable");
      assertThat(admitted).as("floor(100 × 0.25) admitted locally").isEqualTo(25);

      proxy.resume();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(capCounter(redis)).as("reconciled: 20 before + 25 admitted locally").isEqualTo(new CounterStore.State(45, 0)));
      answers.addAll(untilServed(closed, key));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(capCounter(redis)).isEqualTo(new CounterStore.State(46, 0)));

      // 2. Redis stops (connections cut, new ones refused), then starts again.
      proxy.stop();
      answers.add(expect(503, chat(closed, key)));
      for (int i = 0; i < 10; i++) {
        answers.add(expect(429, chat(open, key))); // its local share of this period is used up already
      }
      proxy.start();
      answers.addAll(untilServed(closed, key));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(redis.activeReservations(Instant.now())).as("no holds left, none orphaned by lost replies").isZero();
        assertThat(capCounter(redis)).isEqualTo(new CounterStore.State(47, 0));
      });
      long served = answers.stream().filter(s -> s == 200).count();
      long blocked = answers.size() - served;
      assertThat(served).isEqualTo(47);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledgerByStatus("faulty"))
          .as("a ledger row for every answer; Redis counts every served request").isEqualTo(Map.of("ok", served, "blocked", blocked)));
    }
  }

  @Test
  void whenRedisLosesItsDataOneReplicaRebuildsTheCountersAndTheCapStillHoldsExactly() throws Exception {
    String prefix = RedisTestServer.newPrefix("replicas-loss");
    prefixes.add(prefix);
    String key = "tg-replicas-lossy-000001";
    List<Replica> three = startAll(List.of("loss-a", "loss-b", "loss-c"), config(prefix, "fail_closed", "10s", "lossy", 300));
    List<Integer> answers = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> before = new ArrayList<>();
    for (int i = 0; i < 150; i++) before.add(chatAsync(three.get(i % 3), key));
    for (var f : before) answers.add(f.get().statusCode());
    assertThat(answers).allMatch(st -> st == 200 || st == 503); // 503: Redis slower than the timeout on a loaded machine
    long servedBefore = answers.stream().filter(st -> st == 200).count();
    // (ignoreExceptions: the shared PostgreSQL may refuse a connection for a moment when other suites fill it)
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> ledgerByStatus("lossy").getOrDefault("ok", 0L) == servedBefore);

    // Redis loses everything of this installation (as a restart without persistence would), and load
    // arrives at once: 503 until the counters are rebuilt from the ledger, then served up to the cap.
    RedisTestServer.deleteAll(prefix);
    List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
    for (int i = 0; i < 300; i++) during.add(chatAsync(three.get(i % 3), key));
    Map<Integer, Integer> duringByStatus = new TreeMap<>();
    for (var f : during) {
      int status = f.get().statusCode();
      answers.add(status);
      duringByStatus.merge(status, 1, Integer::sum);
    }
    // Then until the cap refuses: 503 while the counters are rebuilt, 200 for what is left, then 429.
    int i = 0;
    while (true) {
      int status = chat(three.get(i++ % 3), key).statusCode();
      answers.add(status);
      assertThat(status).isIn(200, 429, 503);
      if (status == 429) break;
      assertThat(i).as("the cap refuses at last").isLessThan(5_000);
    }
    long served = answers.stream().filter(st -> st == 200).count();
    long rebuilds = 0;
    for (Replica r : three) rebuilds += Files.readAllLines(r.log()).stream().filter(l -> l.contains("budget counters rebuilt from the ledger")).count();
    System.out.printf(Locale.ROOT, "redis lost its data under load: answers while it was rebuilt %s; served %d of the cap of 300; rebuilds %d%n",
        duringByStatus, served, rebuilds);
    assertThat(served).as("0 overshoot, and the rebuilt counters let the rest of the cap through").isEqualTo(300);
    assertThat(rebuilds).as("one rebuild at the first start, one after the loss, across three replicas").isEqualTo(2);
    for (Replica r : three) answers.add(expect(429, chat(r, key)));
    long blocked = answers.size() - served;
    try (RedisCounterStore redis = new RedisCounterStore(vertx, RedisTestServer.URL, prefix, Duration.ofSeconds(5))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(capCounter(redis)).isEqualTo(new CounterStore.State(300, 0)));
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(ledgerByStatus("lossy"))
        .isEqualTo(Map.of("ok", served, "blocked", blocked)));
  }

  /** Asks until the replica serves again; returns every status it answered on the way. */
  static List<Integer> untilServed(Replica r, String key) {
    List<Integer> statuses = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      int status = chat(r, key).statusCode();
      statuses.add(status);
      assertThat(status).isIn(200, 503);
      return status == 200;
    });
    return statuses;
  }

  static int expect(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return status;
  }

  // ---- processes

  static List<Replica> startAll(List<String> names, String config) throws Exception {
    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (String name : names) {
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, config);
      Path log = dir.resolve(name + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "dev.tollgate.cli.Main", "serve", "--config", file.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      processes.add(p);
      logs.add(log);
    }
    List<Replica> started = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Process p = processes.get(i);
      Path log = logs.get(i);
      String name = names.get(i);
      int[] port = new int[1];
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String text = Files.readString(log);
        if (!p.isAlive()) throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + text);
        Matcher m = BANNER.matcher(text);
        if (!m.find()) return false;
        port[0] = Integer.parseInt(m.group(1));
        return true;
      });
      Replica r = new Replica(name, p, log, port[0]);
      replicas.add(r);
      started.add(r);
    }
    for (Replica r : started) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
          http.send(HttpRequest.newBuilder(URI.create(r.url("/readyz"))).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
    return started;
  }

  /** A replica's config: its own port (any free one), the shared PostgreSQL schema and Redis prefix, one hard cap. */
  static String config(String prefix, String onDown, String timeout, String key, int cap) {
    return config(RedisTestServer.URL, prefix, onDown, timeout, key, cap);
  }

  static String config(String redisUrl, String prefix, String onDown, String timeout, String key, int cap) {
    return """
        server: { host: 127.0.0.1, port: 0 }
        storage: postgresql://%s@%s/test?schema=%s
        counters: %s
        counters_options: { key_prefix: "%s", on_redis_down: %s, local_limit_fraction: 0.25, timeout: %s }
        org: { name: acme }
        providers:
          sim: { type: simulator, output_tokens: 10 }
        models:
          gpt-4o-mini: { provider: sim }
        keys:
          - { name: %s, secret: tg-replicas-%s-000001 }
        budgets:
          - { scope: "key:%s", window: custom, start: %s, end: %s, requests: %d }
          - { scope: "key:%s", window: day, usd: 1000, on_exceed: notify }
        """.formatted(pgUser, PG, schema, redisUrl, prefix, onDown, timeout, key, key, key,
        WINDOW_START, WINDOW_START.plus(Duration.ofDays(2)), cap, key);
  }

  static HttpRequest chatRequest(Replica r, String secret) {
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Classify: printer on fire\"}]}";
    return HttpRequest.newBuilder(URI.create(r.url("/v1/chat/completions"))).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").header("authorization", "Bearer " + secret)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static CompletableFuture<HttpResponse<String>> chatAsync(Replica r, String secret) {
    return http.sendAsync(chatRequest(r, secret), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> chat(Replica r, String secret) {
    try {
      return http.send(chatRequest(r, secret), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The one hard-cap counter under a prefix (the custom-window requests budget). */
  static CounterStore.State capCounter(RedisCounterStore redis) {
    return redis.scan("", Instant.now()).entrySet().stream().filter(e -> e.getKey().contains(":custom")).map(Map.Entry::getValue)
        .findFirst().orElse(new CounterStore.State(0, 0));
  }

  // ---- PostgreSQL

  static Map<String, Long> ledgerByStatus(String key) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = connect(pgUser); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status, count(*) FROM " + schema + ".ledger WHERE key_name = '" + key + "' GROUP BY status")) {
      while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
    }
    return out;
  }

  static void sql(String statement) throws SQLException {
    try (Connection c = connect(pgUser); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  static String postgresUser() {
    for (String user : List.of("postgres", System.getProperty("user.name"))) {
      try (Connection ignored = connect(user)) {
        return user;
      } catch (SQLException e) {
        // try the next one
      }
    }
    return null;
  }

  static Connection connect(String user) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + PG + "/test?connectTimeout=3", user, "");
  }
}
