package dev.tollgate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK, unmodified but for its base URL, served by an Anthropic model. */
class OpenAiSdkOnAnthropicTest {

  static final String KEY = "tg-openai-sdk-on-claude-01";

  @TempDir static Path dir;
  static FakeAnthropic upstream;
  static TestGateway gw;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = new FakeAnthropic();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          claude: { type: anthropic, api_key: sk-ant-test, base_url: "${UPSTREAM}" }
        models:
          gpt-4o-mini: { provider: claude, upstream: claude-sonnet-test,
                         price: { input_per_mtok: 3, cached_input_per_mtok: 0.30, cache_write_per_mtok: 3.75, output_per_mtok: 15 } }
          claude-tools: { provider: claude, price: { input_per_mtok: 3, output_per_mtok: 15 } }
        keys:
          - { name: sdk, secret: tg-openai-sdk-on-claude-01 }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
    client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Hello?");
  }

  @Test
  void nonStreamingCompletionFromClaudeReadsAsAnOpenAiCompletionAndIsPriced() {
    ChatCompletion completion = client.chat().completions().create(params("gpt-4o-mini").build());

    assertThat(completion.choices().get(0).message().content()).hasValue(FakeAnthropic.TEXT);
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(150);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(FakeAnthropic.CACHE_READ);
    UsageRecord row = last();
    assertThat(row.provider()).isEqualTo("anthropic");
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void streamingCompletionFromClaudeDeliversTextAndUsage() {
    StringBuilder text = new StringBuilder();
    long[] completionTokens = {-1};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        params("gpt-4o-mini").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens());
      });
    }
    assertThat(text.toString()).isEqualTo(FakeAnthropic.TEXT);
    assertThat(completionTokens[0]).isEqualTo(FakeAnthropic.OUTPUT);
    UsageRecord row = last();
    assertThat(row.stream()).isTrue();
    assertThat(row.usage().cacheWriteTokens()).isEqualTo(FakeAnthropic.CACHE_WRITE);
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void toolCallFromClaudeReadsAsAnOpenAiToolCall() {
    ChatCompletion completion = client.chat().completions().create(params("claude-tools")
        .addTool(com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
            .function(com.openai.models.FunctionDefinition.builder().name("get_weather").build()).build())
        .build());
    var call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).contains("Paris");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(last().cost()).as("(20×3 + 40×15) / 1e6").isEqualTo(Money.ofUsd("0.00066"));
  }

  private static UsageRecord last() {
    List<UsageRecord> rows = gw.ledger();
    return rows.get(rows.size() - 1);
  }
}
