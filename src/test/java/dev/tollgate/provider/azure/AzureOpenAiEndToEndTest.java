package dev.tollgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeAzureOpenAi;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Azure OpenAI deployments behind the gateway, through the real server and a fake Azure resource. */
class AzureOpenAiEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-azure-test-key-000001";
  /** USD per million tokens; reasoning has its own rate so that it shows in the cost. */
  static final String PRICE = "price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10, reasoning_per_mtok: 20 }";

  @TempDir static Path dir;
  static FakeAzureOpenAi azure;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    azure = new FakeAzureOpenAi();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          az: { type: azure-openai, api_key: "${AZURE_KEY}", base_url: "${ENDPOINT}", api_version: 2024-10-21 }
        models:
          gpt-4o:       { provider: az, upstream: gpt4o-prod, %1$s }
          gpt-busy:     { provider: az, upstream: throttled, %1$s }
          gpt-missing:  { provider: az, upstream: nowhere, %1$s }
          embed:        { provider: az, upstream: embed-prod, price: { input_per_mtok: 0.02, output_per_mtok: 0 } }
        keys:
          - { name: app, secret: tg-azure-test-key-000001 }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "ENDPOINT", azure.endpoint(), "AZURE_KEY", FakeAzureOpenAi.KEY), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (azure != null) azure.close();
  }

  static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  /** (20×2.50 + 10×1.25 + 4×10 + 3×20) / 1e6 USD: 30 prompt of which 10 cached, 7 output of which 3 reasoning. */
  static final Money COST = Money.ofUsd("0.0001625");

  @Test
  void theDeploymentIsAddressedByPathWithTheApiVersionAndTheKeyInApiKey() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").asText()).isEqualTo("Hi from Azure.");
    FakeAzureOpenAi.Received sent = azure.last();
    assertThat(sent.path()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions");
    assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
    assertThat(sent.apiKey()).isEqualTo(FakeAzureOpenAi.KEY);
    assertThat(sent.authorization()).as("no bearer header: Azure keys go in api-key").isNull();

    UsageRecord row = gw.row(r);
    assertThat(row.provider()).isEqualTo("azure-openai");
    assertThat(row.servedModel()).isEqualTo("gpt4o-prod");
    assertThat(row.usage().cachedInputTokens()).isEqualTo(FakeAzureOpenAi.CACHED);
    assertThat(row.usage().reasoningTokens()).isEqualTo(FakeAzureOpenAi.REASONING);
    assertThat(row.cost()).isEqualTo(COST);
  }

  @Test
  void aStreamWithAzuresPromptFilterChunkIsRelayedAndMetered() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("gpt-4o", true));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Hi").contains(" Azure.").endsWith("data: [DONE]\n\n");
    assertThat(azure.last().body().at("/stream_options/include_usage").asBoolean()).isTrue();
    UsageRecord row = gw.row(r);
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.cost()).isEqualTo(COST);
  }

  @Test
  void embeddingsGoToTheDeploymentsEmbeddingsPathWithTheApiVersion() throws Exception {
    HttpResponse<String> r = gw.post("/v1/embeddings", KEY, "{\"model\":\"embed\",\"input\":\"hello\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).at("/data/0/embedding")).hasSize(3);
    FakeAzureOpenAi.Received sent = azure.last();
    assertThat(sent.path()).isEqualTo("/openai/deployments/embed-prod/embeddings");
    assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
    assertThat(sent.apiKey()).isEqualTo(FakeAzureOpenAi.KEY);
    UsageRecord row = gw.row(r);
    assertThat(row.usage().inputTokens()).isEqualTo(FakeAzureOpenAi.EMBEDDING_TOKENS);
    assertThat(row.cost()).isEqualTo(Money.ofNanos(100)); // 5 tokens × $0.02 per million
  }

  @Test
  void theResponsesApiGoesToAzuresV1SurfaceWithTheDeploymentAsModel() throws Exception {
    HttpResponse<String> r = gw.post("/v1/responses", KEY, "{\"model\":\"gpt-4o\",\"input\":\"Hi\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("object").asText()).isEqualTo("response");
    FakeAzureOpenAi.Received sent = azure.last();
    assertThat(sent.path()).isEqualTo("/openai/v1/responses");
    assertThat(sent.body().path("model").asText()).isEqualTo("gpt4o-prod");
    assertThat(sent.apiKey()).isEqualTo(FakeAzureOpenAi.KEY);
    UsageRecord row = gw.row(r);
    assertThat(row.usage().inputTokens()).isEqualTo(dev.tollgate.testing.FakeResponses.INPUT_TOKENS);
    assertThat(row.usage().reasoningTokens()).isEqualTo(dev.tollgate.testing.FakeResponses.REASONING_TOKENS);
    // 20 uncached × 2.50 + 16 cached × 1.25 + 23 output × 10 + 64 reasoning × 20, per million.
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.00158"));

    HttpResponse<String> streamed = gw.post("/v1/responses", KEY, "{\"model\":\"gpt-4o\",\"input\":\"Hi\",\"stream\":true}");
    assertThat(streamed.body()).contains("event: response.completed");
    assertThat(gw.row(streamed).cost()).isEqualTo(Money.ofUsd("0.00158"));
  }

  @Test
  void azureErrorsAreRelayedWithTheirStatusAndCode() throws Exception {
    HttpResponse<String> missing = gw.post("/v1/chat/completions", KEY, chat("gpt-missing", false));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).at("/error/upstream_code").asText()).isEqualTo("DeploymentNotFound");

    HttpResponse<String> busy = gw.post("/v1/chat/completions", KEY, chat("gpt-busy", false));
    assertThat(busy.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(busy.body()).at("/error/message").asText()).contains("exceeded token rate limit");
  }
}
