package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.synthetic.SyntheticLedger;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when", end to end through the real server: a job planted in a night of the
 * synthetic month (every 15 minutes from 22:00 to 06:00, no outcomes, its workflow not registered),
 * played as requests among that night's synthetic traffic, is caught at the run that completes the
 * pattern, told once to a signed webhook, a Slack-compatible webhook and by email, suspended (403 in
 * OpenAI's shape, audited as {@code system:alerts}) and released by acknowledging the alert.
 */
class RunawayEveryChannelTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  static final Instant MONDAY = Instant.parse("2026-11-01T23:00:00Z");
  static final Duration PERIOD = Duration.ofMinutes(15);
  /** 22:00 to 06:00 local on the night of the 12th: 33 runs. */
  static final Instant FIRST_RUN = MONDAY.atZone(ZONE).plusDays(11).withHour(22).toInstant();
  static final int RUNS = 33;
  static final String SYNC = "tg-every-channel-crm-sync-01";
  static final String SECRET = "whsec-every-channel-0123";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(FIRST_RUN.minus(Duration.ofHours(1)));
  final List<Delivery> webhook = new CopyOnWriteArrayList<>();
  final List<Delivery> slack = new CopyOnWriteArrayList<>();
  Vertx vertx;
  HttpServer receiver;
  TestGateway gw;

  record Delivery(String body, String signature) {}

  /** One receiver, two paths: {@code /hook} plays the signed webhook, {@code /slack} a Slack incoming webhook. */
  @BeforeEach
  void receivers() {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      Delivery d = new Delivery(b.toString(StandardCharsets.UTF_8), req.getHeader("x-tollgate-signature"));
      (req.path().equals("/slack") ? slack : webhook).add(d);
      req.response().end();
    }));
    receiver.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
    if (vertx != null) vertx.close().await();
  }

  @Test
  void aJobFiringEveryFifteenMinutesAllNightIsCaughtAtItsEighthRunToldOnceOnEachChannelSuspendedAndReleased() throws Exception {
    Night night = playNight(8, RUNS);

    // Detected at the 8th run (105 minutes after the first), which itself was still served.
    assertThat(night.caughtAtRun).isEqualTo(8);
    JsonNode runaway = night.alert;
    assertThat(Instant.parse(runaway.get("first_at").asText())).isEqualTo(FIRST_RUN.plus(Duration.ofMinutes(105)));
    assertThat(runaway.get("message").asText()).contains("every 15 min").contains("last 8 calls");
    assertThat(runaway.get("action").asText()).isEqualTo("suspend key:crm-sync");
    assertThat(night.others).as("none of the night's ordinary traffic taken for a runaway").isEmpty();
    String id = runaway.get("id").asText();

    // The job kept firing the rest of the night: each later run refused in OpenAI's shape.
    assertThat(night.statuses.subList(0, 8)).containsOnly(200);
    assertThat(night.statuses.subList(8, RUNS)).as("runs 9–33").containsOnly(403);
    JsonNode refusal = JSON.readTree(night.lastRefusal.body());
    assertThat(refusal.fieldNames()).toIterable().as("OpenAI's error shape").containsExactly("error");
    JsonNode error = refusal.get("error");
    assertThat(error.get("code").asText()).isEqualTo("key_suspended");
    assertThat(error.get("type").asText()).isEqualTo("permission_error");
    assertThat(error.get("message").asText()).contains(id).contains("/admin/v1/alerts/" + id + "/ack");

    // One incident, one notice on each channel — even though the job fired 25 more times.
    // (Waits for the last delivery to land; a second one for the incident would fail the count below.)
    await().atMost(Duration.ofSeconds(10)).until(() -> about(webhook).size() == 1 && about(slack).size() == 1
        && mailAbout("key:crm-sync").size() == 1);
    Delivery hook = about(webhook).get(0);
    assertThat(hook.signature()).as("HMAC-SHA256 of the exact body, with the shared secret").isEqualTo(sign(hook.body()));
    JsonNode hookBody = JSON.readTree(hook.body());
    assertThat(hookBody.get("id").asText()).isEqualTo(id);
    assertThat(hookBody.get("kind").asText()).isEqualTo("runaway_automation");
    assertThat(hookBody.get("subject").asText()).isEqualTo("key:crm-sync");
    assertThat(hookBody.get("action").asText()).isEqualTo("suspend key:crm-sync");

    Delivery toSlack = about(slack).get(0);
    JsonNode slackBody = JSON.readTree(toSlack.body());
    assertThat(slackBody.get("text").asText()).startsWith(":rotating_light: *runaway automation* (critical)")
        .contains("key:crm-sync").contains("every 15 min");
    assertThat(toSlack.signature()).as("Slack webhooks are not signed").isNull();

    MimeMessage mail = mailAbout("key:crm-sync").get(0);
    assertThat(mail.getSubject()).isEqualTo("[Tollgate critical] runaway automation: key:crm-sync");
    assertThat(GreenMailUtil.getBody(mail)).contains(id).contains("/admin/v1/alerts/" + id + "/ack");

    // A refused run is not a run of the job: the suspended key's 25 refusals do not count up the incident.
    assertThat(alert("runaway_automation", "key:crm-sync").get("count").asLong()).isEqualTo(1);

    // The suspension is the gateway's own act, in the audit log.
    List<JsonNode> audit = audit("alert_restriction:key:crm-sync");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("actor").asText()).isEqualTo("system:alerts");
    assertThat(audit.get(0).get("method").asText()).isEqualTo("SUSPEND");
    assertThat(audit.get(0).at("/after/alert_id").asText()).isEqualTo(id);

    // Acknowledging lifts it: the next run is served.
    assertThat(gw.post("/admin/v1/alerts/" + id + "/ack", TestGateway.ADMIN_TOKEN, "").statusCode()).isEqualTo(200);
    clock.advance(PERIOD);
    assertThat(chat(SYNC, "sync after ack").statusCode()).isEqualTo(200);
    assertThat(audit("alert_restriction:key:crm-sync")).extracting(r -> r.get("actor").asText())
        .containsExactly("system:alerts", "admin-token");
    assertThat(about(webhook)).as("still one webhook notice at the end of the night").hasSize(1);
    assertThat(about(slack)).as("still one Slack notice").hasSize(1);
    assertThat(mailAbout("key:crm-sync")).as("still one email").hasSize(1);

    System.out.printf("min_runs 8: caught at run %d, %d min after the first; other runaway alerts that night: %s%n",
        night.caughtAtRun, Duration.between(FIRST_RUN, Instant.parse(runaway.get("first_at").asText())).toMinutes(), night.others);
  }

  @Test
  void withMinRunsThreeTheSameJobIsCaughtAtItsThirdRunHalfAnHourAfterItsFirst() throws Exception {
    Night night = playNight(3, RUNS);

    assertThat(night.caughtAtRun).isEqualTo(3);
    assertThat(Instant.parse(night.alert.get("first_at").asText())).isEqualTo(FIRST_RUN.plus(Duration.ofMinutes(30)));
    assertThat(night.alert.get("message").asText()).contains("every 15 min").contains("last 3 calls");
    assertThat(night.others).as("the price of the shorter wait: three regular calls also match ordinary jobs").isNotEmpty();
    assertThat(night.statuses.subList(0, 3)).containsOnly(200);
    assertThat(night.statuses.subList(3, RUNS)).containsOnly(403);
    await().atMost(Duration.ofSeconds(10)).until(() -> about(webhook).size() == 1 && about(slack).size() == 1
        && mailAbout("key:crm-sync").size() == 1);

    System.out.printf("min_runs 3: caught at run %d, %d min after the first; other runaway alerts that night: %s%n",
        night.caughtAtRun, Duration.between(FIRST_RUN, Instant.parse(night.alert.get("first_at").asText())).toMinutes(), night.others);
  }

  /** What a night played through the gateway came to. */
  record Night(int caughtAtRun, JsonNode alert, List<Integer> statuses, HttpResponse<String> lastRefusal, List<String> others) {}

  /**
   * Starts the gateway with all three channels and {@code min_runs}, then plays the night from 21:00:
   * the synthetic month's rows of those hours (each sent by its own key, with its agent and workflow)
   * and the planted job's runs, in time order, the clock following. After each run of the job it waits
   * until the detectors have seen it, so "caught at run n" is exact.
   */
  Night playNight(int minRuns, int runs) throws Exception {
    Instant end = FIRST_RUN.plus(PERIOD.multipliedBy(runs - 1));
    List<UsageRecord> traffic = new ArrayList<>();
    for (UsageRecord r : new SyntheticLedger(60_000, MONDAY, 30, ZONE, 11)) {
      if (!r.startedAt().isBefore(clock.instant()) && !r.startedAt().isAfter(end)) traffic.add(r);
    }
    assertThat(traffic).as("a night of ordinary traffic around the job").hasSizeGreaterThan(50);
    start(minRuns, traffic);

    List<Object[]> events = new ArrayList<>();
    for (UsageRecord r : traffic) events.add(new Object[] {r.startedAt(), r});
    for (int i = 0; i < runs; i++) events.add(new Object[] {FIRST_RUN.plus(PERIOD.multipliedBy(i)), i + 1});
    events.sort(Comparator.comparing(e -> (Instant) e[0]));

    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> lastRefusal = null;
    int caughtAt = 0;
    JsonNode caught = null;
    for (Object[] e : events) {
      Instant at = (Instant) e[0];
      if (at.isAfter(clock.instant())) clock.advance(Duration.between(clock.instant(), at));
      if (e[1] instanceof UsageRecord r) {
        gw.post("/v1/chat/completions", secret(r.keyName()), body("synthetic " + r.id()), "x-tollgate-workflow", r.attribution().workflow());
        continue;
      }
      int run = (Integer) e[1];
      HttpResponse<String> answer = chat(SYNC, "sync run " + run);
      statuses.add(answer.statusCode());
      if (answer.statusCode() == 403) lastRefusal = answer;
      // The detectors read ledger rows on their own thread: wait until this run has been counted.
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> detectorIdle());
      } catch (org.awaitility.core.ConditionTimeoutException x) {
        throw new AssertionError("run " + run + " status " + answer.statusCode() + ": " + gw.get("/metrics", null).body().lines()
            .filter(l -> l.contains("alert")).toList(), x);
      }
      if (caught == null) {
        caught = alert("runaway_automation", "key:crm-sync");
        if (caught != null) caughtAt = run;
      }
    }
    List<String> others = new ArrayList<>();
    for (JsonNode a : alerts("runaway_automation")) {
      if (!a.get("subject").asText().equals("key:crm-sync")) others.add(a.get("subject").asText());
    }
    System.out.printf("the night: %d synthetic requests from %d keys, %d runs of the job%n", traffic.size(),
        traffic.stream().map(UsageRecord::keyName).distinct().count(), runs);
    return new Night(caughtAt, caught, statuses, lastRefusal, others);
  }

  void start(int minRuns, List<UsageRecord> traffic) {
    Map<String, UsageRecord> keys = new LinkedHashMap<>();
    for (UsageRecord r : traffic) keys.putIfAbsent(r.keyName(), r);
    StringBuilder syntheticKeys = new StringBuilder();
    for (UsageRecord r : keys.values()) {
      syntheticKeys.append("  - { name: ").append(r.keyName()).append(", secret: ").append(secret(r.keyName()))
          .append(", team: ").append(r.attribution().team()).append(", agent: ").append(r.attribution().agent()).append(" }\n");
    }
    StringBuilder teams = new StringBuilder();
    for (String t : SyntheticLedger.TEAMS) teams.append("  ").append(t).append(": {}\n");
    String yaml = """
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        org: { time_zone: Europe/Berlin }
        providers:
          sim: { type: simulator, output_tokens: 5 }
        models:
          gpt-4o-mini: { provider: sim }
        teams:
        ${TEAMS}keys:
          - { name: crm-sync, secret: tg-every-channel-crm-sync-01, team: data, agent: sync-agent }
        ${KEYS}alerts:
          channels:
            - { type: webhook, url: "${HOOK}/hook", secret: "${SECRET}" }
            - { type: slack, url: "${HOOK}/slack" }
            - type: email
              smtp: { host: 127.0.0.1, port: "${SMTP_PORT}", tls: none }
              from: tollgate@example.com
              to: [ oncall@example.com ]
          runaway: { min_runs: ${MIN_RUNS}, min_period: 5m, tolerance: 0.1, action: suspend }
          spend_spike: { enabled: false }
        """.replace("${TEAMS}", teams).replace("${KEYS}", syntheticKeys);
    gw = TestGateway.start(TestGateway.parse(yaml, Map.of("DIR", dir.toString(), "HOOK",
        "http://127.0.0.1:" + receiver.actualPort(), "SECRET", SECRET, "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
        "MIN_RUNS", Integer.toString(minRuns)), dir), clock);
  }

  static String secret(String key) {
    return "tg-syn-" + key + "-0000000000000000";
  }

  static String body(String prompt) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  HttpResponse<String> chat(String key, String prompt) {
    return gw.post("/v1/chat/completions", key, body(prompt), "x-tollgate-workflow", "crm-sync");
  }

  boolean detectorIdle() {
    String metrics = gw.get("/metrics", null).body();
    return java.util.regex.Pattern.compile("(?m)^tollgate_alert_detector_queue(\\{[^}]*\\})? 0\\.0$").matcher(metrics).find();
  }

  JsonNode alerts(String kind) throws Exception {
    return JSON.readTree(gw.get("/admin/v1/alerts?kind=" + kind + "&limit=1000", TestGateway.ADMIN_TOKEN).body()).get("data");
  }

  JsonNode alert(String kind, String subject) throws Exception {
    for (JsonNode a : alerts(kind)) if (a.get("subject").asText().equals(subject)) return a;
    return null;
  }

  List<JsonNode> audit(String resource) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(gw.get("/admin/v1/audit?resource=" + resource, TestGateway.ADMIN_TOKEN).body()).get("data").forEach(out::add);
    return out;
  }

  static List<Delivery> about(List<Delivery> deliveries) {
    return deliveries.stream().filter(d -> d.body().contains("key:crm-sync")).toList();
  }

  static List<MimeMessage> mailAbout(String subjectPart) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject().contains(subjectPart);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
