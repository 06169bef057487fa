package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK, unmodified but for its base URL, through the gateway and the simulator provider. */
class OpenAiSdkTest {

  static final String KEY = "tg-sdk-test-key-000000001";

  @TempDir static Path dir;
  static TestGateway gw;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          sim: { type: simulator, output_tokens: 12 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
        keys:
          - { name: sdk, secret: tg-sdk-test-key-000000001, workflow: sdk-check }
        """, Map.of("DIR", dir.toString()), dir);
    client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
  }

  static ChatCompletionCreateParams.Builder params() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addSystemMessage("Be brief.").addUserMessage("What does a gateway do?");
  }

  @Test
  void nonStreamingCompletionWorksAndIsRecorded() {
    ChatCompletion completion = client.chat().completions().create(params().build());

    String text = completion.choices().get(0).message().content().orElseThrow();
    assertThat(text.split(" ")).hasSize(12);
    long promptTokens = completion.usage().orElseThrow().promptTokens();
    UsageRecord row = last();
    assertThat(row.requestedModel()).isEqualTo("gpt-4o-mini");
    assertThat(row.provider()).isEqualTo("simulator");
    assertThat(row.attribution().workflow()).isEqualTo("sdk-check");
    assertThat(row.usage().inputTokens()).isEqualTo(promptTokens);
    assertThat(row.usage().outputTokens()).isEqualTo(12);
    assertThat(row.cost().nanos()).isPositive();
  }

  @Test
  void streamingCompletionWorksAndIsRecorded() {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params().build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString().trim().split(" ")).hasSize(12);
    UsageRecord row = last();
    assertThat(row.stream()).isTrue();
    assertThat(row.usage().outputTokens()).isEqualTo(12);
    assertThat(row.usageEstimated()).isFalse();
  }

  @Test
  void streamingWithUsageRequestedDeliversTheUsageChunk() {
    long[] completionTokens = {-1};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        params().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunk -> chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens()));
    }
    assertThat(completionTokens[0]).isEqualTo(12);
  }

  @Test
  void unknownModelSurfacesAsTheSdksNotFoundError() {
    assertThatThrownBy(() -> client.chat().completions().create(params().model("gpt-4o-mimi").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("gpt-4o-mini");
  }

  private static UsageRecord last() {
    List<UsageRecord> rows = gw.ledger();
    return rows.get(rows.size() - 1);
  }
}
