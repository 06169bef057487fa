package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.SseReader;
import dev.tollgate.provider.shared.TranslatingSink.StreamError;
import dev.tollgate.provider.shared.TranslatingSink.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * One {@code streamGenerateContent?alt=sse} stream as OpenAI chunks. Every Gemini event is a
 * partial GenerateContentResponse: its text parts become content deltas, thought parts reasoning
 * deltas, function calls whole tool-call deltas; the event with a {@code finishReason} gives the
 * finish chunk. Gemini sends no end marker: when the connection ends after a finish reason, the
 * last usage seen becomes the usage chunk and {@code [DONE]} follows; an end without one is a
 * broken stream.
 */
final class GeminiStream implements StreamTranslator {

  private final SseReader reader = new SseReader();
  private final long created;
  private String id = "chatcmpl-gemini";
  private String model = "";
  private JsonNode usage;
  private String finishReason;
  private boolean started;
  private int calls;

  GeminiStream(long created) {
    this.created = created;
  }

  @Override
  public byte[] accept(byte[] chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SseReader.Event e : reader.accept(chunk)) event(e, out);
    return out.toByteArray();
  }

  @Override
  public byte[] end() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SseReader.Event last = reader.finish();
    if (last != null) event(last, out);
    if (finishReason == null) throw new StreamError("Gemini's stream ended without a finish reason");
    out.writeBytes(OpenAiShapes.sse(OpenAiShapes.deltaChunk(id, model, created, obj(), finishReason)));
    ObjectNode u = OpenAiShapes.chunk(id, model, created);
    u.putArray("choices");
    u.set("usage", GeminiAnswers.usage(usage == null ? obj() : usage));
    out.writeBytes(OpenAiShapes.sse(u));
    out.writeBytes(OpenAiShapes.DONE);
    return out.toByteArray();
  }

  private void event(SseReader.Event e, ByteArrayOutputStream out) {
    if (e.data().isBlank()) return;
    JsonNode r;
    try {
      r = OpenAiShapes.JSON.readTree(e.data());
    } catch (IOException ex) {
      throw new StreamError("Gemini sent a stream event that is not JSON: " + ex.getMessage());
    }
    if (r.has("error")) {
      throw new StreamError("Gemini reported an error in the stream: " + r.path("error").path("status").asText("error")
          + " — " + r.path("error").path("message").asText(""));
    }
    if (!started) {
      started = true;
      if (r.path("responseId").isTextual()) id = "chatcmpl-" + r.get("responseId").asText();
      model = r.path("modelVersion").asText("");
      write(out, obj().put("role", "assistant").put("content", ""));
    }
    if (r.has("usageMetadata")) usage = r.get("usageMetadata");
    JsonNode candidate = r.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        ObjectNode d = obj();
        d.putArray("tool_calls").add(GeminiAnswers.toolCall(part, calls++, true));
        write(out, d);
      } else if (part.path("text").isTextual() && !part.get("text").asText().isEmpty()) {
        String key = part.path("thought").asBoolean(false) ? "reasoning_content" : "content";
        write(out, obj().put(key, part.get("text").asText()));
      }
    }
    if (candidate.path("finishReason").isTextual()) {
      finishReason = GeminiAnswers.finishReason(candidate.get("finishReason").asText(), calls > 0);
    } else if (candidate.isMissingNode() && r.path("promptFeedback").has("blockReason")) {
      finishReason = "content_filter";
    }
  }

  private void write(ByteArrayOutputStream out, ObjectNode delta) {
    out.writeBytes(OpenAiShapes.sse(OpenAiShapes.deltaChunk(id, model, created, delta, null)));
  }

  private static ObjectNode obj() {
    return OpenAiShapes.JSON.createObjectNode();
  }
}
