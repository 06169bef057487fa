package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.FakeOpenAi.Reply;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several keys per provider, retries with backoff and Retry-After, circuit breakers and timeouts,
 * through the real server against a fake upstream that fails on command. Retries wait on a timer
 * that runs them at once and records the wait; breakers and key cool-downs run on a clock moved by hand.
 */
class UpstreamResilienceTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-resilience-app-key-0001";
  static final String METERED = "tg-resilience-metered-0001";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  static final List<Long> waits = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    String price = "price: { input_per_mtok: 1, output_per_mtok: 2 }";
    var config = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          keyed:
            type: openai
            base_url: "${UPSTREAM}"
            api_keys: [ { key: k-primary-secret, weight: 3, name: primary }, { key: k-spare-secret } ]
          rotating:
            type: openai
            base_url: "${UPSTREAM}"
            api_keys: [ k-revoked-secret, k-valid-secret ]
            credential_cooldown: 5m
          patient:
            type: openai-compatible
            base_url: "${UPSTREAM}"
            retries: { max: 2, backoff: 100ms, max_backoff: 1s, max_retry_after: 30s }
          fragile:
            type: openai-compatible
            base_url: "${UPSTREAM}"
            circuit_breaker: { failures: 2, open_for: 30s }
          brittle:
            type: openai-compatible
            base_url: "${UPSTREAM}"
            circuit_breaker: { failures: 1, open_for: 1m }
          impatient:
            type: openai-compatible
            base_url: "${UPSTREAM}"
            timeouts: { first_byte: 200ms, idle: 150ms, total: 20s }
          plain: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          weighted:    { provider: keyed, upstream: weighted-ok, %1$s }
          rotated:     { provider: rotating, upstream: rotated-ok, %1$s }
          retry-after: { provider: patient, upstream: s-retry-after, %1$s }
          dated:       { provider: patient, upstream: s-dated, %1$s }
          long-wait:   { provider: patient, upstream: s-long-wait, %1$s }
          backoff:     { provider: patient, upstream: s-backoff, %1$s }
          exhausted:   { provider: patient, upstream: s-exhausted, %1$s }
          cut-stream:  { provider: patient, upstream: cut, %1$s }
          counted:     { provider: patient, upstream: s-counted, %1$s }
          fragile:     { provider: fragile, upstream: s-fragile, %1$s }
          brittle:     { provider: brittle, upstream: s-brittle, %1$s }
          hanging:     { provider: impatient, upstream: hang, %1$s }
          trickle:     { provider: impatient, upstream: slow, %1$s }
          backup:      { provider: plain, upstream: backup-ok, %1$s }
        workload_classes:
          resilient: { fallback: [ backup ] }
          alone: {}
        classification: { default: resilient }
        teams:
          ops: {}
          metered:
            budgets:
              - { window: day, requests: 2 }
        keys:
          - { name: app, secret: tg-resilience-app-key-0001, team: ops }
          - { name: metered, secret: tg-resilience-metered-0001, team: metered }
        """.formatted(price), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
    gw = TestGateway.start(config, clock, (millis, loop, task) -> {
      waits.add(millis);
      loop.execute(task);
    });
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  @BeforeEach
  void clearWaits() {
    waits.clear();
  }

  static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  static HttpResponse<String> ask(String model) {
    return gw.post("/v1/chat/completions", KEY, chat(model, false));
  }

  static long keyUses(String secret) {
    return upstream.headers().stream().filter(h -> ("Bearer " + secret).equals(h.get("authorization"))).count();
  }

  static long rowsFor(HttpResponse<String> r) {
    String id = r.headers().firstValue("x-tollgate-request-id").orElseThrow();
    return gw.ledger().stream().filter(row -> row.id().equals(id)).count();
  }

  // ---- several keys per provider

  @Test
  void keysAreUsedInTurnByWeightAndMetricsNameThemWithoutTheSecret() {
    for (int i = 0; i < 8; i++) assertThat(ask("weighted").statusCode()).isEqualTo(200);
    assertThat(keyUses("k-primary-secret")).isEqualTo(6);
    assertThat(keyUses("k-spare-secret")).isEqualTo(2);
    String metrics = gw.get("/metrics", null).body();
    assertThat(metrics).contains("tollgate_credential_requests_total{credential=\"primary\",provider=\"keyed\"} 6.0")
        .contains("tollgate_credential_requests_total{credential=\"key-2\",provider=\"keyed\"} 2.0")
        .doesNotContain("k-primary-secret").doesNotContain("k-spare-secret");
  }

  @Test
  void aRevokedKeyIsSkippedForItsCooldownWhileTheOtherServesEveryRequest() {
    upstream.refuseKey("k-revoked-secret", Reply.status(401));
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = ask("rotated");
      assertThat(r.statusCode()).as("the caller never sees the refused key").isEqualTo(200);
      assertThat(rowsFor(r)).isEqualTo(1);
    }
    assertThat(keyUses("k-revoked-secret")).as("tried once, then cooling down").isEqualTo(1);
    assertThat(keyUses("k-valid-secret")).isEqualTo(4);
    assertThat(gw.get("/metrics", null).body())
        .contains("tollgate_credential_cooldowns_total{credential=\"key-1\",provider=\"rotating\",status=\"401\"} 1.0");

    upstream.acceptKey("k-revoked-secret");
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 2; i++) assertThat(ask("rotated").statusCode()).isEqualTo(200);
    assertThat(keyUses("k-revoked-secret")).as("back in turn after the cool-down").isEqualTo(2);
  }

  // ---- retries

  @Test
  void a429WithRetryAfterIsRetriedAfterThatWaitOnTheSameDeployment() {
    upstream.script("s-retry-after", new Reply(429, "2"));
    HttpResponse<String> r = ask("retry-after");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(waits).containsExactly(2000L);
    assertThat(upstream.requestsFor("s-retry-after")).isEqualTo(2);
    UsageRecord row = gw.row(r);
    assertThat(row.routeReason()).isEqualTo("requested");
    assertThat(row.attempts()).isEqualTo(2);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(rowsFor(r)).isEqualTo(1);
  }

  @Test
  void aRetryAfterGivenAsAnHttpDateIsHonouredToo() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(3).atZone(ZoneOffset.UTC));
    upstream.script("s-dated", new Reply(503, date));
    assertThat(ask("dated").statusCode()).isEqualTo(200);
    assertThat(waits).containsExactly(3000L);
  }

  @Test
  void aRetryAfterBeyondTheBoundMovesOnToTheFallbackInsteadOfWaiting() {
    upstream.script("s-long-wait", new Reply(429, "120"));
    HttpResponse<String> r = ask("long-wait");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("backup");
    assertThat(waits).isEmpty();
    assertThat(upstream.requestsFor("s-long-wait")).isEqualTo(1);
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:long-wait:429");
  }

  @Test
  void fiveHundredsAreRetriedWithGrowingJitteredBackoff() {
    upstream.script("s-backoff", Reply.status(500), Reply.status(503));
    HttpResponse<String> r = ask("backoff");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.requestsFor("s-backoff")).isEqualTo(3);
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0)).isBetween(50L, 100L);
    assertThat(waits.get(1)).isBetween(100L, 200L);
    assertThat(gw.row(r).routeReason()).isEqualTo("requested");
    assertThat(gw.get("/metrics", null).body())
        .contains("tollgate_upstream_retries_total{cause=\"500\",deployment=\"s-backoff\",provider=\"patient\"} 1.0")
        .contains("tollgate_upstream_retries_total{cause=\"503\",deployment=\"s-backoff\",provider=\"patient\"} 1.0");
  }

  @Test
  void whenRetriesAreUsedUpTheFallbackServes() {
    upstream.script("s-exhausted", Reply.status(500), Reply.status(500), Reply.status(500));
    HttpResponse<String> r = ask("exhausted");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.requestsFor("s-exhausted")).as("the first call and two retries").isEqualTo(3);
    assertThat(waits).hasSize(2);
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:exhausted:500");
    assertThat(gw.row(r).attempts()).as("three on the deployment, one on the fallback").isEqualTo(4);
  }

  @Test
  void aStreamThatAlreadySentBytesToTheClientIsNeverRetried() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("cut-stream", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Hello").contains("upstream_stream_broken");
    assertThat(upstream.requestsFor("cut")).isEqualTo(1);
    assertThat(waits).isEmpty();
    assertThat(gw.row(r).status().wire()).isEqualTo("error");
  }

  @Test
  void retriesShareOneReservationOneChargeAndOneLedgerRow() throws Exception {
    upstream.script("s-counted", Reply.status(500), Reply.status(502));
    HttpResponse<String> first = gw.post("/v1/chat/completions", METERED, chat("counted", false));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(waits).hasSize(2);
    assertThat(rowsFor(first)).isEqualTo(1);
    assertThat(gw.row(first).attempts()).isEqualTo(3);
    assertThat(gw.post("/v1/chat/completions", METERED, chat("counted", false)).statusCode())
        .as("the retried request counted once against the two a day").isEqualTo(200);
    HttpResponse<String> third = gw.post("/v1/chat/completions", METERED, chat("counted", false));
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(third.body()).at("/error/code").asText()).isEqualTo("budget_exceeded");
    assertThat(gw.ledger().stream().filter(row -> "metered".equals(row.attribution().team()))).hasSize(3);
  }

  // ---- circuit breaker

  @Test
  void aBreakerTakesAFailingDeploymentOutThenProbesItAfterTheOpenTime() throws Exception {
    upstream.script("s-fragile", Reply.status(500), Reply.status(500));
    assertThat(gw.row(ask("fragile")).routeReason()).isEqualTo("fallback:fragile:500");
    assertThat(gw.row(ask("fragile")).routeReason()).isEqualTo("fallback:fragile:500");

    HttpResponse<String> skipped = ask("fragile");
    assertThat(skipped.statusCode()).isEqualTo(200);
    assertThat(gw.row(skipped).routeReason()).isEqualTo("fallback:fragile:circuit_open");
    assertThat(upstream.requestsFor("s-fragile")).as("not called while open").isEqualTo(2);
    assertThat(gw.get("/metrics", null).body())
        .contains("tollgate_circuit_state{deployment=\"s-fragile\",provider=\"fragile\"} 1.0");
    JsonNode ready = JSON.readTree(gw.get("/readyz", null).body());
    assertThat(ready.at("/circuits_not_closed/fragile~1s-fragile").asText()).isEqualTo("open");

    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> probe = ask("fragile");
    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(gw.row(probe).routeReason()).as("the half-open probe succeeded on the deployment itself").isEqualTo("requested");
    assertThat(upstream.requestsFor("s-fragile")).isEqualTo(3);
    assertThat(gw.get("/metrics", null).body())
        .contains("tollgate_circuit_state{deployment=\"s-fragile\",provider=\"fragile\"} 0.0");
    assertThat(JSON.readTree(gw.get("/readyz", null).body()).get("circuits_not_closed").size()).isZero();
  }

  @Test
  void withEveryBreakerOpenAndNoFallbackTheRequestFailsAtOnceWithoutCallingAnyone() throws Exception {
    upstream.script("s-brittle", Reply.status(500));
    HttpResponse<String> failed = gw.post("/v1/chat/completions", KEY, chat("brittle", false), "X-Tollgate-Workload-Class", "alone");
    assertThat(failed.statusCode()).as("the provider's own 500, relayed").isEqualTo(500);

    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("brittle", false), "X-Tollgate-Workload-Class", "alone");
    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("upstream_unavailable");
    assertThat(error.get("message").asText()).contains("'brittle'").contains("circuit breaker open");
    assertThat(upstream.requestsFor("s-brittle")).isEqualTo(1);
    UsageRecord row = gw.row(r);
    assertThat(row.attempts()).isZero();
    assertThat(row.usage().inputTokens()).as("nothing was sent, nothing is billed").isZero();
  }

  // ---- timeouts

  @Test
  void aProviderFirstByteTimeoutGivesUpOnASilentUpstreamAndFallsBack() {
    long started = System.nanoTime();
    HttpResponse<String> r = ask("hanging");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:hanging:timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("first_byte, not the 20 s total").isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anIdleTimeoutEndsAStreamThatFallsSilent() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("trickle", true));
    assertThat(r.body()).contains("no data for 150 ms");
    assertThat(gw.row(r).status().wire()).isEqualTo("error");
  }
}
