package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic actions through the real server: a retry storm throttles its key (429 with Retry-After,
 * in the OpenAI and the Anthropic protocol), a runaway workflow is suspended while its keys keep
 * working for other things; both survive a restart, are audited as {@code system:alerts}, and are
 * lifted by acknowledging or resolving the alert.
 */
class AlertActionsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String LOOPER = "tg-actions-looper-key-000001";
  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      providers:
        sim: { type: simulator, output_tokens: 5 }
      models:
        gpt-4o-mini: { provider: sim }
      keys:
        - { name: looper, secret: tg-actions-looper-key-000001 }
        - { name: cron-1, secret: tg-actions-cron-key-0000001 }
        - { name: cron-2, secret: tg-actions-cron-key-0000002 }
        - { name: cron-3, secret: tg-actions-cron-key-0000003 }
        - { name: cron-4, secret: tg-actions-cron-key-0000004 }
      budgets:
        - { scope: "key:cron-4", window: day, requests: 4 }
      alerts:
        runaway: { min_runs: 4, min_period: 5m, tolerance: 0.1, action: suspend }
        retry_storm: { count: 5, window: 5m, action: throttle, throttle_per_minute: 2 }
        spend_spike: { enabled: false }
      """;

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  void start() {
    start(YAML);
  }

  void start(String yaml) {
    gw = TestGateway.start(TestGateway.parse(yaml, Map.of("DIR", dir.toString()), dir), clock);
  }

  HttpResponse<String> chat(String key, String prompt, String... headers) {
    return gw.post("/v1/chat/completions", key, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt + "\"}]}", headers);
  }

  JsonNode alert(String kind, String subject) throws Exception {
    for (JsonNode a : JSON.readTree(gw.get("/admin/v1/alerts?kind=" + kind, ADMIN).body()).get("data")) {
      if (a.get("subject").asText().equals(subject)) return a;
    }
    return null;
  }

  List<JsonNode> audit(String resource) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(gw.get("/admin/v1/audit?resource=" + resource, ADMIN).body()).get("data").forEach(out::add);
    return out;
  }

  @Test
  void aRetryStormThrottlesItsKeyWith429AndRetryAfterAcrossARestartUntilAcknowledged() throws Exception {
    start();
    for (int i = 0; i < 5; i++) assertThat(chat(LOOPER, "sync the same thing").statusCode()).isEqualTo(200);
    JsonNode storm = await().atMost(Duration.ofSeconds(10)).until(() -> alert("retry_storm", "key:looper"), a -> a != null);
    String id = storm.get("id").asText();
    assertThat(storm.get("action").asText()).isEqualTo("throttle key:looper to 2/min");
    assertThat(storm.get("message").asText()).contains("5 times").contains("prompt_hash");
    String metrics = gw.get("/metrics", null).body();
    assertThat(metrics).contains("tollgate_alerts_opened_total{kind=\"retry_storm\"} 1.0")
        .contains("tollgate_alerts_open{kind=\"retry_storm\"} 1.0").contains("tollgate_alert_detector_dropped_rows_total 0.0");

    clock.advance(Duration.ofSeconds(15));
    assertThat(chat(LOOPER, "first").statusCode()).isEqualTo(200);
    assertThat(chat(LOOPER, "second").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat(LOOPER, "third");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).contains("45");
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("throttled");
    assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("message").asText()).contains("throttled to 2 requests a minute").contains(id)
        .contains("/admin/v1/alerts/" + id + "/ack");
    HttpResponse<String> anthropic = gw.post("/v1/messages", null, "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"fourth\"}]}", "x-api-key", LOOPER, "anthropic-version", "2023-06-01");
    assertThat(anthropic.statusCode()).isEqualTo(429);
    assertThat(anthropic.headers().firstValue("retry-after")).contains("45");
    assertThat(JSON.readTree(anthropic.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(JSON.readTree(anthropic.body()).at("/error/message").asText()).contains(id);

    clock.advance(Duration.ofMinutes(1));
    assertThat(chat(LOOPER, "next minute").statusCode()).as("a new minute, new allowance").isEqualTo(200);

    // A restart keeps the throttle and the open incident (the same id, not told again).
    gw.close();
    clock.advance(Duration.ofMinutes(1));
    start();
    assertThat(chat(LOOPER, "after restart 1").statusCode()).isEqualTo(200);
    assertThat(chat(LOOPER, "after restart 2").statusCode()).isEqualTo(200);
    assertThat(chat(LOOPER, "after restart 3").statusCode()).isEqualTo(429);
    assertThat(alert("retry_storm", "key:looper").get("id").asText()).isEqualTo(id);

    List<JsonNode> made = audit("alert_restriction:key:looper");
    assertThat(made).hasSize(1);
    assertThat(made.get(0).get("actor").asText()).isEqualTo("system:alerts");
    assertThat(made.get(0).get("method").asText()).isEqualTo("THROTTLE");
    assertThat(made.get(0).at("/after/per_minute").asInt()).isEqualTo(2);
    assertThat(made.get(0).at("/after/alert_id").asText()).isEqualTo(id);

    assertThat(gw.post("/admin/v1/alerts/" + id + "/ack", ADMIN, "").statusCode()).isEqualTo(200);
    for (int i = 0; i < 4; i++) assertThat(chat(LOOPER, "lifted " + i).statusCode()).isEqualTo(200);
    List<JsonNode> lifted = audit("alert_restriction:key:looper");
    assertThat(lifted).hasSize(2);
    assertThat(lifted.get(1).get("actor").asText()).isEqualTo("admin-token");
    assertThat(lifted.get(1).at("/before/action").asText()).isEqualTo("throttle");
    assertThat(lifted.get(1).get("after").isNull()).isTrue();

    gw.close();
    start();
    assertThat(chat(LOOPER, "lifted for good").statusCode()).as("the lifting survives a restart too").isEqualTo(200);
    assertThat(alert("retry_storm", "key:looper").get("state").asText()).isEqualTo("acknowledged");
  }

  @Test
  void aRunawayWorkflowOnRotatingKeysIsSuspendedWhileTheKeysServeOtherWorkUntilResolved() throws Exception {
    start();
    for (int i = 1; i <= 4; i++) {
      assertThat(chat("tg-actions-cron-key-000000" + i, "report " + i, "x-tollgate-workflow", "nightly-report").statusCode())
          .isEqualTo(200);
      clock.advance(Duration.ofMinutes(15));
    }
    JsonNode runaway = await().atMost(Duration.ofSeconds(10))
        .until(() -> alert("runaway_automation", "workflow:nightly-report"), a -> a != null);
    String id = runaway.get("id").asText();
    assertThat(runaway.get("action").asText()).isEqualTo("suspend workflow:nightly-report");
    assertThat(alert("runaway_automation", "key:cron-1")).as("no key ran on a period").isNull();

    HttpResponse<String> refused = chat("tg-actions-cron-key-0000001", "report 5", "x-tollgate-workflow", "nightly-report");
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("suspended");
    assertThat(error.get("message").asText()).contains("workflow:nightly-report is suspended").contains(id);
    assertThat(chat("tg-actions-cron-key-0000001", "something else", "x-tollgate-workflow", "ad-hoc").statusCode()).isEqualTo(200);

    gw.close();
    start();
    assertThat(chat("tg-actions-cron-key-0000002", "report 6", "x-tollgate-workflow", "nightly-report").statusCode())
        .as("still suspended after a restart").isEqualTo(403);

    assertThat(gw.post("/admin/v1/alerts/" + id + "/resolve", ADMIN, "").statusCode()).isEqualTo(200);
    assertThat(chat("tg-actions-cron-key-0000002", "report 7", "x-tollgate-workflow", "nightly-report").statusCode()).isEqualTo(200);
    assertThat(audit("alert_restriction:workflow:nightly-report")).extracting(r -> r.get("actor").asText())
        .containsExactly("system:alerts", "admin-token");
  }

  @Test
  void aRegisteredProductionBatchThatRecordsOutcomesIsNotARunawayButTheSameCadenceUnregisteredIs() throws Exception {
    start();
    assertThat(gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"etl-nightly\",\"owner\":\"data\",\"stage\":\"production\"}")
        .statusCode()).isEqualTo(201);
    assertThat(gw.post("/admin/v1/outcomes", ADMIN, "{\"type\":\"tables_loaded\",\"count\":40,\"value_usd\":20,"
        + "\"workflow\":\"etl-nightly\"}").statusCode()).isEqualTo(201);
    for (int i = 0; i < 6; i++) {
      assertThat(chat("tg-actions-cron-key-0000001", "load " + i, "x-tollgate-workflow", "etl-nightly").statusCode()).isEqualTo(200);
      // Suspended once its fourth run is seen (runaway action: suspend); its later runs are refused.
      chat("tg-actions-cron-key-0000002", "copy " + i, "x-tollgate-workflow", "copy-nightly");
      clock.advance(Duration.ofMinutes(15));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> alert("runaway_automation", "key:cron-2"), a -> a != null);
    assertThat(alert("runaway_automation", "key:cron-1")).isNull();
    assertThat(alert("runaway_automation", "workflow:etl-nightly")).isNull();
    assertThat(chat("tg-actions-cron-key-0000001", "load 7", "x-tollgate-workflow", "etl-nightly").statusCode()).isEqualTo(200);
  }

  @Test
  void theForecastCheckTellsWhenABudgetIsProjectedToRunOutBeforeItsPeriodEnds() throws Exception {
    start();
    // 10:00: two of four requests used in 10 hours, on pace for about five by midnight.
    assertThat(chat("tg-actions-cron-key-0000004", "one").statusCode()).isEqualTo(200);
    assertThat(chat("tg-actions-cron-key-0000004", "two").statusCode()).isEqualTo(200);
    gw.gateway().checkForecastsNow();

    JsonNode forecast = await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (JsonNode a : JSON.readTree(gw.get("/admin/v1/alerts?kind=budget_forecast", ADMIN).body()).get("data")) return a;
      return null;
    }, a -> a != null);
    assertThat(forecast.get("subject").asText()).startsWith("key:cron-4|");
    assertThat(forecast.get("message").asText()).contains("key:cron-4 is projected to exhaust the daily request budget of key:cron-4")
        .contains("2 of 4 requests used so far");
  }

  @Test
  void spendBaselinesAreSeededFromTheLedgerAtStartSoASpikeAfterARestartIsSeen() throws Exception {
    String yaml = YAML.replace("spend_spike: { enabled: false }", "spend_spike: { factor: 3, weeks: 4, min_baseline_usd: 0 }");
    start(yaml);
    // Four Wednesdays at 10:xx: one request each (from a different key, so nothing runs on a period).
    for (int week = 1; week <= 4; week++) {
      assertThat(chat("tg-actions-cron-key-000000" + week, "weekly " + week).statusCode()).isEqualTo(200);
      clock.advance(Duration.ofDays(7));
    }
    gw.close();
    // A new process a month later: what it knows of past Wednesdays comes from the ledger.
    start(yaml);
    for (int i = 0; i < 4; i++) assertThat(chat(LOOPER, "burst " + i).statusCode()).isEqualTo(200);

    JsonNode spike = await().atMost(Duration.ofSeconds(10)).until(() -> alert("spend_spike", "org"), a -> a != null);
    assertThat(spike.get("message").asText()).contains("median of 4 weeks");
    assertThat(alert("spend_spike", "key:looper")).as("no history of its own: not judged").isNull();
  }
}
