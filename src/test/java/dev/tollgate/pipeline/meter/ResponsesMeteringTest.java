package dev.tollgate.pipeline.meter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Usage of the Responses API and of embeddings, read from whole answers and from a Responses event stream. */
class ResponsesMeteringTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // usage object                                                                                                    | in | cached | out | reasoning
      "{\"input_tokens\":36,\"input_tokens_details\":{\"cached_tokens\":16},\"output_tokens\":87,\"output_tokens_details\":{\"reasoning_tokens\":64},\"total_tokens\":123} | 36 | 16 | 87 | 64",
      "{\"input_tokens\":10,\"output_tokens\":3}                                                                            | 10 | 0  | 3  | 0",
      "{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":9},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":7}} | 5 | 5 | 2 | 2",
      "{\"prompt_tokens\":8,\"total_tokens\":8}                                                                             | 8  | 0  | 0  | 0"})
  void usageOfResponsesAndEmbeddingsIsReadWithCachedAndReasoningTokensBounded(String usage, long in, long cached, long out,
      long reasoning) throws Exception {
    TokenUsage u = OpenAiUsage.parse(JSON.readTree(usage));

    assertThat(u).isEqualTo(new TokenUsage(in, cached, 0, out, reasoning));
  }

  @Test
  void aResponsesStreamIsPassedOnUnchangedAndMeteredFromResponseCompleted() {
    StreamMeter meter = new StreamMeter(false);
    String created = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"usage\":null}}\n\n";
    String delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"Hi there\"}\n\n";
    String completed = "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":"
        + "{\"usage\":{\"input_tokens\":4,\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":1}}}}\n\n";
    String all = created + delta + completed;

    // Split mid-event, as the network does.
    byte[] first = meter.accept(all.substring(0, created.length() + 10).getBytes(StandardCharsets.UTF_8));
    assertThat(meter.sawContent()).isFalse();
    byte[] rest = meter.accept(all.substring(created.length() + 10).getBytes(StandardCharsets.UTF_8));

    assertThat(new String(first, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8)).isEqualTo(all);
    assertThat(meter.generatedText()).isEqualTo("Hi there");
    assertThat(meter.sawContent()).isTrue();
    assertThat(meter.reportedUsage()).isEqualTo(new TokenUsage(4, 0, 0, 2, 1));
    assertThat(meter.done()).isTrue();
  }

  @Test
  void aResponsesStreamCutBeforeCompletionReportsNoUsageButKeepsTheText() {
    StreamMeter meter = new StreamMeter(false);
    meter.accept(("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Half\"}\n\n"
        + "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{\\\"a\\\"\"}\n\n")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(meter.reportedUsage()).isNull();
    assertThat(meter.generatedText()).isEqualTo("Half{\"a\"");
    assertThat(meter.done()).isFalse();
  }
}
