package dev.tollgate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeAnthropic;
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

/** OpenAI chat-completions clients served by Anthropic models, through the real server and a fake Anthropic API. */
class AnthropicAdapterEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-anthropic-adapter-key-01";
  /** USD per million tokens: input 3, cache read 0.30, cache write 3.75, output 15 (Claude Sonnet's list prices). */
  static final String PRICE = "price: { input_per_mtok: 3, cached_input_per_mtok: 0.30, cache_write_per_mtok: 3.75, output_per_mtok: 15 }";

  @TempDir static Path dir;
  static FakeAnthropic upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeAnthropic();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        org: { name: acme, time_zone: UTC }
        providers:
          claude: { type: anthropic, api_key: sk-ant-test-secret, base_url: "${UPSTREAM}" }
        models:
          sonnet:     { provider: claude, upstream: claude-sonnet-test, %1$s }
          tools:      { provider: claude, upstream: claude-tools, %1$s }
          thinker:    { provider: claude, upstream: claude-thinking, %1$s }
          busy:       { provider: claude, upstream: overloaded, %1$s }
          picky:      { provider: claude, upstream: bad-request, %1$s }
          flaky:      { provider: claude, upstream: stream-error, %1$s }
          cut:        { provider: claude, upstream: cut, %1$s }
          opus:       { provider: claude, upstream: claude-opus-4-1, %1$s }
        keys:
          - { name: app, secret: tg-anthropic-adapter-key-01, team: support }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /** (20×3 + 100×0.30 + 30×3.75 + 12×15) / 1e6 USD. */
  static final Money TEXT_COST = Money.ofUsd("0.0003825");

  @Test
  void nonStreamingAnswerIsTranslatedAndBilledWithCacheReadsAndWritesAtTheirOwnRates() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sonnet", false, ",\"max_tokens\":300"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(FakeAnthropic.TEXT);
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/usage/prompt_tokens").asLong()).as("input + cache reads + cache writes").isEqualTo(150);
    assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(FakeAnthropic.CACHE_READ);
    assertThat(body.at("/usage/prompt_tokens_details/cache_write_tokens").asLong()).isEqualTo(FakeAnthropic.CACHE_WRITE);
    assertThat(body.at("/usage/completion_tokens").asLong()).isEqualTo(FakeAnthropic.OUTPUT);
    assertThat(body.has(AnthropicAnswers.NATIVE)).as("an OpenAI client never sees the native answer").isFalse();
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.0003825");

    JsonNode sent = upstream.lastBody();
    assertThat(upstream.paths()).last().isEqualTo("/v1/messages");
    assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-test");
    assertThat(sent.get("system").asText()).isEqualTo("You are terse.");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(sent.get("messages")).hasSize(1);
    assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Say hello");
    assertThat(upstream.lastHeaders()).containsEntry("x-api-key", "sk-ant-test-secret").containsEntry("anthropic-version", "2023-06-01")
        .doesNotContainKey("authorization");

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.provider()).isEqualTo("anthropic");
    assertThat(row.servedModel()).isEqualTo("claude-sonnet-test");
    assertThat(row.usage().inputTokens()).isEqualTo(150);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeAnthropic.CACHE_READ);
    assertThat(row.usage().cacheWriteTokens()).isEqualTo(FakeAnthropic.CACHE_WRITE);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeAnthropic.OUTPUT);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void streamIsTranslatedEventByEventWithTheUsageFromMessageStartAndMessageDelta() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sonnet", true, ",\"stream_options\":{\"include_usage\":true}"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<JsonNode> chunks = chunks(r.body());
    assertThat(r.body().trim()).endsWith("data: [DONE]");
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(text(chunks)).isEqualTo(FakeAnthropic.TEXT);
    assertThat(chunks).allMatch(c -> c.get("object").asText().equals("chat.completion.chunk"));
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = chunks.get(chunks.size() - 1);
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.at("/usage/prompt_tokens").asLong()).isEqualTo(150);
    assertThat(usage.at("/usage/completion_tokens").asLong()).isEqualTo(FakeAnthropic.OUTPUT);
    assertThat(upstream.lastBody().get("stream").asBoolean()).isTrue();

    UsageRecord row = gw.row(r);
    assertThat(row.stream()).isTrue();
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.usage().cacheWriteTokens()).isEqualTo(FakeAnthropic.CACHE_WRITE);
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void toolsToolChoiceToolCallsAndToolResultsTranslateBothWays() throws Exception {
    String conversation = """
        {"model":"tools","max_completion_tokens":500,"parallel_tool_calls":false,"tool_choice":"required",
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
         "messages":[
           {"role":"user","content":"Weather in Paris?"},
           {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
              "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
           {"role":"tool","tool_call_id":"call_1","content":"18 degrees"},
           {"role":"user","content":"And tomorrow?"}]}
        """;
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, conversation);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = upstream.lastBody();
    assertThat(sent.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(sent.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
    assertThat(sent.get("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    assertThat(sent.get("messages")).hasSize(3);
    assertThat(sent.at("/messages/1/content/0")).isEqualTo(JSON.readTree(
        "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}"));
    assertThat(sent.at("/messages/2/role").asText()).isEqualTo("user");
    assertThat(sent.at("/messages/2/content/0")).as("the tool result opens the next user turn").isEqualTo(JSON.readTree(
        "{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"18 degrees\"}"));
    assertThat(sent.at("/messages/2/content/1/text").asText()).isEqualTo("And tomorrow?");

    JsonNode message = JSON.readTree(r.body()).at("/choices/0/message");
    assertThat(message.get("content").asText()).isEqualTo("Let me check the weather.");
    assertThat(message.at("/tool_calls/0/id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(message.at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(JSON.readTree(message.at("/tool_calls/0/function/arguments").asText()))
        .isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    assertThat(JSON.readTree(r.body()).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void streamedToolCallArrivesAsOpenAiToolCallDeltas() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("tools", true,
        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]"));

    List<JsonNode> chunks = chunks(r.body());
    StringBuilder args = new StringBuilder();
    String id = null;
    String name = null;
    for (JsonNode c : chunks) {
      JsonNode call = c.at("/choices/0/delta/tool_calls/0");
      if (call.isMissingNode()) continue;
      assertThat(call.get("index").asInt()).isZero();
      if (call.has("id")) id = call.get("id").asText();
      if (call.at("/function/name").isTextual()) name = call.at("/function/name").asText();
      args.append(call.at("/function/arguments").asText());
    }
    assertThat(id).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(name).isEqualTo("get_weather");
    assertThat(JSON.readTree(args.toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    assertThat(text(chunks)).isEqualTo("Let me check the weather.");
    assertThat(chunks.stream().map(c -> c.at("/choices/0/finish_reason").asText(null)).filter(f -> f != null))
        .containsExactly("tool_calls");
    assertThat(gw.row(r).usage().outputTokens()).isEqualTo(FakeAnthropic.TOOL_OUTPUT);
  }

  @Test
  void thinkingBecomesReasoningContentAndReasoningTokensAreRecorded() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("thinker", false, ",\"reasoning_effort\":\"medium\",\"max_tokens\":3000"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.lastBody().get("thinking")).isEqualTo(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    JsonNode message = JSON.readTree(r.body()).at("/choices/0/message");
    assertThat(message.get("content").asText()).isEqualTo("4");
    assertThat(message.get("reasoning_content").asText()).isEqualTo("Two plus two is four.");
    assertThat(message.at("/thinking_blocks/0/signature").asText()).isEqualTo(FakeAnthropic.SIGNATURE);
    // 50 output tokens, of which the visible answer "4" is one: 49 went to thinking.
    assertThat(JSON.readTree(r.body()).at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(49);
    UsageRecord row = gw.row(r);
    assertThat(row.usage().reasoningTokens()).isEqualTo(49);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeAnthropic.THINKING_OUTPUT);
    assertThat(row.cost()).as("(20×3 + 50×15) / 1e6").isEqualTo(Money.ofUsd("0.00081"));

    HttpResponse<String> streamed = gw.post("/v1/chat/completions", KEY, chat("thinker", true, ""));
    List<JsonNode> chunks = chunks(streamed.body());
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode c : chunks) reasoning.append(c.at("/choices/0/delta/reasoning_content").asText(""));
    assertThat(reasoning.toString()).isEqualTo("Two plus two is four.");
    assertThat(streamed.body()).contains(FakeAnthropic.SIGNATURE);
    assertThat(gw.row(streamed).usage().reasoningTokens()).isEqualTo(49);
  }

  @Test
  void imagesStopSequencesSamplingAndUserAreCarriedOver() throws Exception {
    String body = """
        {"model":"sonnet","temperature":0.2,"top_p":0.9,"stop":["END"],"user":"u-42",
         "messages":[{"role":"user","content":[
           {"type":"text","text":"What is in these?"},
           {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
           {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}
        """;
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, body);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sent = upstream.lastBody();
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(sent.get("stop_sequences")).isEqualTo(JSON.readTree("[\"END\"]"));
    assertThat(sent.at("/metadata/user_id").asText()).isEqualTo("u-42");
    assertThat(sent.at("/messages/0/content/1")).isEqualTo(JSON.readTree(
        "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}"));
    assertThat(sent.at("/messages/0/content/2")).isEqualTo(JSON.readTree(
        "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}"));
  }

  @Test
  void aRequestWithoutALimitGetsTheModelsOutputLimitFromTheCatalog() throws Exception {
    gw.post("/v1/chat/completions", KEY, chat("opus", false, ""));
    assertThat(upstream.lastBody().get("max_tokens").asInt()).as("claude-opus-4-1's limit in the catalog").isEqualTo(32000);
    gw.post("/v1/chat/completions", KEY, chat("sonnet", false, ""));
    assertThat(upstream.lastBody().get("max_tokens").asInt()).as("unknown model: 4096").isEqualTo(4096);
  }

  @Test
  void whatAnthropicCannotDoIsRefusedWith400NamingItAndNeverSent() throws Exception {
    int calls = upstream.bodies().size();
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sonnet", false, ",\"logprobs\":true"));

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("message").asText()).contains("cannot be sent to Anthropic faithfully").contains("logprobs");
    assertThat(err.get("upstream_code").asText()).isEqualTo("untranslatable");
    assertThat(upstream.bodies()).as("nothing went upstream").hasSize(calls);
    UsageRecord row = gw.row(r);
    assertThat(row.httpStatus()).isEqualTo(400);
    assertThat(row.cost()).isEqualTo(Money.ZERO);
  }

  @Test
  void anthropicErrorsAreRelayedWithTheirStatusAndType() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("busy", false, ""));
    assertThat(r.statusCode()).isEqualTo(529);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("code").asText()).isEqualTo("upstream_error");
    assertThat(err.get("upstream_type").asText()).isEqualTo("overloaded_error");
    assertThat(err.get("message").asText()).contains("claude").contains("Overloaded");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.ERROR);

    HttpResponse<String> bad = gw.post("/v1/chat/completions", KEY, chat("picky", false, ""));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).at("/error/message").asText()).contains("text content blocks must be non-empty");
  }

  @Test
  void anErrorEventInsideTheStreamEndsItAsBrokenAndIsRecorded() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("flaky", true, ""));

    assertThat(r.statusCode()).as("the head had gone").isEqualTo(200);
    List<String> data = dataLines(r.body());
    assertThat(data.get(data.size() - 1)).contains("upstream_stream_broken").contains("overloaded_error");
    assertThat(data).doesNotContain("[DONE]");
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usage().outputTokens()).as("'Hello' was streamed").isEqualTo(1);
  }

  @Test
  void aCutStreamIsBilledAsEstimated() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("cut", true, ""));
    assertThat(text(chunks(r.body()))).isEqualTo("Hello from");
    UsageRecord row = gw.row(r);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usageEstimated()).isTrue();
    assertThat(row.usage().outputTokens()).isEqualTo(2);
  }

  static List<String> dataLines(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) if (line.startsWith("data: ")) out.add(line.substring(6));
    return out;
  }

  static List<JsonNode> chunks(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String d : dataLines(sse)) if (!d.equals("[DONE]")) out.add(JSON.readTree(d));
    return out;
  }

  static String text(List<JsonNode> chunks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : chunks) {
      JsonNode t = c.at("/choices/0/delta/content");
      if (t.isTextual()) sb.append(t.asText());
    }
    return sb.toString();
  }
}
