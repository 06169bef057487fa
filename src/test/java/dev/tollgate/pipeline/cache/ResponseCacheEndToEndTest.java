package dev.tollgate.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The response cache through the real server: isolation, replay, TTL, bound, refresh, off, budgets and the ledger. */
class ResponseCacheEndToEndTest {

  static final String SUPPORT_1 = "tg-test-support-one-0001";
  static final String SUPPORT_2 = "tg-test-support-two-0002";
  static final String RESEARCH = "tg-test-research-one-01";
  static final String CAPPED = "tg-test-capped-one-0001";
  static final String PRICE = "price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10 }";
  /** The fake upstream's usage (12 in, 4 of them cached, 5 out) at the test price. */
  static final Money CALL_COST = Money.ofUsd("0.000075");

  static final String CONFIG = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme, time_zone: UTC }
      providers:
        fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
      models:
        ok-model:   { provider: fake, upstream: ok, tier: economy, %1$s }
        echo-model: { provider: fake, upstream: echo, tier: economy, %1$s }
        cut-model:  { provider: fake, upstream: cut, %1$s }
        broken-model: { provider: fake, upstream: broken, %1$s }
      workload_classes:
        cached:  { cache: { ttl_s: 60 } }
        shared:  { cache: { ttl_s: 60, share: team } }
        orgwide: { cache: { ttl_s: 60, share: org } }
        optin:   { cache: { ttl_s: 60, default: off } }
        tiny:    { cache: { ttl_s: 60, max_bytes: 4096 } }
        plain:   { pii: allow }
      teams:
        support: {}
        research: {}
        capped: { budgets: [ { window: day, requests: 1 } ] }
      keys:
        - { name: s1, secret: tg-test-support-one-0001, team: support, workflow: triage }
        - { name: s2, secret: tg-test-support-two-0002, team: support }
        - { name: r1, secret: tg-test-research-one-01, team: research }
        - { name: c1, secret: tg-test-capped-one-0001, team: capped }
      """.formatted(PRICE);

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start(TestGateway.parse(CONFIG, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir), clock);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chat(String model, boolean stream, String prompt) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"temperature\":0.7,"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"You triage tickets.\"},{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  static String unique() {
    return "Printer on fire " + UUID.randomUUID();
  }

  static HttpResponse<byte[]> call(String key, String cls, String body, String... headers) {
    return callAt("/v1/chat/completions", key, cls, body, headers);
  }

  static HttpResponse<byte[]> callAt(String path, String key, String cls, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("authorization", "Bearer " + key)
        .header("x-tollgate-workload-class", cls).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    try {
      return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  static String cacheHeader(HttpResponse<?> r) {
    return r.headers().firstValue("x-tollgate-cache").orElse(null);
  }

  static int upstreamCalls() {
    return upstream.bodies().size();
  }

  @Test
  void aRepeatedPromptIsAnsweredFromTheCacheWithTheSameBytesAndNoUpstreamCall() {
    String body = chat("ok-model", false, unique());
    HttpResponse<byte[]> first = call(SUPPORT_1, "cached", body);
    int calls = upstreamCalls();
    HttpResponse<byte[]> second = call(SUPPORT_1, "cached", body.replace("\"temperature\":0.7", "\"temperature\":0.70"));

    assertThat(cacheHeader(first)).isEqualTo("miss");
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(upstreamCalls()).as("a hit calls no provider").isEqualTo(calls);
    assertThat(second.headers().firstValue("x-tollgate-cost-usd")).hasValue("0");
    assertThat(second.headers().firstValue("x-tollgate-cost-saved-usd")).hasValue(CALL_COST.toUsdString());
  }

  @Test
  void aHitIsRecordedAsOkWithZeroCostTheServedModelAndTheCostSaved() {
    String body = chat("ok-model", false, unique());
    HttpResponse<byte[]> miss = call(SUPPORT_1, "cached", body, "X-Tollgate-Template", "ticket-triage");
    HttpResponse<byte[]> hit = call(SUPPORT_1, "cached", body, "X-Tollgate-Template", "ticket-triage");

    UsageRecord missRow = gw.row(miss);
    UsageRecord hitRow = gw.row(hit);
    assertThat(missRow.cacheHit()).isFalse();
    assertThat(missRow.cost()).isEqualTo(CALL_COST);
    assertThat(missRow.efficiency().costSaved()).isEqualTo(Money.ZERO);
    assertThat(hitRow.cacheHit()).isTrue();
    assertThat(hitRow.status()).isEqualTo(RequestStatus.OK);
    assertThat(hitRow.cost()).isEqualTo(Money.ZERO);
    assertThat(hitRow.usage().inputTokens()).as("no tokens went upstream").isZero();
    assertThat(hitRow.servedModel()).isEqualTo("ok");
    assertThat(hitRow.efficiency().costSaved()).isEqualTo(CALL_COST);
    assertThat(hitRow.efficiency().template()).isEqualTo("ticket-triage");
    assertThat(hitRow.efficiency().promptHash()).isEqualTo(missRow.efficiency().promptHash()).isNotBlank();
  }

  @Test
  void aHitChargesNoBudget() {
    String body = chat("ok-model", false, unique());
    HttpResponse<byte[]> first = call(CAPPED, "cached", body);
    HttpResponse<byte[]> hit = call(CAPPED, "cached", body);
    HttpResponse<byte[]> other = call(CAPPED, "cached", chat("ok-model", false, unique()));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(hit.statusCode()).as("the day's one request is used up, but a hit reserves nothing").isEqualTo(200);
    assertThat(cacheHeader(hit)).isEqualTo("hit");
    assertThat(other.statusCode()).as("a miss is admitted as usual, and refused").isEqualTo(429);
  }

  @Test
  void twoTeamsNeverShareAnAnswerEvenWhenTheClassSharesWithinATeam() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "shared", body);
    HttpResponse<byte[]> otherTeam = call(RESEARCH, "shared", body);
    assertThat(cacheHeader(otherTeam)).isEqualTo("miss");
  }

  @Test
  void twoKeysOfOneTeamDoNotShareByDefault() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "cached", body);
    assertThat(cacheHeader(call(SUPPORT_2, "cached", body))).isEqualTo("miss");
    assertThat(cacheHeader(call(SUPPORT_1, "cached", body))).isEqualTo("hit");
  }

  @Test
  void twoKeysOfOneTeamShareWhenTheClassSaysShareTeam() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "shared", body);
    assertThat(cacheHeader(call(SUPPORT_2, "shared", body))).isEqualTo("hit");
  }

  @Test
  void twoTeamsShareOnlyWhenTheClassSaysShareOrg() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "orgwide", body);
    assertThat(cacheHeader(call(RESEARCH, "orgwide", body))).isEqualTo("hit");
  }

  @Test
  void aStreamIsReplayedByteForByteAsAStream() {
    String body = chat("ok-model", true, unique());
    HttpResponse<byte[]> first = call(SUPPORT_1, "cached", body);
    int calls = upstreamCalls();
    HttpResponse<byte[]> replay = call(SUPPORT_1, "cached", body);

    assertThat(cacheHeader(replay)).isEqualTo("hit");
    assertThat(replay.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(new String(replay.body())).contains("data: [DONE]");
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(upstreamCalls()).isEqualTo(calls);
    assertThat(gw.row(replay).stream()).isTrue();
  }

  @Test
  void anAnthropicStreamIsReplayedByteForByte() {
    String body = "{\"model\":\"ok-model\",\"max_tokens\":200,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
        + unique() + "\"}]}";
    HttpResponse<byte[]> first = callAt("/v1/messages", SUPPORT_1, "cached", body);
    HttpResponse<byte[]> replay = callAt("/v1/messages", SUPPORT_1, "cached", body);

    assertThat(new String(first.body())).contains("event: message_stop");
    assertThat(cacheHeader(replay)).isEqualTo("hit");
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(gw.row(replay).efficiency().maxTokens()).isEqualTo(200L);
  }

  @Test
  void aWholeAnswerIsNotServedToAStreamingRequestNorTheOtherWayRound() {
    String prompt = unique();
    call(SUPPORT_1, "cached", chat("ok-model", false, prompt));
    assertThat(cacheHeader(call(SUPPORT_1, "cached", chat("ok-model", true, prompt)))).isEqualTo("miss");
    assertThat(cacheHeader(call(SUPPORT_1, "cached", chat("ok-model", true, prompt)))).isEqualTo("hit");
  }

  @Test
  void anAnswerExpiresAfterItsTtl() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "cached", body);
    clock.advance(Duration.ofSeconds(59));
    assertThat(cacheHeader(call(SUPPORT_1, "cached", body))).isEqualTo("hit");
    clock.advance(Duration.ofSeconds(2));
    assertThat(cacheHeader(call(SUPPORT_1, "cached", body))).isEqualTo("miss");
  }

  @Test
  void refreshSkipsTheLookupAndStoresTheNewAnswer() {
    String prompt = unique();
    String body = "{\"model\":\"echo-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    call(SUPPORT_1, "cached", body);
    int calls = upstreamCalls();
    HttpResponse<byte[]> refreshed = call(SUPPORT_1, "cached", body, "X-Tollgate-Cache", "refresh");
    assertThat(cacheHeader(refreshed)).isEqualTo("miss");
    assertThat(upstreamCalls()).isEqualTo(calls + 1);
    assertThat(gw.row(refreshed).cacheHit()).isFalse();
    HttpResponse<byte[]> after = call(SUPPORT_1, "cached", body);
    assertThat(cacheHeader(after)).isEqualTo("hit");
    assertThat(after.body()).isEqualTo(refreshed.body());
  }

  @Test
  void offBypassesTheCacheAndAClassWithDefaultOffCachesOnlyOnRequest() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "cached", body);
    HttpResponse<byte[]> off = call(SUPPORT_1, "cached", body, "X-Tollgate-Cache", "off");
    assertThat(cacheHeader(off)).isNull();
    assertThat(gw.row(off).cacheHit()).isFalse();

    String optin = chat("ok-model", false, unique());
    call(SUPPORT_1, "optin", optin);
    assertThat(cacheHeader(call(SUPPORT_1, "optin", optin))).as("not stored: the class caches only on request").isNull();
    call(SUPPORT_1, "optin", optin, "X-Tollgate-Cache", "on");
    assertThat(cacheHeader(call(SUPPORT_1, "optin", optin, "X-Tollgate-Cache", "on"))).isEqualTo("hit");
  }

  @Test
  void aClassWithoutCacheNeverCachesEvenWhenAskedTo() {
    String body = chat("ok-model", false, unique());
    call(SUPPORT_1, "plain", body, "X-Tollgate-Cache", "on");
    HttpResponse<byte[]> again = call(SUPPORT_1, "plain", body, "X-Tollgate-Cache", "on");
    assertThat(cacheHeader(again)).isNull();
    assertThat(gw.row(again).cacheHit()).isFalse();
  }

  @Test
  void errorsAndCutStreamsAreNotStored() {
    String broken = chat("broken-model", false, unique());
    assertThat(call(SUPPORT_1, "cached", broken).statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(cacheHeader(call(SUPPORT_1, "cached", broken))).isNotEqualTo("hit");

    String cut = chat("cut-model", true, unique());
    call(SUPPORT_1, "cached", cut);
    HttpResponse<byte[]> again = call(SUPPORT_1, "cached", cut);
    assertThat(cacheHeader(again)).isEqualTo("miss");
    assertThat(gw.row(again).cacheHit()).isFalse();
  }

  @Test
  void aMalformedCacheHeaderIsRefusedNamingTheAllowedValues() {
    HttpResponse<byte[]> r = call(SUPPORT_1, "cached", chat("ok-model", false, unique()), "X-Tollgate-Cache", "sometimes");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body())).contains("on, off or refresh");
  }

  @Test
  void theByteBoundEvictsAndIsCountedInTheMetrics() {
    for (int i = 0; i < 20; i++) {
      call(SUPPORT_1, "tiny", "{\"model\":\"echo-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + unique() + "\"}]}");
    }
    String metrics = gw.get("/metrics", null).body();
    assertThat(metric(metrics, "tollgate_cache_evictions_total")).isGreaterThan(0);
    assertThat(metric(metrics, "tollgate_cache_bytes")).isGreaterThan(0);
    assertThat(metric(metrics, "tollgate_cache_hits_total")).isGreaterThan(0);
    assertThat(metric(metrics, "tollgate_cache_misses_total")).isGreaterThan(0);
  }

  static double metric(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as(name + " in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
