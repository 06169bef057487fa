package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The body sent upstream: the client's, field for field in its order, with {@code model} set to the
 * routed model and, when asked, {@code stream_options.include_usage} turned on. When the guard left
 * the prompt alone, the client's bytes are spliced ({@link #splice}); otherwise the body is written
 * straight from the decoded tree ({@link #encode}) — never from a deep copy of it.
 */
final class UpstreamBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private UpstreamBody() {}

  /**
   * The client's own bytes with only the model's value replaced (and, for a stream, {@code
   * stream_options} added) — no re-encoding of a prompt that may be 64 KB. Null when the body is not
   * the simple case this handles (no or a repeated top-level {@code model}, a {@code stream_options}
   * of the client's own to merge, anything after the object): then {@link #encode} writes it.
   */
  static byte[] splice(byte[] raw, String model, boolean includeUsage) {
    try (JsonParser p = JSON.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      long modelFrom = -1;
      long modelTo = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("model")) {
          if (modelFrom >= 0 || value != JsonToken.VALUE_STRING) return null;
          modelFrom = p.currentTokenLocation().getByteOffset();
          p.finishToken(); // strings are read lazily; the location after them needs the whole token
          modelTo = p.currentLocation().getByteOffset();
        } else if (includeUsage && name.equals("stream_options")) {
          return null;
        } else {
          p.skipChildren();
        }
      }
      long close = p.currentTokenLocation().getByteOffset();
      if (modelFrom < 0 || p.nextToken() != null) return null;
      byte[] quoted = JSON.writeValueAsBytes(model);
      byte[] usage = includeUsage ? ",\"stream_options\":{\"include_usage\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
          : new byte[0];
      int from = (int) modelFrom;
      int to = (int) modelTo;
      int end = (int) close;
      byte[] out = new byte[raw.length - (to - from) + quoted.length + usage.length];
      System.arraycopy(raw, 0, out, 0, from);
      System.arraycopy(quoted, 0, out, from, quoted.length);
      int at = from + quoted.length;
      System.arraycopy(raw, to, out, at, end - to);
      at += end - to;
      System.arraycopy(usage, 0, out, at, usage.length);
      at += usage.length;
      System.arraycopy(raw, end, out, at, raw.length - end);
      return out;
    } catch (IOException e) {
      return null;
    }
  }

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
