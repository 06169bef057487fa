package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The output guard on streamed answers, through the real server, on both streaming protocols. The
 * upstream echoes the prompt in pieces of three characters, so every secret in it arrives cut
 * across several events.
 */
class StreamOutputGuardTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-stream-guard-test-key-01";
  static final String SECRET = "sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4";
  static final String PROMPT = "Use the key " + SECRET + " to call it, then mail ana.lopez@example.com.";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          echo-model: { provider: fake, upstream: echo, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 2 } }
        workload_classes:
          redacting: { output_guard: redact }
          blocking:  { output_guard: block }
          plain:     { }
        keys:
          - { name: k, secret: tg-stream-guard-test-key-01 }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chatBody(String text, boolean usage) {
    return "{\"model\":\"echo-model\",\"stream\":true," + (usage ? "\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":" + JSON.valueToTree(text) + "}]}";
  }

  static HttpResponse<String> chat(String cls, String text) {
    return gw.post("/v1/chat/completions", KEY, chatBody(text, false), "X-Tollgate-Workload-Class", cls);
  }

  static HttpResponse<String> messages(String cls, String text) {
    String body = "{\"model\":\"echo-model\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
        + JSON.valueToTree(text) + "}]}";
    return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("x-api-key", KEY).header("anthropic-version", "2023-06-01")
        .header("X-Tollgate-Workload-Class", cls).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** The data of every event, parsed. */
  static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) out.add(JSON.readTree(line.substring(6)));
    }
    return out;
  }

  static String chatText(String sse) throws Exception {
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events(sse)) {
      JsonNode c = e.at("/choices/0/delta/content");
      if (c.isTextual()) text.append(c.asText());
    }
    return text.toString();
  }

  /** No event carries any eight characters of the secret. */
  static void assertNoPartOfTheSecretIn(String body) {
    for (int i = 0; i + 8 <= SECRET.length(); i++) assertThat(body).doesNotContain(SECRET.substring(i, i + 8));
  }

  @Test
  void aSecretCutAcrossEventsIsRedactedInAChatStream() throws Exception {
    HttpResponse<String> r = chat("redacting", PROMPT);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(chatText(r.body())).isEqualTo("Use the key [API_KEY_1] to call it, then mail [EMAIL_1].");
    assertNoPartOfTheSecretIn(r.body());
    assertThat(r.body()).doesNotContain("ana.lopez").endsWith("data: [DONE]\n\n");
    assertThat(events(r.body())).anySatisfy(e -> assertThat(e.at("/choices/0/finish_reason").asText()).isEqualTo("stop"));
    assertThat(gw.row(r).guardFindings()).containsEntry("output_api_key", 1).containsEntry("output_email", 1);
  }

  @Test
  void aSecretCutAcrossEventsIsRedactedInAnAnthropicStream() throws Exception {
    HttpResponse<String> r = messages("redacting", PROMPT);

    assertThat(r.statusCode()).isEqualTo(200);
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events(r.body())) {
      if (e.at("/delta/type").asText().equals("text_delta")) text.append(e.at("/delta/text").asText());
    }
    assertThat(text.toString()).isEqualTo("Use the key [API_KEY_1] to call it, then mail [EMAIL_1].");
    assertNoPartOfTheSecretIn(r.body());
    assertThat(r.body()).contains("event: message_stop");
  }

  @Test
  void blockingEndsAChatStreamWithAnErrorEventBeforeTheSecret() throws Exception {
    HttpResponse<String> r = chat("blocking", PROMPT);

    assertThat(r.statusCode()).as("the stream had started").isEqualTo(200);
    assertThat(chatText(r.body())).isEqualTo("Use the key ");
    assertNoPartOfTheSecretIn(r.body());
    List<JsonNode> events = events(r.body());
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.at("/error/code").asText()).isEqualTo("policy_violation");
    assertThat(last.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(last.at("/error/message").asText()).contains("1 api key").contains("'blocking'");
    assertThat(r.body()).doesNotContain("[DONE]");
    var row = gw.row(r);
    assertThat(row.errorCode()).isEqualTo("policy_violation");
    assertThat(row.guardFindings()).containsEntry("output_api_key", 1);
  }

  @Test
  void blockingEndsAnAnthropicStreamWithAnErrorEvent() throws Exception {
    HttpResponse<String> r = messages("blocking", PROMPT);

    assertNoPartOfTheSecretIn(r.body());
    assertThat(r.body()).contains("event: error");
    JsonNode error = events(r.body()).stream().filter(e -> e.path("type").asText().equals("error")).findFirst().orElseThrow();
    assertThat(error.at("/error/code").asText()).isEqualTo("policy_violation");
    assertThat(error.at("/error/message").asText()).contains("1 api key");
    assertThat(r.body()).doesNotContain("message_stop");
  }

  @Test
  void blockingAWholeAnswerWithholdsIt() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY,
        "{\"model\":\"echo-model\",\"messages\":[{\"role\":\"user\",\"content\":" + JSON.valueToTree(PROMPT) + "}]}",
        "X-Tollgate-Workload-Class", "blocking");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("policy_violation");
    assertThat(r.body()).doesNotContain(SECRET).doesNotContain("ana.lopez");
  }

  @Test
  void ordinaryTextComesThroughTheGuardUnchanged() throws Exception {
    String text = "Order #4111111111111112 shipped 2026-11-25T10:15:30Z (id 3f2c9a1e-8b7d-4c1a-9e2f-0a1b2c3d4e5f); "
        + "revenue grew 12.5% to $4,111,111 in Q3. Call the desk at extension 4411 — see https://example.com/a-b_c?d=1.";

    HttpResponse<String> r = chat("redacting", text);

    assertThat(chatText(r.body())).isEqualTo(text);
    assertThat(gw.row(r).guardFindings()).isEmpty();
  }

  @Test
  void aStreamWithoutTheGuardIsTheUpstreamsStreamByteForByte() throws Exception {
    // With include_usage asked for, the gateway forwards every upstream event as it came.
    String direct = gw.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chatBody(PROMPT, true).replace("echo-model", "echo"))).build()).body();

    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chatBody(PROMPT, true), "X-Tollgate-Workload-Class", "plain");

    assertThat(r.body()).isEqualTo(direct);
    assertThat(chatText(r.body())).as("nothing guarded it").isEqualTo(PROMPT);
  }
}
