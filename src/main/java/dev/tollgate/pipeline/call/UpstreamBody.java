package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The body sent upstream: the client's, field for field in its order, with {@code model} set to the
 * routed model and, when asked, {@code stream_options.include_usage} turned on. Written straight from
 * the decoded tree — not from a copy of it, which used to cost a deep copy per request.
 */
final class UpstreamBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private UpstreamBody() {}

  static byte[] encode(ObjectNode body, String model, boolean includeUsage, int sizeHint) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, sizeHint + 64));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      boolean modelWritten = false;
      boolean usageWritten = false;
      for (Map.Entry<String, JsonNode> field : body.properties()) {
        String name = field.getKey();
        if (name.equals("model")) {
          g.writeStringField("model", model);
          modelWritten = true;
        } else if (includeUsage && name.equals("stream_options")) {
          streamOptions(g, field.getValue());
          usageWritten = true;
        } else {
          g.writeFieldName(name);
          JSON.writeTree(g, field.getValue());
        }
      }
      if (!modelWritten) g.writeStringField("model", model);
      if (includeUsage && !usageWritten) streamOptions(g, null);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** The client's stream options, if any, with {@code include_usage: true}. */
  private static void streamOptions(JsonGenerator g, JsonNode options) throws IOException {
    g.writeObjectFieldStart("stream_options");
    if (options != null && options.isObject()) {
      for (Map.Entry<String, JsonNode> option : options.properties()) {
        if (option.getKey().equals("include_usage")) continue;
        g.writeFieldName(option.getKey());
        JSON.writeTree(g, option.getValue());
      }
    }
    g.writeBooleanField("include_usage", true);
    g.writeEndObject();
  }
}
