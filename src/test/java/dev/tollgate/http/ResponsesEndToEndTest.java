package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.FakeResponses;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/responses} through the real server against a fake OpenAI upstream speaking the Responses API. */
class ResponsesEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-test-responder-secret-1";
  static final String PRICE = "price: { input_per_mtok: 1.25, cached_input_per_mtok: 0.125, output_per_mtok: 10, reasoning_per_mtok: 20 }";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        org: { name: acme, time_zone: UTC }
        providers:
          fake:   { type: openai-compatible, base_url: "${UPSTREAM}" }
          claude: { type: anthropic, api_key: sk-ant-test, base_url: "http://127.0.0.1:9" }
          gemini: { type: gemini, api_key: g-test, base_url: "http://127.0.0.1:9" }
        models:
          reasoner:      { provider: fake, upstream: gpt-5-mini, %1$s }
          cut-reasoner:  { provider: fake, upstream: cut, %1$s }
          busy-reasoner: { provider: fake, upstream: rate-limited, %1$s }
          claude-haiku:  { provider: claude, upstream: claude-3-haiku-20240307 }
          flash:         { provider: gemini, upstream: gemini-2.0-flash }
        workload_classes:
          blocking: { pii: block }
        teams:
          agents: {}
        keys:
          - { name: responder, secret: tg-test-responder-secret-1, team: agents, workflow: research-agent }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String request(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"instructions\":\"Answer in one line.\","
        + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is a toll?\"}]}],"
        + "\"reasoning\":{\"effort\":\"medium\"},\"metadata\":{\"project\":\"tolls\",\"ticket\":\"T-9\"}}";
  }

  /**
   * The fixture's usage at the test price: 20 uncached input × $1.25 + 16 cached × $0.125 + 23 plain
   * output × $10 + 64 reasoning × $20 = $0.001537 per call.
   */
  static final Money FIXTURE_COST = Money.ofUsd("0.001537");

  @Test
  void aWholeResponseIsRelayedWithItsModelRoutedAndItsCachedAndReasoningTokensPricedApart() throws Exception {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, request("reasoner", false));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("object").asText()).isEqualTo("response");
    assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo(String.join("", FakeResponses.WORDS));
    JsonNode sent = upstream.bodies().get(upstream.bodies().size() - 1);
    assertThat(sent.path("model").asText()).as("renamed to the provider's id").isEqualTo("gpt-5-mini");
    assertThat(sent.path("input")).isEqualTo(JSON.readTree(request("reasoner", false)).path("input"));
    assertThat(sent.path("reasoning")).isEqualTo(JSON.readTree("{\"effort\":\"medium\"}"));
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.001537");

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.servedModel()).isEqualTo("gpt-5-mini");
    assertThat(row.attribution().workflow()).isEqualTo("research-agent");
    assertThat(row.attribution().project()).as("metadata names a dimension").isEqualTo("tolls");
    assertThat(row.attribution().tags()).containsEntry("ticket", "T-9");
    assertThat(row.usage().inputTokens()).isEqualTo(FakeResponses.INPUT_TOKENS);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeResponses.CACHED_TOKENS);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeResponses.OUTPUT_TOKENS);
    assertThat(row.usage().reasoningTokens()).isEqualTo(FakeResponses.REASONING_TOKENS);
    assertThat(row.cost()).isEqualTo(FIXTURE_COST);
    assertThat(row.usageEstimated()).isFalse();
  }

  @Test
  void aStreamIsRelayedEventByEventAndMeteredFromResponseCompleted() throws Exception {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, request("reasoner", true));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(eventTypes(r.body())).containsExactly("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
    JsonNode sent = upstream.bodies().get(upstream.bodies().size() - 1);
    assertThat(sent.has("stream_options")).as("chat's include_usage is not a Responses API parameter").isFalse();

    UsageRecord row = gw.row(r);
    assertThat(row.stream()).isTrue();
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.usage().reasoningTokens()).isEqualTo(FakeResponses.REASONING_TOKENS);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeResponses.CACHED_TOKENS);
    assertThat(row.cost()).isEqualTo(FIXTURE_COST);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.ttftMs()).isNotNull();
  }

  @Test
  void aStreamCutMidwayEndsWithAnErrorEventAndIsBilledByEstimate() throws Exception {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, request("cut-reasoner", true));

    List<String> types = eventTypes(r.body());
    assertThat(types).startsWith("response.created").contains("response.output_text.delta").endsWith("error");
    JsonNode error = lastData(r.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_stream_broken");

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usageEstimated()).isTrue();
    assertThat(row.usage().inputTokens()).as("instructions and input counted").isGreaterThan(5);
    assertThat(row.usage().outputTokens()).as("'Tolls are' as streamed").isBetween(2L, 4L);
    assertThat(row.cost().nanos()).isPositive();
  }

  @Test
  void aModelOfAnotherVendorIsRefusedSayingTheResponsesApiIsOpenAiOnly() throws Exception {
    for (String model : List.of("claude-haiku", "flash")) {
      HttpResponse<String> r = gw.post("/v1/responses", KEY, request(model, false));

      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_request");
      assertThat(error.path("message").asText()).contains("Responses API", "only by OpenAI-family providers", model)
          .contains("reasoner");
      UsageRecord row = gw.row(r);
      assertThat(row.status()).isEqualTo(RequestStatus.BLOCKED);
      assertThat(row.servedModel()).isNull();
    }
  }

  @Test
  void malformedJsonAndUnknownModelsAreRefusedInOpenAisShape() throws Exception {
    HttpResponse<String> bad = gw.post("/v1/responses", KEY, "{\"model\":\"reasoner\",\"input\":");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).at("/error/message").asText()).contains("not valid JSON");

    HttpResponse<String> noInput = gw.post("/v1/responses", KEY, "{\"model\":\"reasoner\"}");
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noInput.body()).at("/error/message").asText()).contains("'input' is required");

    HttpResponse<String> wrongMax = gw.post("/v1/responses", KEY, "{\"model\":\"reasoner\",\"input\":\"hi\",\"max_output_tokens\":\"lots\"}");
    assertThat(wrongMax.statusCode()).isEqualTo(400);

    HttpResponse<String> unknown = gw.post("/v1/responses", KEY, "{\"model\":\"reasonr\",\"input\":\"hi\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(unknown.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("message").asText()).contains("reasoner");
  }

  @Test
  void anUpstreamErrorBeforeTheStreamStartsIsRelayedAsAnError() throws Exception {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, request("busy-reasoner", true));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("Rate limit reached");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.ERROR);
  }

  @Test
  void theGuardScansInstructionsAndInputItems() throws Exception {
    int calls = upstream.bodies().size();
    String body = "{\"model\":\"reasoner\",\"instructions\":\"Reply to jane.doe@example.com\","
        + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"My card is 4111 1111 1111 1111\"}]}]}";
    HttpResponse<String> r = gw.post("/v1/responses", KEY, body, "X-Tollgate-Workload-Class", "blocking");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("policy_violation");
    assertThat(gw.row(r).guardFindings()).containsKeys("email", "payment_card");
    assertThat(upstream.bodies()).hasSize(calls);
  }

  @Test
  void aContinuationByPreviousResponseIdNeedsNoInput() {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, "{\"model\":\"reasoner\",\"previous_response_id\":\"resp_fake\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = upstream.bodies().get(upstream.bodies().size() - 1);
    assertThat(sent.path("previous_response_id").asText()).isEqualTo("resp_fake");
  }

  static List<String> eventTypes(String sse) {
    List<String> types = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("event: ")) types.add(line.substring(7).trim());
    return types;
  }

  static JsonNode lastData(String sse) throws Exception {
    String last = null;
    for (String line : sse.split("\n")) if (line.startsWith("data: ")) last = line.substring(6);
    return JSON.readTree(last);
  }
}
