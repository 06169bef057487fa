package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK's Responses API, unmodified but for its base URL, through the gateway and the simulator. */
class OpenAiSdkResponsesTest {

  static final String KEY = "tg-sdk-responses-key-00001";

  @TempDir static Path dir;
  static TestGateway gw;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          sim:    { type: simulator, output_tokens: 9 }
          claude: { type: anthropic, api_key: sk-ant-test, base_url: "http://127.0.0.1:9" }
        models:
          gpt-4o-mini:  { provider: sim, tier: economy }
          claude-haiku: { provider: claude, upstream: claude-3-haiku-20240307 }
        keys:
          - { name: sdk, secret: tg-sdk-responses-key-00001, workflow: sdk-responses }
        """, Map.of("DIR", dir.toString()), dir);
    client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
  }

  static ResponseCreateParams.Builder params() {
    return ResponseCreateParams.builder().model("gpt-4o-mini").instructions("Be brief.").input("What does a gateway do?");
  }

  @Test
  void aResponseComesBackWithItsTextAndUsageAndIsRecordedAtTheCatalogPrice() {
    Response response = client.responses().create(params().build());

    String text = response.output().get(0).asMessage().content().get(0).asOutputText().text();
    assertThat(text.split(" ")).hasSize(9);
    ResponseUsage usage = response.usage().orElseThrow();
    UsageRecord row = last();
    assertThat(row.requestedModel()).isEqualTo("gpt-4o-mini");
    assertThat(row.provider()).isEqualTo("simulator");
    assertThat(row.attribution().workflow()).isEqualTo("sdk-responses");
    assertThat(row.usage().inputTokens()).isEqualTo(usage.inputTokens()).isPositive();
    assertThat(row.usage().outputTokens()).isEqualTo(usage.outputTokens()).isEqualTo(9);
    // Catalog price of gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
    assertThat(row.cost()).isEqualTo(Money.ofNanos(usage.inputTokens() * 150 + 9 * 600));
  }

  @Test
  void aStreamedResponseDeliversTextDeltasAndTheCompletedUsage() {
    StringBuilder text = new StringBuilder();
    long[] outputTokens = {-1};
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params().build())) {
      stream.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
        event.completed().ifPresent(c -> outputTokens[0] = c.response().usage().orElseThrow().outputTokens());
      });
    }
    assertThat(text.toString().trim().split(" ")).hasSize(9);
    assertThat(outputTokens[0]).isEqualTo(9);
    UsageRecord row = last();
    assertThat(row.stream()).isTrue();
    assertThat(row.usage().outputTokens()).isEqualTo(9);
    assertThat(row.usageEstimated()).isFalse();
  }

  @Test
  void aModelOfAnotherVendorSurfacesAsTheSdksBadRequestError() {
    assertThatThrownBy(() -> client.responses().create(params().model("claude-haiku").build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("only by OpenAI-family providers");
  }

  private static UsageRecord last() {
    List<UsageRecord> rows = gw.ledger();
    return rows.get(rows.size() - 1);
  }
}
