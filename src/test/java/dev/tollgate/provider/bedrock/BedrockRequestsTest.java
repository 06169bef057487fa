package dev.tollgate.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.provider.shared.Untranslatable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI → Bedrock Converse request mapping, one rule per row (docs/translation.md). */
class BedrockRequestsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode translate(String extra, String model) throws Exception {
    return BedrockRequests.fromOpenAi(JSON.readTree("{\"model\":\"m\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), model);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource(delimiter = '|', value = {
      "JSON mode                  | ,\"response_format\":{\"type\":\"json_object\"} | response_format",
      "penalties                  | ,\"frequency_penalty\":1                       | frequency_penalty",
      "one call at a time         | ,\"parallel_tool_calls\":false                 | parallel_tool_calls",
      "thinking on a non-Claude   | ,\"reasoning_effort\":\"low\"                  | other than Anthropic",
      "an unknown field           | ,\"audio\":{\"voice\":\"alloy\"}               | audio",
  })
  void optionsConverseCannotHonourAreRefused(String rule, String extra, String named) {
    assertThatThrownBy(() -> translate(extra, "amazon.nova-pro-v1:0")).isInstanceOf(Untranslatable.class).hasMessageContaining(named);
  }

  @Test
  void toolChoiceNoneOffersNoToolsAndAPdfBecomesADocument() throws Exception {
    JsonNode none = translate(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"none\"", "m");
    assertThat(none.has("toolConfig")).isFalse();
    JsonNode pdf = BedrockRequests.fromOpenAi(JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"file\",\"file\":{\"filename\":\"q3.report.pdf\",\"file_data\":\"data:application/pdf;base64,JVBERi0=\"}}]}]}"), "m");
    assertThat(pdf.at("/messages/0/content/0")).isEqualTo(JSON.readTree(
        "{\"document\":{\"format\":\"pdf\",\"name\":\"q3 report pdf\",\"source\":{\"bytes\":\"JVBERi0=\"}}}"));
  }
}
