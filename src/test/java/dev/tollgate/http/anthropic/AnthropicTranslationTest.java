package dev.tollgate.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both directions of the Anthropic edge's translation, rule by rule (docs/translation.md). */
class AnthropicTranslationTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static AnthropicToOpenAi request(String extra) throws Exception {
    return AnthropicToOpenAi.translate(JSON.readTree(
        "{\"model\":\"m\",\"max_tokens\":100" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  @ParameterizedTest(name = "{0} is listed as untranslatable")
  @CsvSource(delimiter = '|', value = {
      "top_k                  | ,\"top_k\":5                                                   | top_k",
      "a server tool          | ,\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}]    | bash_20250124",
      "an unknown field       | ,\"container\":\"c-1\"                                         | container",
      "five stop sequences    | ,\"stop_sequences\":[\"a\",\"b\",\"c\",\"d\",\"e\"]            | stop_sequences",
      "adaptive thinking      | ,\"thinking\":{\"type\":\"adaptive\"}                          | adaptive",
  })
  void whatOpenAiCannotTakeIsListedNotDropped(String rule, String extra, String named) throws Exception {
    assertThat(String.join("; ", request(extra).gaps())).contains(named);
  }

  @Test
  void cacheControlAndThinkingHistoryAreNotGaps() throws Exception {
    AnthropicToOpenAi t = AnthropicToOpenAi.translate(JSON.readTree("""
        {"model":"m","max_tokens":100,"system":[{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},{"type":"text","text":"b"}],
         "messages":[{"role":"user","content":[{"type":"text","text":"q","cache_control":{"type":"ephemeral"}}]},
                     {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"a"}]},
                     {"role":"user","content":"more"}]}
        """));
    assertThat(t.gaps()).isEmpty();
    assertThat(t.body().at("/messages/0")).isEqualTo(JSON.readTree("{\"role\":\"system\",\"content\":\"a\\n\\nb\"}"));
    assertThat(t.body().at("/messages/2")).isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":\"a\"}"));
  }

  @ParameterizedTest(name = "thinking budget {0} → reasoning_effort {1}")
  @CsvSource({"1024, low", "2048, medium", "4096, high", "32000, high"})
  void thinkingBudgetsBecomeReasoningEffort(int budget, String effort) throws Exception {
    JsonNode body = request(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}").body();
    assertThat(body.get("reasoning_effort").asText()).isEqualTo(effort);
  }

  @ParameterizedTest(name = "finish_reason {0} → stop_reason {1}")
  @CsvSource({"stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "content_filter, refusal"})
  void finishReasonsMapToStopReasons(String finish, String stop) {
    assertThat(OpenAiToAnthropic.stopReason(finish)).isEqualTo(stop);
  }

  @Test
  void aCompletionWithReasoningAndToolCallsBecomesThinkingAndToolUseBlocks() throws Exception {
    String completion = """
        {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-x","choices":[{"index":0,"finish_reason":"tool_calls",
          "message":{"role":"assistant","content":"On it.","reasoning_content":"plan",
            "tool_calls":[{"id":"call_9","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":1}"}}]}}],
         "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":10}}}
        """;
    JsonNode msg = JSON.readTree(OpenAiToAnthropic.message(completion.getBytes(StandardCharsets.UTF_8)));
    assertThat(msg.get("id").asText()).isEqualTo("msg_chatcmpl-1");
    assertThat(msg.get("content")).isEqualTo(JSON.readTree("""
        [{"type":"thinking","thinking":"plan","signature":""},{"type":"text","text":"On it."},
         {"type":"tool_use","id":"call_9","name":"lookup","input":{"q":1}}]"""));
    assertThat(msg.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(msg.get("usage")).isEqualTo(JSON.readTree(
        "{\"input_tokens\":30,\"cache_creation_input_tokens\":10,\"cache_read_input_tokens\":60,\"output_tokens\":20}"));
  }

  @Test
  void toolArgumentsThatAreNotAnObjectCannotBecomeAToolUseBlock() {
    String completion = "{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]}}]}";
    assertThatThrownBy(() -> OpenAiToAnthropic.message(completion.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OpenAiToAnthropic.Unrepresentable.class).hasMessageContaining("[1,2]");
  }

  static String sse(String... chunks) {
    StringBuilder sb = new StringBuilder();
    for (String c : chunks) sb.append("data: ").append(c).append("\n\n");
    return sb.toString();
  }

  static List<String> names(String anthropicSse) {
    List<String> out = new ArrayList<>();
    for (String line : anthropicSse.split("\n")) if (line.startsWith("event: ")) out.add(line.substring(7));
    return out;
  }

  @Test
  void streamedToolCallsBecomeToolUseBlocksWithInputJsonDeltas() {
    AnthropicEvents events = new AnthropicEvents();
    String in = sse(
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7}}",
        "[DONE]");
    // Fed in uneven pieces, as the network delivers them.
    StringBuilder out = new StringBuilder();
    byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 13) {
      out.append(new String(events.accept(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 13))), StandardCharsets.UTF_8));
    }
    out.append(new String(events.end(), StandardCharsets.UTF_8));
    assertThat(names(out.toString())).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(out.toString())
        .contains("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"f\",\"input\":{}}}")
        .contains("\"partial_json\":\"{\\\"a\\\":\"")
        .contains("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
            + "\"usage\":{\"input_tokens\":9,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":7}}");
  }

  @Test
  void aStreamWithoutDoneIsStillClosedAndAnErrorChunkBecomesAnErrorEvent() {
    AnthropicEvents closed = new AnthropicEvents();
    String body = new String(closed.accept(sse("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}")
        .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8) + new String(closed.end(), StandardCharsets.UTF_8);
    assertThat(names(body)).endsWith("content_block_stop", "message_delta", "message_stop");

    AnthropicEvents broken = new AnthropicEvents();
    String out = new String(broken.accept(sse("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
        "{\"error\":{\"message\":\"cut\",\"type\":\"api_error\",\"code\":\"upstream_stream_broken\"}}").getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8) + new String(broken.end(), StandardCharsets.UTF_8);
    assertThat(names(out)).endsWith("content_block_delta", "error");
    assertThat(out).contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"cut\"");
  }
}
