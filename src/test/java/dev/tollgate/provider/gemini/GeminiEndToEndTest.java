package dev.tollgate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeGemini;
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

/** OpenAI chat-completions clients served by Gemini models, through the real server and a fake Gemini API. */
class GeminiEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-gemini-test-key-000001";
  /** USD per million tokens; thinking has a rate of its own so that it shows in the cost. */
  static final String PRICE = "price: { input_per_mtok: 0.30, cached_input_per_mtok: 0.075, output_per_mtok: 2.50, reasoning_per_mtok: 3.50 }";

  @TempDir static Path dir;
  static FakeGemini gemini;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gemini = new FakeGemini();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          google: { type: gemini, api_key: "${GEMINI_KEY}", base_url: "${UPSTREAM}" }
        models:
          flash:    { provider: google, upstream: gemini-2.5-flash, %1$s }
          tools:    { provider: google, upstream: gemini-tools, %1$s }
          thinker:  { provider: google, upstream: gemini-thinking, %1$s }
          bad:      { provider: google, upstream: gemini-bad, %1$s }
          quota:    { provider: google, upstream: gemini-quota, %1$s }
          cut:      { provider: google, upstream: gemini-cut, %1$s }
          embedder: { provider: google, upstream: gemini-embedding-001, price: { input_per_mtok: 0.15, output_per_mtok: 0 } }
        keys:
          - { name: app, secret: tg-gemini-test-key-000001 }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "UPSTREAM", gemini.baseUrl(), "GEMINI_KEY", FakeGemini.KEY), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (gemini != null) gemini.close();
  }

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /** (24×0.30 + 16×0.075 + 6×2.50 + 9×3.50) / 1e6 USD: 40 prompt of which 16 cached; 6 answer + 9 thinking. */
  static final Money TEXT_COST = Money.ofUsd("0.0000549");

  @Test
  void generateContentIsCalledWithTheTranslatedRequestAndUsageIsBilledWithCachedAndThinkingTokens() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("flash", false, ",\"max_tokens\":64,\"temperature\":0.4,\"stop\":\"END\""));

    assertThat(r.statusCode()).isEqualTo(200);
    FakeGemini.Received sent = gemini.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.apiKey()).isEqualTo(FakeGemini.KEY);
    assertThat(sent.body().get("systemInstruction")).isEqualTo(JSON.readTree("{\"parts\":[{\"text\":\"Be brief.\"}]}"));
    assertThat(sent.body().get("contents")).isEqualTo(JSON.readTree("[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]"));
    assertThat(sent.body().get("generationConfig")).isEqualTo(JSON.readTree(
        "{\"maxOutputTokens\":64,\"temperature\":0.4,\"stopSequences\":[\"END\"]}"));

    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello from Gemini.");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(FakeGemini.PROMPT);
    assertThat(body.at("/usage/completion_tokens").asLong()).as("candidates + thoughts").isEqualTo(15);
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.0000549");

    UsageRecord row = gw.row(r);
    assertThat(row.provider()).isEqualTo("gemini");
    assertThat(row.usage().inputTokens()).isEqualTo(FakeGemini.PROMPT);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeGemini.CACHED);
    assertThat(row.usage().outputTokens()).isEqualTo(15);
    assertThat(row.usage().reasoningTokens()).isEqualTo(FakeGemini.THOUGHTS);
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void streamGenerateContentBecomesOpenAiChunksEndingWithUsageAndDone() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("flash", true, ",\"stream_options\":{\"include_usage\":true}"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(gemini.last().query()).isEqualTo("alt=sse");
    List<JsonNode> chunks = chunks(r.body());
    assertThat(text(chunks)).isEqualTo("Hello from Gemini.");
    assertThat(r.body()).endsWith("data: [DONE]\n\n");
    JsonNode usage = chunks.get(chunks.size() - 1);
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(FakeGemini.THOUGHTS);
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");

    UsageRecord row = gw.row(r);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void functionCallsRoundTripWithTheirNamesAndThoughtSignatures() throws Exception {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather now\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}";
    HttpResponse<String> first = gw.post("/v1/chat/completions", KEY, chat("tools", false, tools));

    JsonNode sent = gemini.last().body();
    assertThat(sent.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("get_weather");
    assertThat(sent.at("/tools/0/functionDeclarations/0/parametersJsonSchema/properties/city/type").asText()).isEqualTo("string");
    assertThat(sent.get("toolConfig")).isEqualTo(JSON.readTree(
        "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}}"));
    JsonNode answer = JSON.readTree(first.body());
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode call = answer.at("/choices/0/message/tool_calls/0");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.at("/function/arguments").asText())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

    String followUp = "{\"model\":\"tools\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"{\\\"celsius\\\":18}\"}]}";
    HttpResponse<String> second = gw.post("/v1/chat/completions", KEY, followUp);
    assertThat(second.statusCode()).isEqualTo(200);
    JsonNode contents = gemini.last().body().get("contents");
    assertThat(contents.get(1)).isEqualTo(JSON.readTree("{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
        + "\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"" + FakeGemini.SIGNATURE + "\"}]}"));
    assertThat(contents.get(2)).isEqualTo(JSON.readTree("{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
        + "\"response\":{\"celsius\":18}}}]}"));
  }

  @Test
  void thoughtsBecomeReasoningContentAndTheirTokensAreRecorded() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("thinker", false, ",\"reasoning_effort\":\"low\""));

    assertThat(gemini.last().body().at("/generationConfig/thinkingConfig")).isEqualTo(JSON.readTree(
        "{\"thinkingBudget\":1024,\"includeThoughts\":true}"));
    JsonNode message = JSON.readTree(r.body()).at("/choices/0/message");
    assertThat(message.get("content").asText()).isEqualTo("4");
    assertThat(message.get("reasoning_content").asText()).isEqualTo("Two plus two is four.");
    UsageRecord row = gw.row(r);
    assertThat(row.usage().reasoningTokens()).isEqualTo(30);
    assertThat(row.usage().outputTokens()).isEqualTo(31);
    assertThat(row.cost()).as("(40×0.30 + 1×2.50 + 30×3.50) / 1e6").isEqualTo(Money.ofUsd("0.0001195"));

    HttpResponse<String> streamed = gw.post("/v1/chat/completions", KEY, chat("thinker", true, ""));
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode c : chunks(streamed.body())) reasoning.append(c.at("/choices/0/delta/reasoning_content").asText(""));
    assertThat(reasoning.toString()).isEqualTo("Two plus two is four.");
    assertThat(gw.row(streamed).usage().reasoningTokens()).isEqualTo(30);
  }

  @Test
  void geminiErrorsAreRelayedWithTheirStatusAndGoogleStatusName() throws Exception {
    HttpResponse<String> bad = gw.post("/v1/chat/completions", KEY, chat("bad", false, ""));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(bad.body()).get("error");
    assertThat(err.get("upstream_type").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(err.get("message").asText()).contains("generation_config.temperature");

    HttpResponse<String> quota = gw.post("/v1/chat/completions", KEY, chat("quota", false, ""));
    assertThat(quota.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(quota.body()).at("/error/upstream_type").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(gw.row(quota).status()).isEqualTo(RequestStatus.ERROR);
  }

  @Test
  void aStreamThatEndsWithoutAFinishReasonIsBrokenAndEstimated() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("cut", true, ""));
    assertThat(text(chunks(r.body()))).isEqualTo("Hello");
    assertThat(r.body()).contains("upstream_stream_broken").doesNotContain("[DONE]");
    UsageRecord row = gw.row(r);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usageEstimated()).isTrue();
  }

  @Test
  void anImageByUrlIsRefusedBecauseGeminiTakesMediaOnlyInline() throws Exception {
    int calls = gemini.count();
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, "{\"model\":\"flash\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("Gemini").contains("by URL");
    assertThat(gemini.count()).isEqualTo(calls);

    HttpResponse<String> inline = gw.post("/v1/chat/completions", KEY, "{\"model\":\"flash\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is it?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");
    assertThat(inline.statusCode()).isEqualTo(200);
    assertThat(gemini.last().body().at("/contents/0/parts/1")).isEqualTo(JSON.readTree(
        "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}"));
  }

  @Test
  void anAnthropicClientIsServedByGeminiAndWhatGeminiCannotTakeIsRefusedInAnthropicShape() throws Exception {
    HttpResponse<String> r = gw.post("/v1/messages", null, "{\"model\":\"flash\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "x-api-key", KEY, "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode msg = JSON.readTree(r.body());
    assertThat(msg.at("/content/0/text").asText()).isEqualTo("Hello from Gemini.");
    assertThat(msg.get("usage")).isEqualTo(JSON.readTree(
        "{\"input_tokens\":24,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":16,\"output_tokens\":15}"));
    assertThat(gemini.last().body().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(64);
    assertThat(gw.row(r).cost()).isEqualTo(TEXT_COST);

    int calls = gemini.count();
    HttpResponse<String> topK = gw.post("/v1/messages", null, "{\"model\":\"flash\",\"max_tokens\":64,\"top_k\":3,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "x-api-key", KEY);
    assertThat(topK.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(topK.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(JSON.readTree(topK.body()).at("/error/message").asText()).contains("Gemini").contains("top_k");
    assertThat(gemini.count()).isEqualTo(calls);
  }

  static List<JsonNode> chunks(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(JSON.readTree(line.substring(6)));
    }
    return out;
  }

  static String text(List<JsonNode> chunks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : chunks) if (c.at("/choices/0/delta/content").isTextual()) sb.append(c.at("/choices/0/delta/content").asText());
    return sb.toString();
  }

  @Test
  void embeddingsGoToBatchEmbedContentsAndComeBackInOpenAisShapeBilledByTheGatewaysCount() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY,
        "{\"model\":\"embedder\",\"input\":[\"refund policy\",\"shipping times\"],\"dimensions\":3}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.at("/data/1/index").asInt()).isEqualTo(1);
    assertThat(body.at("/data/0/embedding")).hasSize(3);
    assertThat(body.at("/data/0/embedding/0").asDouble()).isEqualTo(0.25);
    FakeGemini.Received sent = gemini.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(sent.body().at("/requests/1/content/parts/0/text").asText()).isEqualTo("shipping times");
    assertThat(sent.body().at("/requests/0/outputDimensionality").asInt()).isEqualTo(3);

    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.usageEstimated()).as("Gemini reports no token count for embeddings").isTrue();
    assertThat(row.usage().inputTokens()).isEqualTo(4); // "refund policy" and "shipping times", two tokens each
    assertThat(row.usage().outputTokens()).isZero();
    assertThat(row.cost()).isEqualTo(Money.ofNanos(4 * 150));
  }

  @Test
  void tokenIdEmbeddingInputIsRefusedAsUntranslatable() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, "{\"model\":\"embedder\",\"input\":[[15339,1917]]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("token-id input");
  }
}
