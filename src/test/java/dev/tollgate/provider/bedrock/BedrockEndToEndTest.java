package dev.tollgate.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeBedrock;
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

/** OpenAI chat-completions clients served by Bedrock models over Converse/ConverseStream, SigV4-signed, through the real server. */
class BedrockEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-bedrock-test-key-00001";
  static final String PRICE = "price: { input_per_mtok: 3, cached_input_per_mtok: 0.30, cache_write_per_mtok: 3.75, output_per_mtok: 15 }";

  @TempDir static Path dir;
  static FakeBedrock bedrock;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    bedrock = new FakeBedrock();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          aws:   { type: bedrock, region: us-east-1, base_url: "${UPSTREAM}", access_key_id: AKIDEXAMPLE, secret_access_key: "${SECRET}" }
          wrong: { type: bedrock, region: us-east-1, base_url: "${UPSTREAM}", access_key_id: AKIDEXAMPLE, secret_access_key: not-the-secret }
        models:
          sonnet:   { provider: aws, upstream: "anthropic.claude-3-5-sonnet-20240620-v1:0", %1$s }
          tools:    { provider: aws, upstream: tools-model, %1$s }
          thinker:  { provider: aws, upstream: "anthropic.claude-thinking-v1:0", %1$s }
          busy:     { provider: aws, upstream: throttled, %1$s }
          flaky:    { provider: aws, upstream: stream-exception, %1$s }
          forged:   { provider: wrong, upstream: "anthropic.claude-3-5-sonnet-20240620-v1:0", %1$s }
        keys:
          - { name: app, secret: tg-bedrock-test-key-00001 }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "UPSTREAM", bedrock.baseUrl(), "SECRET", FakeBedrock.SECRET), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (bedrock != null) bedrock.close();
  }

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /** (25×3 + 50×0.30 + 10×3.75 + 8×15) / 1e6 USD. */
  static final Money TEXT_COST = Money.ofUsd("0.0002475");

  @Test
  void converseIsCalledSignedWithTheTranslatedRequestAndBilledWithCacheReadsAndWrites() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sonnet", false, ",\"max_tokens\":200,\"temperature\":0.5,\"stop\":[\"END\"]"));

    assertThat(r.statusCode()).isEqualTo(200);
    FakeBedrock.Received sent = bedrock.last();
    assertThat(sent.signatureValid()).as("SigV4 recomputed by the fake matches").isTrue();
    assertThat(sent.path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    assertThat(sent.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    assertThat(sent.body()).isEqualTo(JSON.readTree("""
        {"messages":[{"role":"user","content":[{"text":"Say hello"}]}],"system":[{"text":"Be brief."}],
         "inferenceConfig":{"maxTokens":200,"temperature":0.5,"stopSequences":["END"]}}"""));

    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello from Bedrock.");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(85);

    UsageRecord row = gw.row(r);
    assertThat(row.provider()).isEqualTo("bedrock");
    assertThat(row.usage().inputTokens()).isEqualTo(85);
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeBedrock.CACHE_READ);
    assertThat(row.usage().cacheWriteTokens()).isEqualTo(FakeBedrock.CACHE_WRITE);
    assertThat(row.usage().outputTokens()).isEqualTo(FakeBedrock.OUTPUT);
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void converseStreamFramesBecomeOpenAiChunksWithUsage() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sonnet", true, ",\"stream_options\":{\"include_usage\":true}"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(bedrock.last().path()).endsWith("/converse-stream");
    assertThat(bedrock.last().signatureValid()).isTrue();
    List<JsonNode> chunks = chunks(r.body());
    assertThat(text(chunks)).isEqualTo("Hello from Bedrock.");
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.get(chunks.size() - 1).at("/usage/prompt_tokens_details/cache_write_tokens").asLong()).isEqualTo(FakeBedrock.CACHE_WRITE);
    assertThat(r.body()).endsWith("data: [DONE]\n\n");

    UsageRecord row = gw.row(r);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(TEXT_COST);
  }

  @Test
  void toolsTranslateToToolConfigAndToolUseComesBackAsToolCalls() throws Exception {
    String extra = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"required\"";
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("tools", false, extra));

    assertThat(bedrock.last().body().get("toolConfig")).isEqualTo(JSON.readTree(
        "{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}],\"toolChoice\":{\"any\":{}}}"));
    JsonNode call = JSON.readTree(r.body()).at("/choices/0/message/tool_calls/0");
    assertThat(call.get("id").asText()).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
    assertThat(JSON.readTree(call.at("/function/arguments").asText())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(JSON.readTree(r.body()).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");

    HttpResponse<String> streamed = gw.post("/v1/chat/completions", KEY, chat("tools", true, extra));
    StringBuilder args = new StringBuilder();
    for (JsonNode c : chunks(streamed.body())) args.append(c.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
    assertThat(JSON.readTree(args.toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

    String followUp = "{\"model\":\"tools\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"18 degrees\"}]}";
    gw.post("/v1/chat/completions", KEY, followUp);
    JsonNode messages = bedrock.last().body().get("messages");
    assertThat(messages.get(1).at("/content/0/toolUse/toolUseId").asText()).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
    assertThat(messages.get(2)).isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":[{\"toolResult\":"
        + "{\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\",\"content\":[{\"text\":\"18 degrees\"}]}}]}"));
  }

  @Test
  void reasoningBecomesReasoningContentAndItsTokensAreRecorded() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("thinker", false, ",\"reasoning_effort\":\"low\",\"max_tokens\":4000"));

    assertThat(bedrock.last().body().get("additionalModelRequestFields")).isEqualTo(JSON.readTree(
        "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}"));
    JsonNode message = JSON.readTree(r.body()).at("/choices/0/message");
    assertThat(message.get("reasoning_content").asText()).isEqualTo("Two plus two is four.");
    assertThat(message.at("/thinking_blocks/0/signature").asText()).isEqualTo("sig-bedrock");
    assertThat(gw.row(r).usage().reasoningTokens()).as("40 output, 1 of them the visible '4'").isEqualTo(39);

    HttpResponse<String> streamed = gw.post("/v1/chat/completions", KEY, chat("thinker", true, ""));
    assertThat(streamed.body()).contains("\"reasoning_content\":\"Two plus two is four.\"").contains("sig-bedrock");
    assertThat(gw.row(streamed).usage().reasoningTokens()).isEqualTo(39);
  }

  @Test
  void bedrockErrorsKeepTheirStatusAndExceptionType() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("busy", false, ""));
    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("upstream_type").asText()).isEqualTo("ThrottlingException");
    assertThat(err.get("message").asText()).contains("Too many requests");

    HttpResponse<String> forged = gw.post("/v1/chat/completions", KEY, chat("forged", false, ""));
    assertThat(forged.statusCode()).as("a wrong secret makes a signature AWS refuses").isEqualTo(403);
    assertThat(JSON.readTree(forged.body()).at("/error/upstream_type").asText()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void anExceptionFrameInsideTheStreamEndsItAsBroken() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("flaky", true, ""));
    assertThat(text(chunks(r.body()))).isEqualTo("Hello");
    assertThat(r.body()).contains("modelStreamErrorException").doesNotContain("[DONE]");
    UsageRecord row = gw.row(r);
    assertThat(row.errorCode()).isEqualTo("upstream_stream_broken");
    assertThat(row.usageEstimated()).isTrue();
  }

  @Test
  void anImageByUrlIsRefusedBeforeAnythingIsSigned() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("Bedrock").contains("by URL");
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
}
