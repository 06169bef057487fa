package dev.tollgate.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/messages} through the real server: Anthropic clients served by an Anthropic model
 * (their own request sent, the answer relayed byte for byte) and by an OpenAI-protocol model
 * (translated both ways), with errors in Anthropic's shape and every request in the ledger.
 */
class AnthropicMessagesEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-anthropic-inbound-key-01";
  static final String CLAUDE_PRICE = "price: { input_per_mtok: 3, cached_input_per_mtok: 0.30, cache_write_per_mtok: 3.75, output_per_mtok: 15 }";
  static final String GPT_PRICE = "price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10 }";

  @TempDir static Path dir;
  static FakeAnthropic anthropic;
  static FakeOpenAi openai;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    anthropic = new FakeAnthropic();
    openai = new FakeOpenAi();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        org: { name: acme, time_zone: UTC }
        providers:
          claude: { type: anthropic, api_key: sk-ant-inbound, base_url: "${ANTHROPIC}" }
          oai:    { type: openai-compatible, base_url: "${OPENAI}" }
        models:
          claude-sonnet-4-5: { provider: claude, upstream: claude-sonnet-4-5-20250929, %1$s }
          claude-thinking:   { provider: claude, %1$s }
          claude-busy:       { provider: claude, upstream: overloaded, %1$s }
          claude-flaky:      { provider: claude, upstream: stream-error, %1$s }
          gpt-4o:            { provider: oai, upstream: ok, %2$s }
          gpt-limited:       { provider: oai, upstream: rate-limited, %2$s }
        keys:
          - { name: coder, secret: tg-anthropic-inbound-key-01, team: platform, agent: claude-code }
        """.formatted(CLAUDE_PRICE, GPT_PRICE),
        Map.of("DIR", dir.toString(), "ANTHROPIC", anthropic.baseUrl(), "OPENAI", openai.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (anthropic != null) anthropic.close();
    if (openai != null) openai.close();
  }

  static HttpResponse<String> messages(String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("x-api-key", KEY).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return gw.send(b.build());
  }

  static String simple(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
        + ",\"system\":\"You are terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  // ---- served by an Anthropic model: the client's own request, the upstream's own answer ----

  @Test
  void anAnthropicModelGetsTheClientsOwnRequestWithCacheControlAndBetaHeaders() throws Exception {
    String body = """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"top_k":5,
         "system":[{"type":"text","text":"Long shared context","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":"Summarise"}]}
        """;
    HttpResponse<String> r = messages(body, "anthropic-beta", "prompt-caching-2024-07-31");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = anthropic.lastBody();
    JsonNode expected = JSON.readTree(body);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model", "claude-sonnet-4-5-20250929");
    assertThat(sent).as("everything as the client wrote it, only the model renamed").isEqualTo(expected);
    assertThat(anthropic.lastHeaders()).containsEntry("anthropic-beta", "prompt-caching-2024-07-31")
        .containsEntry("anthropic-version", "2023-06-01").containsEntry("x-api-key", "sk-ant-inbound");
    assertThat(anthropic.lastHeaders().get("x-api-key")).as("the virtual key never goes upstream").isNotEqualTo(KEY);
    assertThat(JSON.readTree(r.body())).as("the upstream's message, unchanged")
        .isEqualTo(JSON.readTree(FakeAnthropic.textMessage("claude-sonnet-4-5-20250929")));
    assertThat(r.headers().firstValue("x-tollgate-request-id")).isPresent();
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.0003825");

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.provider()).isEqualTo("anthropic");
    assertThat(row.attribution().agent()).isEqualTo("claude-code");
    assertThat(row.usage().inputTokens()).isEqualTo(150);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeAnthropic.CACHE_READ);
    assertThat(row.usage().cacheWriteTokens()).isEqualTo(FakeAnthropic.CACHE_WRITE);
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void anAnthropicStreamIsRelayedByteForByteIncludingPings() throws Exception {
    HttpResponse<String> r = messages(simple("claude-sonnet-4-5", true));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(r.body()).isEqualTo(FakeAnthropic.textStream("claude-sonnet-4-5-20250929"));
    assertThat(eventNames(r.body())).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
        "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");

    UsageRecord row = gw.row(r);
    assertThat(row.stream()).isTrue();
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void signedThinkingReachesTheAnthropicClientIntact() throws Exception {
    HttpResponse<String> r = messages("{\"model\":\"claude-thinking\",\"max_tokens\":2048,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}]}");
    JsonNode content = JSON.readTree(r.body()).get("content");
    assertThat(content.get(0).get("type").asText()).isEqualTo("thinking");
    assertThat(content.get(0).get("signature").asText()).isEqualTo(FakeAnthropic.SIGNATURE);
    assertThat(anthropic.lastBody().get("thinking").get("budget_tokens").asInt()).isEqualTo(1024);
    assertThat(gw.row(r).usage().reasoningTokens()).as("50 output, 1 of them the visible '4'").isEqualTo(49);
  }

  @Test
  void anAnthropicUpstreamErrorKeepsItsStatusAndType() throws Exception {
    HttpResponse<String> r = messages(simple("claude-busy", false));
    assertThat(r.statusCode()).isEqualTo(529);
    JsonNode root = JSON.readTree(r.body());
    assertThat(root.get("type").asText()).isEqualTo("error");
    assertThat(root.at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(root.at("/error/message").asText()).contains("Overloaded");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.ERROR);
  }

  @Test
  void aStreamThatBreaksEndsWithAnAnthropicErrorEvent() throws Exception {
    HttpResponse<String> r = messages(simple("claude-flaky", true));
    List<String> names = eventNames(r.body());
    assertThat(names).startsWith("message_start").endsWith("error").doesNotContain("message_stop");
    String last = r.body().substring(r.body().lastIndexOf("data: ") + 6).trim();
    JsonNode err = JSON.readTree(last);
    assertThat(err.get("type").asText()).isEqualTo("error");
    assertThat(err.at("/error/message").asText()).contains("overloaded_error");
    assertThat(gw.row(r).errorCode()).isEqualTo("upstream_stream_broken");
  }

  // ---- served by an OpenAI-protocol model: translated both ways ----

  @Test
  void anOpenAiModelAnswersAnAnthropicClientWithAMessage() throws Exception {
    HttpResponse<String> r = messages(simple("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode msg = JSON.readTree(r.body());
    assertThat(msg.get("type").asText()).isEqualTo("message");
    assertThat(msg.get("role").asText()).isEqualTo("assistant");
    assertThat(msg.get("id").asText()).startsWith("msg_");
    assertThat(msg.at("/content/0")).isEqualTo(JSON.readTree("{\"type\":\"text\",\"text\":\"Hello there, friend.\"}"));
    assertThat(msg.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(msg.get("stop_sequence").isNull()).isTrue();
    assertThat(msg.get("usage")).isEqualTo(JSON.readTree(
        "{\"input_tokens\":8,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,\"output_tokens\":5}"));
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.000075");

    JsonNode sent = openai.bodies().get(openai.bodies().size() - 1);
    assertThat(sent.get("model").asText()).isEqualTo("ok");
    assertThat(sent.at("/messages/0")).isEqualTo(JSON.readTree("{\"role\":\"system\",\"content\":\"You are terse.\"}"));
    assertThat(sent.at("/messages/1")).isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"Say hello\"}"));
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(256);
    assertThat(sent.has("tollgate_untranslatable")).isFalse();

    UsageRecord row = gw.row(r);
    assertThat(row.provider()).isEqualTo("openai-compatible");
    assertThat(row.usage().inputTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.000075"));
  }

  @Test
  void anOpenAiStreamBecomesAnthropicsEventSequence() throws Exception {
    HttpResponse<String> r = messages(simple("gpt-4o", true));

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> names = eventNames(r.body());
    assertThat(names.subList(0, 4)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta");
    assertThat(names.subList(names.size() - 3, names.size())).containsExactly("content_block_stop", "message_delta", "message_stop");
    List<JsonNode> data = eventData(r.body());
    StringBuilder text = new StringBuilder();
    for (JsonNode d : data) if ("text_delta".equals(d.at("/delta/type").asText())) text.append(d.at("/delta/text").asText());
    assertThat(text.toString()).isEqualTo("Hello there, friend.");
    JsonNode delta = data.get(names.indexOf("message_delta"));
    assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.at("/usage/output_tokens").asLong()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(delta.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
    assertThat(r.body()).doesNotContain("chat.completion").doesNotContain("[DONE]");

    UsageRecord row = gw.row(r);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.000075"));
  }

  @Test
  void toolUseAndToolResultsReachAnOpenAiModelAsToolCallsAndToolMessages() throws Exception {
    String body = """
        {"model":"gpt-4o","max_tokens":300,"tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "tools":[{"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Weather in Paris?"},
                                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
           {"role":"assistant","content":[{"type":"text","text":"Checking."},
                                          {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18 degrees"},
                                     {"type":"text","text":"Thanks"}]}]}
        """;
    HttpResponse<String> r = messages(body);
    assertThat(r.statusCode()).isEqualTo(200);

    JsonNode sent = openai.bodies().get(openai.bodies().size() - 1);
    assertThat(sent.at("/tools/0")).isEqualTo(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"Weather now\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}"));
    assertThat(sent.get("tool_choice").asText()).isEqualTo("required");
    assertThat(sent.get("parallel_tool_calls").asBoolean()).isFalse();
    JsonNode msgs = sent.get("messages");
    assertThat(msgs.get(0).at("/content/1")).isEqualTo(JSON.readTree(
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}"));
    assertThat(msgs.get(1).get("content").asText()).isEqualTo("Checking.");
    assertThat(msgs.get(1).at("/tool_calls/0")).isEqualTo(JSON.readTree(
        "{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}"));
    assertThat(msgs.get(2)).isEqualTo(JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"18 degrees\"}"));
    assertThat(msgs.get(3)).isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"Thanks\"}"));
  }

  @Test
  void whatAnOpenAiModelCannotDoIsRefusedWith400InAnthropicShape() throws Exception {
    int calls = openai.bodies().size();
    HttpResponse<String> r = messages("{\"model\":\"gpt-4o\",\"max_tokens\":100,\"top_k\":40,"
        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode root = JSON.readTree(r.body());
    assertThat(root.get("type").asText()).isEqualTo("error");
    assertThat(root.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(root.at("/error/message").asText()).contains("faithfully").contains("top_k").contains("web_search_20250305");
    assertThat(openai.bodies()).as("nothing went upstream").hasSize(calls);
    assertThat(gw.row(r).cost()).isEqualTo(Money.ZERO);
  }

  // ---- the gateway's own answers, in Anthropic's shape ----

  @Test
  void gatewayRefusalsUseAnthropicErrorTypesAndTheGatewayStatus() throws Exception {
    HttpResponse<String> noKey = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(simple("gpt-4o", false))).build());
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(noKey.body()).at("/error/type").asText()).isEqualTo("authentication_error");
    assertThat(noKey.headers().firstValue("x-tollgate-error-code")).hasValue("invalid_api_key");
    assertThat(gw.row(noKey).status()).isEqualTo(RequestStatus.BLOCKED);

    HttpResponse<String> unknown = messages(simple("claude-sonet-4-5", false));
    assertThat(unknown.statusCode()).isEqualTo(404);
    JsonNode err = JSON.readTree(unknown.body());
    assertThat(err.get("type").asText()).isEqualTo("error");
    assertThat(err.at("/error/type").asText()).isEqualTo("not_found_error");
    assertThat(err.at("/error/message").asText()).contains("claude-sonnet-4-5");
    assertThat(err.get("request_id").asText()).isEqualTo(unknown.headers().firstValue("x-tollgate-request-id").orElseThrow());

    HttpResponse<String> limited = messages(simple("gpt-limited", false));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(limited.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");

    HttpResponse<String> broken = messages("{\"model\":\"gpt-4o\",");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(broken.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void aBearerTokenWorksAsWellAsXApiKey() {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json").header("authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(simple("gpt-4o", false))).build());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  static List<String> eventNames(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("event: ")) out.add(line.substring(7));
    return out;
  }

  static List<JsonNode> eventData(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("data: ")) out.add(JSON.readTree(line.substring(6)));
    return out;
  }
}
