package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/embeddings} through the real server: passed through, priced on input only, admitted, recorded. */
class EmbeddingsEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-test-embedder-secret-01";
  static final String TIGHT_KEY = "tg-test-tight-secret-0001";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;
  static OpenAIClient sdk;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        org: { name: acme, time_zone: UTC }
        providers:
          fake:   { type: openai-compatible, base_url: "${UPSTREAM}" }
          sim:    { type: simulator }
          claude: { type: anthropic, api_key: sk-ant-test, base_url: "http://127.0.0.1:9" }
        models:
          embed-small:   { provider: fake, upstream: text-embedding-3-small, price: { input_per_mtok: 0.02, output_per_mtok: 0 } }
          embed-limited: { provider: fake, upstream: rate-limited, price: { input_per_mtok: 0.02, output_per_mtok: 0 } }
          text-embedding-3-small: { provider: sim }
          claude-haiku:  { provider: claude, upstream: claude-3-haiku-20240307 }
        workload_classes:
          redacting: { pii: redact }
          blocking:  { pii: block }
        teams:
          search: {}
          tight:
            budgets:
              - { window: day, tokens: 100, on_exceed: block }
        keys:
          - { name: embedder, secret: tg-test-embedder-secret-01, team: search, project: retrieval }
          - { name: tight, secret: tg-test-tight-secret-0001, team: tight }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
    sdk = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (sdk != null) sdk.close();
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  @Test
  void embeddingsArePassedThroughAndPricedOnTheirInputTokensOnly() throws Exception {
    String request = "{\"model\":\"embed-small\",\"input\":[\"refund policy\",\"shipping times\"],\"dimensions\":3,"
        + "\"encoding_format\":\"float\",\"user\":\"u-42\"}";
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, request);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.at("/data/1/embedding")).hasSize(3);
    assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(2 * FakeOpenAi.EMBEDDING_TOKENS);
    JsonNode sent = upstream.bodies().get(upstream.bodies().size() - 1);
    assertThat(sent.path("model").asText()).as("renamed to the provider's id").isEqualTo("text-embedding-3-small");
    assertThat(sent.path("dimensions").asInt()).isEqualTo(3);
    assertThat(sent.path("encoding_format").asText()).isEqualTo("float");
    assertThat(sent.has("stream_options")).isFalse();

    // 16 input tokens × $0.02 per million = $0.00000032, no output.
    assertThat(r.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.00000032");
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.OK);
    assertThat(row.requestedModel()).isEqualTo("embed-small");
    assertThat(row.servedModel()).isEqualTo("text-embedding-3-small");
    assertThat(row.attribution().team()).isEqualTo("search");
    assertThat(row.attribution().project()).isEqualTo("retrieval");
    assertThat(row.attribution().user()).as("the body's user field counts").isEqualTo("u-42");
    assertThat(row.usage().inputTokens()).isEqualTo(16);
    assertThat(row.usage().outputTokens()).isZero();
    assertThat(row.cost()).isEqualTo(Money.ofNanos(320));
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.stream()).isFalse();
  }

  @Test
  void simulatorGivesTheSameUnitVectorForTheSameInputAtTheRequestedDimension() throws Exception {
    String request = "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\"],\"dimensions\":8}";
    JsonNode first = JSON.readTree(gw.post("/v1/embeddings", KEY, request).body());
    JsonNode second = JSON.readTree(gw.post("/v1/embeddings", KEY, request).body());

    assertThat(first.at("/data/0/embedding")).hasSize(8);
    assertThat(first.path("data")).isEqualTo(second.path("data"));
    assertThat(first.at("/data/0/embedding")).isNotEqualTo(first.at("/data/1/embedding"));
    double norm = 0;
    for (JsonNode v : first.at("/data/0/embedding")) norm += v.asDouble() * v.asDouble();
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

    JsonNode encoded = JSON.readTree(gw.post("/v1/embeddings", KEY,
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\"],\"dimensions\":8,\"encoding_format\":\"base64\"}").body());
    ByteBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.remaining()).isEqualTo(8 * 4);
    assertThat(floats.getFloat()).isEqualTo((float) first.at("/data/0/embedding/0").asDouble());
  }

  @Test
  void theOfficialSdkGetsEmbeddingsAndTheirUsageIsRecorded() {
    CreateEmbeddingResponse answer = sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("The quick brown fox").dimensions(16).build());

    assertThat(answer.data()).hasSize(1);
    assertThat(answer.data().get(0).embedding()).hasSize(16);
    UsageRecord row = last();
    assertThat(row.requestedModel()).isEqualTo("text-embedding-3-small");
    assertThat(row.provider()).isEqualTo("simulator");
    assertThat(row.usage().inputTokens()).isEqualTo(answer.usage().promptTokens()).isPositive();
    assertThat(row.usage().outputTokens()).isZero();
    // Catalog price of text-embedding-3-small: $0.02 per million input tokens.
    assertThat(row.cost()).isEqualTo(Money.ofNanos(answer.usage().promptTokens() * 20));
  }

  @Test
  void admissionReservesTheInputTokensAndNoOutput() {
    // 40 token ids fit a 100-token day budget only because an embedding reserves no output tokens.
    String ids = "[" + String.join(",", java.util.Collections.nCopies(40, "1234")) + "]";
    HttpResponse<String> fits = gw.post("/v1/embeddings", TIGHT_KEY, "{\"model\":\"text-embedding-3-small\",\"input\":" + ids + "}");
    assertThat(fits.statusCode()).isEqualTo(200);
    assertThat(gw.row(fits).usage().inputTokens()).isEqualTo(40);

    String many = "[" + String.join(",", java.util.Collections.nCopies(70, "1234")) + "]";
    HttpResponse<String> refused = gw.post("/v1/embeddings", TIGHT_KEY, "{\"model\":\"text-embedding-3-small\",\"input\":" + many + "}");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("budget_exceeded");
    assertThat(gw.row(refused).status()).isEqualTo(RequestStatus.BLOCKED);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"model\":\"embed-small\"}                                   | 'input' is required",
      "{\"model\":\"embed-small\",\"input\":42}                      | 'input' must be a string or an array",
      "{\"model\":\"embed-small\",\"input\":[]}                      | must not be an empty array",
      "{\"model\":\"embed-small\",\"input\":[\"a\",7]}               | 'input[1]' does not match",
      "{\"model\":\"embed-small\",\"input\":\"a\",\"encoding_format\":\"int8\"} | 'encoding_format' must be",
      "{\"model\":\"embed-small\",\"input\":\"a\",\"dimensions\":0}  | 'dimensions' must be a positive integer",
      "{\"model\":\"embed-small\",\"input\":\"a\"                    | not valid JSON"})
  void malformedRequestsAreRefusedBeforeAnyUpstreamCall(String body, String message) throws Exception {
    int calls = upstream.bodies().size();
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_request");
    assertThat(error.path("message").asText()).contains(message);
    assertThat(upstream.bodies()).hasSize(calls);
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.BLOCKED);
  }

  @Test
  void aModelWhoseProviderCannotEmbedIsRefusedNamingTheProviderType() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, "{\"model\":\"claude-haiku\",\"input\":\"hello\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    String message = JSON.readTree(r.body()).at("/error/message").asText();
    assertThat(message).contains("POST /v1/embeddings", "claude-haiku", "anthropic").contains("embed-small");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.BLOCKED);
  }

  @Test
  void theGuardScansEmbeddingInputsLikePrompts() throws Exception {
    String card = "4111 1111 1111 1111";
    HttpResponse<String> blocked = gw.post("/v1/embeddings", KEY,
        "{\"model\":\"embed-small\",\"input\":[\"fine\",\"card " + card + "\"]}", "X-Tollgate-Workload-Class", "blocking");
    assertThat(blocked.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(blocked.body()).at("/error/code").asText()).isEqualTo("policy_violation");

    HttpResponse<String> redacted = gw.post("/v1/embeddings", KEY,
        "{\"model\":\"embed-small\",\"input\":\"mail jane.doe@example.com\"}", "X-Tollgate-Workload-Class", "redacting");
    assertThat(redacted.statusCode()).isEqualTo(200);
    String sent = upstream.bodies().get(upstream.bodies().size() - 1).path("input").asText();
    assertThat(sent).contains("[EMAIL_1]").doesNotContain("jane.doe");
    assertThat(gw.row(redacted).guardFindings()).containsEntry("email", 1);
  }

  @Test
  void unknownModelGetsTheClosestNames() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, "{\"model\":\"embed-smal\",\"input\":\"hello\"}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("embed-small");
  }

  @Test
  void anUpstreamRefusalIsRelayedAndRecordedAsAnErrorThatCostNothing() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, "{\"model\":\"embed-limited\",\"input\":\"hello\"}");

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("Rate limit reached");
    UsageRecord row = gw.row(r);
    assertThat(row.status()).isEqualTo(RequestStatus.ERROR);
    assertThat(row.cost()).isEqualTo(Money.ZERO);
  }

  private static UsageRecord last() {
    List<UsageRecord> rows = gw.ledger();
    return rows.get(rows.size() - 1);
  }
}
