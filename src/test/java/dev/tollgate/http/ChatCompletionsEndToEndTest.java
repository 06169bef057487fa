package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible data plane through the real HTTP server, against a fake OpenAI upstream. */
class ChatCompletionsEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-test-triage-secret-01";
  static final String NARROW_KEY = "tg-test-narrow-secret-01";
  static final String PRICE = "price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10 }";

  static final String CONFIG = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme, time_zone: UTC }
      server: { max_body_bytes: 65536 }
      providers:
        fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
      models:
        ok-model:      { provider: fake, upstream: ok, tier: economy, %1$s }
        cut-model:     { provider: fake, upstream: cut, %1$s }
        limited-model: { provider: fake, upstream: rate-limited, %1$s }
        broken-model:  { provider: fake, upstream: broken, %1$s }
        slow-model:    { provider: fake, upstream: slow, %1$s }
        quiet-model:   { provider: fake, upstream: no-usage, %1$s }
      teams:
        support: { cost_center: CC-1 }
        research: { cost_center: CC-2 }
      keys:
        - { name: triage, secret: tg-test-triage-secret-01, team: support, project: helpdesk,
            workflow: ticket-triage, agent: triage-bot, channel: api, tags: { env: test } }
        - { name: narrow, secret: tg-test-narrow-secret-01, team: research, models: [ ok-model ] }
      """.formatted(PRICE);

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start(CONFIG, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You triage tickets.\"},{\"role\":\"user\",\"content\":\"Printer on fire, please help\"}]}";
  }

  /** The list cost of the fake upstream's usage at the test price, computed by hand. */
  static final Money FAKE_CALL_COST = Money.ofUsd("0.000075"); // (8×2.50 + 4×1.25 + 5×10) / 1e6

  @Test
  void nonStreamingAnswerIsRelayedPricedAndRecordedFieldByField() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-model", false, ""),
        "X-Tollgate-Workflow", "escalation", "X-Tollgate-Team", "finance", "X-Tollgate-Tags", "ticket=4711");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello there, friend.");
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.000075");
    assertThat(r.headers().firstValue("x-tollgate-request-id")).isPresent();

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.keyName()).isEqualTo("triage");
    assertThat(row.attribution().org()).isEqualTo("acme");
    assertThat(row.attribution().team()).as("a header cannot move the cost to another team").isEqualTo("support");
    assertThat(row.attribution().project()).isEqualTo("helpdesk");
    assertThat(row.attribution().workflow()).as("headers override the key's defaults").isEqualTo("escalation");
    assertThat(row.attribution().agent()).isEqualTo("triage-bot");
    assertThat(row.attribution().channel()).isEqualTo("api");
    assertThat(row.attribution().tags()).containsEntry("env", "test").containsEntry("ticket", "4711");
    assertThat(row.provider()).isEqualTo("openai-compatible");
    assertThat(row.requestedModel()).isEqualTo("ok-model");
    assertThat(row.servedModel()).isEqualTo("ok");
    assertThat(row.tier()).isEqualTo("economy");
    assertThat(row.usage().inputTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(row.cost()).isEqualTo(FAKE_CALL_COST);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.stream()).isFalse();
    assertThat(row.httpStatus()).isEqualTo(200);
    assertThat(row.errorCode()).isNull();
    assertThat(row.endedAt()).isAfterOrEqualTo(row.startedAt());
    assertThat(row.ttftMs()).isNotNull();
  }

  @Test
  void fieldsTheGatewayDoesNotNeedPassThroughUnchanged() throws Exception {
    String extra = ",\"temperature\":0.7,\"seed\":42,\"n\":1,\"logprobs\":true,\"top_logprobs\":2,"
        + "\"response_format\":{\"type\":\"json_object\"},\"tool_choice\":\"auto\","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}}}]";
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-model", false, extra));
    assertThat(r.statusCode()).isEqualTo(200);

    JsonNode sent = JSON.readTree(chat("ok-model", false, extra));
    JsonNode received = upstream.bodies().stream().filter(b -> b.has("top_logprobs")).reduce((a, b) -> b).orElseThrow();
    for (String field : List.of("temperature", "seed", "n", "logprobs", "top_logprobs", "response_format", "tool_choice", "tools", "messages")) {
      assertThat(received.get(field)).as(field).isEqualTo(sent.get(field));
    }
    assertThat(received.get("model").asText()).as("the model is renamed to the provider's id").isEqualTo("ok");
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).as("served as asked").isEmpty();
  }

  @Test
  void streamIsRelayedEventByEventAndTheAddedUsageChunkIsDroppedAgain() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-model", true, ""));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> events = dataLines(r.body());
    assertThat(events).last().isEqualTo("[DONE]");
    assertThat(String.join("", contents(events))).isEqualTo("Hello there, friend.");
    assertThat(events).noneMatch(e -> e.contains("\"usage\":{"));
    JsonNode sent = upstream.bodies().get(upstream.bodies().size() - 1);
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).as("the gateway asks for usage").isTrue();

    UsageRecord row = gw.row(r);
    assertThat(row.stream()).isTrue();
    assertThat(row.usage().inputTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(FAKE_CALL_COST);
    assertThat(row.ttftMs()).isNotNull();
  }

  @Test
  void streamKeepsTheUsageChunkWhenTheClientAskedForIt() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY,
        chat("ok-model", true, ",\"stream_options\":{\"include_usage\":true}"));
    List<String> events = dataLines(r.body());
    JsonNode usageChunk = JSON.readTree(events.get(events.size() - 2));
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
  }

  @Test
  void streamArrivesBeforeItEnds() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chat("slow-model", true, ""))).build();
    HttpResponse<InputStream> r = gw.http().send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      long start = System.nanoTime();
      String first = null;
      for (int seen = 0; seen < 3; ) {
        String line = reader.readLine();
        if (line != null && line.startsWith("data: ")) {
          if (first == null) first = line;
          seen++;
        }
      }
      // 50 chunks at 200 ms each take 10 s; three events arriving means nothing waited for the whole stream.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(first).contains("chat.completion.chunk");
    }
    // Closing the body above disconnects the client: the row says so, with what was streamed so far.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gw.ledger())
        .anyMatch(row -> "slow-model".equals(row.requestedModel()) && "client_disconnected".equals(row.errorCode())));
    UsageRecord row = gw.ledger().stream().filter(x -> "slow-model".equals(x.requestedModel())).findFirst().orElseThrow();
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.usageEstimated()).isTrue();
    assertThat(row.usage().inputTokens()).as("the prompt is billed in full").isPositive();
    assertThat(row.usage().outputTokens()).as("output counted from what was streamed").isPositive();
    assertThat(row.cost().nanos()).isPositive();
  }

  @Test
  void streamCutMidwayBillsThePromptAndTheStreamedOutputAsEstimated() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("cut-model", true, ""));

    assertThat(r.statusCode()).as("the head was already sent").isEqualTo(200);
    List<String> events = dataLines(r.body());
    assertThat(String.join("", contents(events))).isEqualTo("Hello there,");
    assertThat(events.get(events.size() - 1)).contains("\"code\":\"upstream_stream_broken\"");

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usageEstimated()).isTrue();
    assertThat(row.usage().outputTokens()).as("'Hello there,' is three tokens").isEqualTo(3);
    assertThat(row.usage().inputTokens()).isGreaterThan(10);
    assertThat(row.cost().nanos()).isPositive();
  }

  @Test
  void streamWithoutUsageIsCountedByTheGatewayAndMarkedEstimated() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("quiet-model", true, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.usageEstimated()).isTrue();
    assertThat(row.usage().outputTokens()).isEqualTo(5); // "Hello there, friend." in cl100k
  }

  @Test
  void upstreamErrorIsRelayedWithItsStatusAndAGatewayCode() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("limited-model", false, ""));
    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("code").asText()).isEqualTo("upstream_error");
    assertThat(err.get("upstream_code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(err.get("message").asText()).contains("fake").contains("429").contains("Rate limit reached");
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.errorCode()).isEqualTo("upstream_error");
    assertThat(row.httpStatus()).isEqualTo(429);
    assertThat(row.cost()).isEqualTo(Money.ZERO);

    HttpResponse<String> broken = gw.post("/v1/chat/completions", KEY, chat("broken-model", false, ""));
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(broken.body()).at("/error/code").asText()).isEqualTo("upstream_error");
  }

  @Test
  void unknownModelIsA404NamingTheClosestConfiguredNames() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-modle", false, ""));
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("code").asText()).isEqualTo("model_not_found");
    assertThat(err.get("message").asText()).contains("ok-model");
    assertThat(err.get("closest_models").get(0).asText()).isEqualTo("ok-model");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.BLOCKED);
  }

  @Test
  void aKeyLimitedToSomeModelsGets403ForOthersAndSeesOnlyItsModels() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", NARROW_KEY, chat("cut-model", false, ""));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("model_not_allowed");

    JsonNode models = JSON.readTree(gw.get("/v1/models", NARROW_KEY).body());
    assertThat(models.get("data")).extracting(n -> n.get("id").asText()).containsExactly("ok-model");
    JsonNode all = JSON.readTree(gw.get("/v1/models", KEY).body());
    assertThat(all.get("data")).hasSize(6);
  }

  @Test
  void malformedJsonIsA400InOpenAiShapeAndRecordedAsBlocked() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, "{\"model\": \"ok-model\", \"messages\": [");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(err.get("code").asText()).isEqualTo("invalid_request");
    assertThat(err.get("message").asText()).contains("not valid JSON");
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.BLOCKED);
    assertThat(row.keyName()).isEqualTo("triage");
  }

  @Test
  void oversizedBodyIsA413() throws Exception {
    String big = chat("ok-model", false, ",\"padding\":\"" + "x".repeat(70_000) + "\"");
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("request_too_large");
    assertThat(gw.row(r).errorCode()).isEqualTo("request_too_large");
  }

  @Test
  void wrongOrMissingKeyIsA401ThatNeverEchoesTheSecret() throws Exception {
    HttpResponse<String> wrong = gw.post("/v1/chat/completions", "tg-not-a-real-key-123", chat("ok-model", false, ""));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("tg-not-a-real-key-123").contains("invalid_api_key");
    HttpResponse<String> none = gw.post("/v1/chat/completions", null, chat("ok-model", false, ""));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(gw.row(none).status()).isEqualTo(RequestStatus.BLOCKED);

    HttpResponse<String> viaXApiKey = gw.post("/v1/chat/completions", null, chat("ok-model", false, ""), "x-api-key", KEY);
    assertThat(viaXApiKey.statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentRequestsAreAllRecorded() throws Exception {
    int before = gw.ledger().size();
    int n = 200;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean stream = i % 2 == 0;
        results.add(pool.submit(() -> gw.post("/v1/chat/completions", KEY, chat("ok-model", stream, ""),
            "X-Tollgate-Conversation", "load").statusCode()));
      }
      for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(200);
    } finally {
      pool.shutdown();
    }
    List<UsageRecord> rows = gw.ledger();
    assertThat(rows).hasSize(before + n);
    List<UsageRecord> load = rows.stream().filter(r -> "load".equals(r.attribution().conversation())).toList();
    assertThat(load).hasSize(n).allMatch(r -> r.cost().equals(FAKE_CALL_COST));
  }

  static List<String> dataLines(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("data: ")) out.add(line.substring(6));
    return out;
  }

  static List<String> contents(List<String> events) throws Exception {
    List<String> out = new ArrayList<>();
    for (String e : events) {
      if (e.equals("[DONE]")) continue;
      JsonNode n = JSON.readTree(e);
      JsonNode c = n.at("/choices/0/delta/content");
      if (c.isTextual()) out.add(c.asText());
    }
    return out;
  }
}
