package dev.tollgate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.provider.shared.Untranslatable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI → Gemini request mapping, one rule per row (docs/translation.md). */
class GeminiRequestsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode translate(String extra) throws Exception {
    return GeminiRequests.fromOpenAi(JSON.readTree("{\"model\":\"m\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource(delimiter = '|', value = {
      "n above 1              | ,\"n\":3                                  | 'n'",
      "logprobs               | ,\"logprobs\":true                        | logprobs",
      "one call at a time     | ,\"parallel_tool_calls\":false            | parallel_tool_calls",
      "an unknown field       | ,\"modalities\":[\"audio\"]               | modalities",
      "an unknown effort      | ,\"reasoning_effort\":\"extreme\"         | extreme",
  })
  void optionsGeminiCannotHonourAreRefused(String rule, String extra, String named) {
    assertThatThrownBy(() -> translate(extra)).isInstanceOf(Untranslatable.class).hasMessageContaining(named);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "JSON mode            | ,\"response_format\":{\"type\":\"json_object\"}           | /generationConfig/responseMimeType | \"application/json\"",
      "penalties            | ,\"presence_penalty\":0.5                                 | /generationConfig/presencePenalty  | 0.5",
      "thinking off         | ,\"reasoning_effort\":\"none\"                            | /generationConfig/thinkingConfig   | {\"thinkingBudget\":0}",
      "high effort          | ,\"reasoning_effort\":\"high\"                            | /generationConfig/thinkingConfig   | {\"thinkingBudget\":24576,\"includeThoughts\":true}",
      "required tool choice | ,\"tool_choice\":\"required\"                             | /toolConfig/functionCallingConfig  | {\"mode\":\"ANY\"}",
  })
  void optionsMapToGenerationConfig(String rule, String extra, String pointer, String expected) throws Exception {
    assertThat(translate(extra).at(pointer)).isEqualTo(JSON.readTree(expected));
  }
}
