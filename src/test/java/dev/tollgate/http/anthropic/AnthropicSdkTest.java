package dev.tollgate.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
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

/**
 * The official Anthropic Java SDK, unmodified but for its base URL and key, through the gateway:
 * served by an Anthropic model (the fake Anthropic API) and by an OpenAI-family model (the
 * simulator), streaming and not.
 */
class AnthropicSdkTest {

  static final String KEY = "tg-anthropic-sdk-key-0001";

  @TempDir static Path dir;
  static FakeAnthropic upstream;
  static TestGateway gw;
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    upstream = new FakeAnthropic();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          claude: { type: anthropic, api_key: sk-ant-sdk, base_url: "${UPSTREAM}" }
          sim:    { type: simulator, output_tokens: 12, ttft: 0s, latency: 0s, tokens_per_second: 0 }
        models:
          claude-sonnet-4-5: { provider: claude, upstream: claude-sonnet-4-5-20250929,
                               price: { input_per_mtok: 3, cached_input_per_mtok: 0.30, cache_write_per_mtok: 3.75, output_per_mtok: 15 } }
          claude-tools:      { provider: claude, price: { input_per_mtok: 3, output_per_mtok: 15 } }
          gpt-4o-mini:       { provider: sim, price: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
        keys:
          - { name: sdk, secret: tg-anthropic-sdk-key-0001, workflow: sdk-check }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
    client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey(KEY).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage("What does a gateway do?");
  }

  // ---- an Anthropic model ----

  @Test
  void createServedByClaudeReturnsTheMessageWithCacheUsageAndIsPriced() {
    Message message = client.messages().create(params("claude-sonnet-4-5").build());

    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).asText().text()).isEqualTo(FakeAnthropic.TEXT);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(FakeAnthropic.INPUT);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(FakeAnthropic.CACHE_READ);
    assertThat(message.usage().cacheCreationInputTokens()).hasValue(FakeAnthropic.CACHE_WRITE);
    assertThat(upstream.lastBody().get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");

    UsageRecord row = last();
    assertThat(row.provider()).isEqualTo("anthropic");
    assertThat(row.attribution().workflow()).isEqualTo("sdk-check");
    assertThat(row.usage().inputTokens()).isEqualTo(150);
    assertThat(row.cost()).as("(20×3 + 100×0.30 + 30×3.75 + 12×15) / 1e6").isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void streamServedByClaudeAccumulatesToTheSameMessage() {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-sonnet-4-5").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message message = acc.message();
    assertThat(message.content().get(0).asText().text()).isEqualTo(FakeAnthropic.TEXT);
    assertThat(message.usage().outputTokens()).isEqualTo(FakeAnthropic.OUTPUT);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(FakeAnthropic.CACHE_READ);
    UsageRecord row = last();
    assertThat(row.stream()).isTrue();
    assertThat(row.cost()).isEqualTo(Money.ofUsd("0.0003825"));
  }

  @Test
  void streamedToolUseFromClaudeAccumulatesToAToolUseBlock() {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-tools")
        .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder().build()).build()).build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message message = acc.message();
    ToolUseBlock use = message.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().toString()).contains("Paris");
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(last().cost()).as("(20×3 + 40×15) / 1e6").isEqualTo(Money.ofUsd("0.00066"));
  }

  // ---- an OpenAI-family model ----

  @Test
  void createServedByAnOpenAiFamilyModelReadsAsAnAnthropicMessage() {
    Message message = client.messages().create(params("gpt-4o-mini").build());

    String text = message.content().get(0).asText().text();
    assertThat(text.split(" ")).hasSize(12);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(12);
    long input = message.usage().inputTokens();
    assertThat(input).isPositive();

    UsageRecord row = last();
    assertThat(row.provider()).isEqualTo("simulator");
    assertThat(row.usage().inputTokens()).isEqualTo(input);
    long nanos = (input * 150_000_000L + 12 * 600_000_000L + 500_000) / 1_000_000; // at 0.15 and 0.60 USD per Mtok
    assertThat(row.cost()).isEqualTo(Money.ofNanos(nanos));
  }

  @Test
  void streamServedByAnOpenAiFamilyModelAccumulatesWithUsage() {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("gpt-4o-mini").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message message = acc.message();
    assertThat(message.content().get(0).asText().text().trim().split(" ")).hasSize(12);
    assertThat(message.usage().outputTokens()).isEqualTo(12);
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    UsageRecord row = last();
    assertThat(row.stream()).isTrue();
    assertThat(row.usageEstimated()).isFalse();
    assertThat(row.usage().outputTokens()).isEqualTo(12);
    assertThat(message.usage().inputTokens()).as("message_delta carries the input the stream could not know at its start")
        .isEqualTo(row.usage().inputTokens());
  }

  // ---- errors as the SDK's own exceptions ----

  @Test
  void gatewayErrorsSurfaceAsTheSdksExceptions() {
    assertThatThrownBy(() -> client.messages().create(params("claude-sonet-4-5").build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("claude-sonnet-4-5");
    AnthropicClient wrong = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey("tg-wrong-key-000000000").maxRetries(0).build();
    try {
      assertThatThrownBy(() -> wrong.messages().create(params("claude-sonnet-4-5").build())).isInstanceOf(UnauthorizedException.class);
    } finally {
      wrong.close();
    }
  }

  private static UsageRecord last() {
    List<UsageRecord> rows = gw.ledger();
    return rows.get(rows.size() - 1);
  }
}
