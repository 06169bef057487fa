package dev.tollgate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.provider.shared.Untranslatable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI → Anthropic request mapping, one rule per row (docs/translation.md). */
class AnthropicRequestsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";

  static JsonNode translate(String extraFields, String messages) throws Exception {
    String body = "{\"model\":\"m\"" + extraFields + ",\"messages\":[" + messages + "]}";
    return AnthropicRequests.fromOpenAi(JSON.readTree(body), "claude-x", 4096);
  }

  @ParameterizedTest(name = "{0} is refused, naming {2}")
  @CsvSource(delimiter = '|', value = {
      "n above 1                 | ,\"n\":2                                         | 'n' above 1",
      "logprobs                  | ,\"logprobs\":true                               | logprobs",
      "frequency penalty         | ,\"frequency_penalty\":0.5                       | frequency_penalty",
      "presence penalty          | ,\"presence_penalty\":-1                         | presence_penalty",
      "logit bias                | ,\"logit_bias\":{\"50256\":-100}                 | logit_bias",
      "JSON mode                 | ,\"response_format\":{\"type\":\"json_object\"}  | response_format",
      "temperature above 1       | ,\"temperature\":1.5                             | temperature",
      "audio output              | ,\"modalities\":[\"text\",\"audio\"]             | modalities",
      "an unknown field          | ,\"frobnicate\":true                             | frobnicate",
      "a non-function tool       | ,\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}] | custom",
      "legacy functions          | ,\"functions\":[{\"name\":\"f\"}]                | functions",
      "thinking in a tiny budget | ,\"reasoning_effort\":\"high\",\"max_tokens\":500 | reasoning_effort",
  })
  void requestOptionsAnthropicLacksAreRefused(String rule, String extra, String named) {
    assertThatThrownBy(() -> translate(extra, USER)).isInstanceOf(Untranslatable.class).hasMessageContaining(named);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource(delimiter = '|', value = {
      "a system message mid-conversation | {\"role\":\"user\",\"content\":\"a\"},{\"role\":\"system\",\"content\":\"b\"} | system message after",
      "audio input        | {\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"x\",\"format\":\"wav\"}}]} | audio",
      "a bmp image        | {\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/bmp;base64,Qk0=\"}}]} | image/bmp",
      "a file id          | {\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}]} | file part",
      "arguments not JSON | {\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]} | not a JSON object",
      "a function message | {\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"} | function",
  })
  void messagesAnthropicCannotTakeAreRefused(String rule, String messages, String named) {
    assertThatThrownBy(() -> translate("", messages)).isInstanceOf(Untranslatable.class).hasMessageContaining(named);
  }

  @ParameterizedTest(name = "tool_choice {0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "\"auto\"                                            | {\"type\":\"auto\"}",
      "\"required\"                                        | {\"type\":\"any\"}",
      "\"none\"                                            | {\"type\":\"none\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"f\"}} | {\"type\":\"tool\",\"name\":\"f\"}",
  })
  void toolChoiceMapsToItsAnthropicForm(String openAi, String anthropic) throws Exception {
    JsonNode out = translate(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":" + openAi, USER);
    assertThat(out.get("tool_choice")).isEqualTo(JSON.readTree(anthropic));
    assertThat(out.at("/tools/0/input_schema/type").asText()).as("a tool without parameters takes an empty object").isEqualTo("object");
  }

  @ParameterizedTest(name = "reasoning_effort {0} → budget {1}")
  @CsvSource({"low, 1024", "medium, 2048", "high, 4096"})
  void reasoningEffortBecomesAThinkingBudget(String effort, int budget) throws Exception {
    JsonNode out = translate(",\"reasoning_effort\":\"" + effort + "\",\"max_completion_tokens\":8000", USER);
    assertThat(out.at("/thinking/budget_tokens").asInt()).isEqualTo(budget);
    assertThat(out.get("max_tokens").asInt()).isEqualTo(8000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "leading system and developer messages join the system prompt | {\"role\":\"system\",\"content\":\"a\"},{\"role\":\"developer\",\"content\":\"b\"}," + "{\"role\":\"user\",\"content\":\"hi\"} | [{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]",
      "one system message stays a string | {\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]},{\"role\":\"user\",\"content\":\"hi\"} | \"a\"",
  })
  void systemMessagesBecomeTheSystemPrompt(String rule, String messages, String system) throws Exception {
    assertThat(translate("", messages).get("system")).isEqualTo(JSON.readTree(system));
  }

  @org.junit.jupiter.api.Test
  void consecutiveToolResultsAndAUserMessageMergeIntoOneUserTurn() throws Exception {
    JsonNode out = translate("", USER + ",{\"role\":\"assistant\",\"tool_calls\":["
        + "{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
        + "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"1\"},{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":[{\"type\":\"text\",\"text\":\"2\"}]},"
        + "{\"role\":\"user\",\"content\":\"next\"}");
    assertThat(out.get("messages")).hasSize(3);
    assertThat(out.at("/messages/1/content")).hasSize(2);
    JsonNode last = out.at("/messages/2/content");
    assertThat(last).hasSize(3);
    assertThat(last.get(0).get("tool_use_id").asText()).isEqualTo("a");
    assertThat(last.get(1).get("content").asText()).isEqualTo("2");
    assertThat(last.get(2).get("text").asText()).isEqualTo("next");
  }

  @org.junit.jupiter.api.Test
  void signedThinkingGoesBackAndUnsignedReasoningIsLeftOut() throws Exception {
    JsonNode out = translate("", USER + ",{\"role\":\"assistant\",\"content\":\"4\",\"reasoning_content\":\"unsigned\","
        + "\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"sig\"}]},{\"role\":\"user\",\"content\":\"ok\"}");
    JsonNode assistant = out.at("/messages/1/content");
    assertThat(assistant.get(0)).isEqualTo(JSON.readTree("{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"sig\"}"));
    assertThat(assistant.get(1).get("text").asText()).isEqualTo("4");
    assertThat(assistant.toString()).doesNotContain("unsigned");
  }
}
