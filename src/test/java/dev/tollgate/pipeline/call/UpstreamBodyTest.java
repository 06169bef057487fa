package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpstreamBodyTest {

  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static String encode(String body, String model, boolean includeUsage) throws Exception {
    ObjectNode tree = (ObjectNode) JSON.readTree(body);
    return new String(UpstreamBody.encode(tree, model, includeUsage, body.length()), StandardCharsets.UTF_8);
  }

  @Test
  void theRoutedModelReplacesTheRequestedOneInPlaceAndEverythingElseIsKeptAsSent() throws Exception {
    String sent = "{\"temperature\":0.7,\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo \\\"you\\\"\"}],"
        + "\"top_p\":1E+2,\"metadata\":{\"a\":[1,2,{\"b\":null}]}}";
    assertThat(encode(sent, "gpt-4o-mini", false)).isEqualTo(sent.replace("\"smart\"", "\"gpt-4o-mini\""));
  }

  @Test
  void aStreamAsksForUsageKeepingTheClientsOtherStreamOptions() throws Exception {
    String sent = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_obfuscation\":false},\"messages\":[]}";
    assertThat(encode(sent, "m", true))
        .isEqualTo("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,\"include_usage\":true},\"messages\":[]}");
  }

  @Test
  void streamOptionsAreAddedWhenTheClientSentNone() throws Exception {
    assertThat(encode("{\"model\":\"m\",\"stream\":true,\"messages\":[]}", "n", true))
        .isEqualTo("{\"model\":\"n\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}");
    assertThat(encode("{\"model\":\"m\",\"stream_options\":null}", "n", true))
        .isEqualTo("{\"model\":\"n\",\"stream_options\":{\"include_usage\":true}}");
  }

  @Test
  void theSameBodyAsTheTreeWouldGive() throws Exception {
    String sent = "{\"model\":\"m\",\"n\":2,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}],\"stream\":true}";
    ObjectNode expected = (ObjectNode) JSON.readTree(sent);
    expected.put("model", "x").withObject("/stream_options").put("include_usage", true);
    assertThat(JSON.readTree(encode(sent, "x", true))).isEqualTo(expected);
  }

  static String splice(String raw, String model, boolean includeUsage) {
    byte[] out = UpstreamBody.splice(raw.getBytes(StandardCharsets.UTF_8), model, includeUsage);
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void theClientsBytesAreKeptExactlyWithOnlyTheModelReplaced() {
    String sent = "{ \"temperature\": 0.70,\n  \"model\" : \"sm\\u0061rt\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo \\\"you\\\" \ud83d\ude42\"}],"
        + "\"top_p\":1E+2}\n";
    assertThat(splice(sent, "gpt-4o-mini", false)).isEqualTo(sent.replace("\"sm\\u0061rt\"", "\"gpt-4o-mini\""));
  }

  @Test
  void aSplicedStreamAsksForUsageAtTheEnd() throws Exception {
    String sent = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";
    String out = splice(sent, "n\"q", true);
    assertThat(out).isEqualTo("{\"model\":\"n\\\"q\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}");
    assertThat(JSON.readTree(out).path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void whatASpliceCannotDoIsLeftToTheEncoder() {
    assertThat(splice("{\"model\":\"a\",\"model\":\"b\"}", "x", false)).isNull();
    assertThat(splice("{\"messages\":[]}", "x", false)).isNull();
    assertThat(splice("{\"model\":\"a\",\"stream_options\":{\"include_usage\":false}}", "x", true)).isNull();
    assertThat(splice("{\"model\":\"a\"} trailing", "x", false)).isNull();
    assertThat(splice("{\"model\":\"a\",\"stream_options\":{}}", "x", false)).isEqualTo("{\"model\":\"x\",\"stream_options\":{}}");
  }

  @Test
  void aSpliceSaysTheSameAsTheEncoder() throws Exception {
    String sent = "{\"n\":2,\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"model\":\"inner\"}}}],\"stream\":true}";
    ObjectNode tree = (ObjectNode) JSON.readTree(sent);
    String encoded = new String(UpstreamBody.encode(tree, "x", true, 0), StandardCharsets.UTF_8);
    assertThat(JSON.readTree(splice(sent, "x", true))).isEqualTo(JSON.readTree(encoded));
  }
}
