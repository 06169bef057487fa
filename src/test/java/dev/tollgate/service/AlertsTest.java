package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misconfigured automation firing all night is noticed, told once to the right channel, and stopped until someone looks. */
class AlertsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String SYNC = "tg-alerts-nightly-sync-0001";
  static final String SECRET = "s3cret-signing-key";

  @TempDir static Path dir;
  static Vertx vertx;
  static HttpServer hook;
  static final List<String[]> received = new CopyOnWriteArrayList<>();
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T01:00:00Z"));
  static TestGateway gw;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(new String[] {b.toString(StandardCharsets.UTF_8), req.getHeader("x-tollgate-signature")});
      req.response().end();
    }));
    hook.listen(0, "127.0.0.1").await();
    var cfg = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim:   { type: simulator, output_tokens: 5 }
          flaky: { type: simulator, error_rate: 1.0 }
        models:
          gpt-4o-mini:  { provider: sim }
          broken-model: { provider: flaky, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        keys:
          - { name: nightly-sync, secret: tg-alerts-nightly-sync-0001, agent: syncer }
          - { name: human, secret: tg-alerts-human-key-000001 }
          - { name: ops, secret: tg-alerts-ops-key-00000001 }
        budgets:
          - { scope: "key:human", window: day, requests: 4, warn_at: [0.5] }
        alerts:
          channels: [ { type: webhook, url: "${HOOK}", secret: "s3cret-signing-key" } ]
          runaway: { min_runs: 6, min_period: 5m, tolerance: 0.1, action: suspend }
          error_rate: { window_minutes: 5, min_calls: 10, threshold: 0.5 }
        """, Map.of("DIR", dir.toString(), "HOOK", "http://127.0.0.1:" + hook.actualPort() + "/alerts"), dir);
    gw = TestGateway.start(cfg, clock);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (vertx != null) vertx.close().await();
  }

  static HttpResponse<String> chat(String key, String model) {
    return gw.post("/v1/chat/completions", key, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"sync\"}]}");
  }

  static JsonNode alerts(String kind) throws Exception {
    return JSON.readTree(gw.get("/admin/v1/alerts?kind=" + kind, ADMIN).body()).get("data");
  }

  @Test
  void aJobFiringEveryFifteenMinutesAllNightIsCaughtSuspendedAndReleasedOnAcknowledgement() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(chat(SYNC, "gpt-4o-mini").statusCode()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(15));
    }
    // The detectors look at ledger rows on their own thread, a moment after the answer.
    JsonNode runaway = await().atMost(Duration.ofSeconds(10)).until(() -> alert("runaway_automation", "key:nightly-sync"),
        a -> a != null);
    assertThat(runaway.get("message").asText()).contains("every 15 min");
    assertThat(runaway.get("action").asText()).isEqualTo("suspend key:nightly-sync");

    HttpResponse<String> suspended = chat(SYNC, "gpt-4o-mini");
    assertThat(suspended.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(suspended.body()).at("/error/code").asText()).isEqualTo("key_suspended");
    assertThat(JSON.readTree(suspended.body()).at("/error/message").asText()).contains(runaway.get("id").asText());

    await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r[0].contains("key:nightly-sync")));
    String[] delivery = received.stream().filter(r -> r[0].contains("key:nightly-sync")).findFirst().orElseThrow();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(delivery[1]).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(delivery[0].getBytes(StandardCharsets.UTF_8))));

    clock.advance(Duration.ofMinutes(15));
    chat(SYNC, "gpt-4o-mini");
    assertThat(alerts("runaway_automation").get(0).get("count").asLong()).as("one incident, one alert").isGreaterThanOrEqualTo(1);
    long deliveries = received.stream().filter(r -> r[0].contains("\"subject\":\"key:nightly-sync\"")).count();
    assertThat(deliveries).as("sent once within the cooldown").isEqualTo(1);

    // The gateway's own change is in the audit log under a system actor.
    await().atMost(Duration.ofSeconds(10)).until(() -> suspensionRows().size() == 1);
    JsonNode suspension = suspensionRows().get(0);
    assertThat(suspension.get("actor").asText()).isEqualTo("system:alerts");
    assertThat(suspension.get("method").asText()).isEqualTo("SUSPEND");
    assertThat(suspension.get("before").isNull()).isTrue();
    assertThat(suspension.at("/after/action").asText()).isEqualTo("suspend");
    assertThat(suspension.at("/after/alert_id").asText()).isEqualTo(runaway.get("id").asText());

    HttpResponse<String> acked = gw.post("/admin/v1/alerts/" + runaway.get("id").asText() + "/ack", ADMIN, "");
    assertThat(JSON.readTree(acked.body()).get("state").asText()).isEqualTo("acknowledged");
    assertThat(chat(SYNC, "gpt-4o-mini").statusCode()).isEqualTo(200);

    List<JsonNode> rows = suspensionRows();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).get("actor").asText()).as("lifted by whoever acknowledged").isEqualTo("admin-token");
    assertThat(rows.get(1).get("route").asText()).isEqualTo("/admin/v1/alerts/:id/ack");
    assertThat(rows.get(1).at("/before/subject").asText()).isEqualTo("key:nightly-sync");
    assertThat(rows.get(1).get("after").isNull()).isTrue();
    JsonNode ack = JSON.readTree(gw.get("/admin/v1/audit?resource=alert:" + runaway.get("id").asText(), ADMIN).body()).get("data").get(0);
    assertThat(ack.at("/before/state").asText()).isEqualTo("open");
    assertThat(ack.at("/after/state").asText()).isEqualTo("acknowledged");
    assertThat(ack.at("/after/acted_by").asText()).isEqualTo("admin-token");
  }

  static JsonNode alert(String kind, String subject) throws Exception {
    for (JsonNode a : alerts(kind)) if (a.get("subject").asText().equals(subject)) return a;
    return null;
  }

  static List<JsonNode> suspensionRows() throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    JSON.readTree(gw.get("/admin/v1/audit?resource=alert_restriction:key:nightly-sync", ADMIN).body()).get("data").forEach(out::add);
    return out;
  }

  @Test
  void irregularHumanTrafficIsNotARunaway() throws Exception {
    int[] gaps = {3, 40, 7, 90, 15, 2, 60};
    for (int g : gaps) {
      chat("tg-alerts-human-key-000001", "gpt-4o-mini");
      clock.advance(Duration.ofMinutes(g));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts("budget_threshold").toString().contains("key:human"));
    for (JsonNode a : alerts("runaway_automation")) assertThat(a.get("subject").asText()).isNotEqualTo("key:human");
  }

  @Test
  void aProviderFailingMostCallsRaisesAnErrorRateAlert() throws Exception {
    for (int i = 0; i < 10; i++) chat("tg-alerts-ops-key-00000001", "broken-model");
    JsonNode a = await().atMost(Duration.ofSeconds(10)).until(() -> alerts("error_rate"), found -> !found.isEmpty());
    assertThat(a.get(0).get("subject").asText()).isEqualTo("provider:simulator");
  }
}
