package dev.tollgate.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.tokens.JtokkitTokenCounter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/messages/count_tokens}: passed to Anthropic for its models, counted locally for others, never billed. */
class CountTokensEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-test-counter-secret-001";
  static final String NARROW_KEY = "tg-test-narrow-count-0001";

  @TempDir static Path dir;
  static FakeAnthropic upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeAnthropic();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          claude: { type: anthropic, api_key: sk-ant-provider-secret, base_url: "${UPSTREAM}" }
          sim:    { type: simulator }
        models:
          claude-sonnet: { provider: claude, upstream: claude-sonnet-4-20250514 }
          gpt-4o-mini:   { provider: sim }
        teams:
          coders:
            budgets:
              - { window: day, requests: 1, on_exceed: block }
        keys:
          - { name: counter, secret: tg-test-counter-secret-001, team: coders }
          - { name: narrow, secret: tg-test-narrow-count-0001, models: [ gpt-4o-mini ] }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static final String BODY = "{\"model\":\"%s\",\"system\":\"You are a scientist.\","
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, Claude\"},{\"role\":\"assistant\",\"content\":\"Hi.\"},"
      + "{\"role\":\"user\",\"content\":\"Count me.\"}]}";

  static HttpResponse<String> count(String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages/count_tokens")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "token-counting-2024-11-01").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("x-api-key", key);
    return gw.send(b.build());
  }

  @Test
  void anAnthropicModelsCountComesFromAnthropicUnbilledAndUnrecorded() throws Exception {
    int rows = gw.ledger().size();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = count(KEY, BODY.formatted("claude-sonnet"));

      assertThat(r.statusCode()).as("a one-request daily budget does not limit counting").isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("input_tokens").asLong()).isEqualTo(FakeAnthropic.COUNTED + 3);
      assertThat(r.headers().firstValue("x-tollgate-token-count")).hasValue("provider");
    }
    assertThat(upstream.paths().get(upstream.paths().size() - 1)).isEqualTo("/v1/messages/count_tokens");
    assertThat(upstream.lastBody().path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(upstream.lastBody().path("system").asText()).isEqualTo("You are a scientist.");
    assertThat(upstream.lastHeaders()).containsEntry("x-api-key", "sk-ant-provider-secret")
        .containsEntry("anthropic-beta", "token-counting-2024-11-01");
    assertThat(gw.ledger()).as("counting is not a billed request").hasSize(rows);
  }

  @Test
  void aModelOfAnotherVendorIsCountedLocallyAndSaysSo() throws Exception {
    HttpResponse<String> r = count(KEY, BODY.formatted("gpt-4o-mini"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-token-count")).hasValue("estimated");
    long expected = new PromptEstimator(new JtokkitTokenCounter())
        .promptTokens("gpt-4o-mini", AnthropicToOpenAi.translate(JSON.readTree(BODY.formatted("gpt-4o-mini"))).body());
    assertThat(JSON.readTree(r.body()).path("input_tokens").asLong()).isEqualTo(expected).isGreaterThan(10);
  }

  @Test
  void anUpstreamRefusalIsRelayedInAnthropicsOwnWords() throws Exception {
    HttpResponse<String> r = count(KEY, "{\"model\":\"claude-sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/message").asText()).contains("max_tokens");
  }

  @Test
  void keyModelAndBodyAreCheckedAndRefusedInAnthropicsShape() throws Exception {
    HttpResponse<String> noKey = count(null, BODY.formatted("claude-sonnet"));
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(noKey.body()).at("/error/type").asText()).isEqualTo("authentication_error");

    HttpResponse<String> unknown = count(KEY, BODY.formatted("claude-sonet"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/type").asText()).isEqualTo("not_found_error");

    HttpResponse<String> notAllowed = count(NARROW_KEY, BODY.formatted("claude-sonnet"));
    assertThat(notAllowed.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(notAllowed.body()).at("/error/type").asText()).isEqualTo("permission_error");

    HttpResponse<String> malformed = count(KEY, "{\"model\":\"claude-sonnet\",\"messages\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void theOfficialAnthropicSdkCountsThroughTheGateway() {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey(KEY).maxRetries(0).build();
    try {
      MessageTokensCount counted = client.messages().countTokens(MessageCountTokensParams.builder()
          .model("claude-sonnet").addUserMessage("Hello, Claude").build());
      assertThat(counted.inputTokens()).isEqualTo(FakeAnthropic.COUNTED + 1);
    } finally {
      client.close();
    }
  }
}
