package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.SseReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The pipeline's OpenAI SSE stream, as it reaches the edge, rewritten into Anthropic's event
 * sequence for the client:
 *
 * <pre>
 *   first chunk            → message_start (usage follows in message_delta), ping
 *   delta.reasoning_content → thinking block: content_block_start, thinking_delta…
 *   delta.content          → text block: content_block_start, text_delta…
 *   delta.tool_calls[i]    → tool_use block: content_block_start (id, name), input_json_delta…
 *   finish_reason          → the open block's content_block_stop; stop_reason remembered
 *   usage chunk            → usage remembered
 *   [DONE] (or the end)    → message_delta (stop_reason, usage), message_stop
 *   {"error":…}            → an error event
 * </pre>
 *
 * A chunk carrying the Anthropic adapter's own events ({@code tollgate_native}) is relayed as those
 * events, byte for byte, and nothing else of that stream is translated.
 */
final class AnthropicEvents {

  private final SseReader reader = new SseReader();
  private final Map<Integer, Integer> blockByTool = new HashMap<>();
  private boolean nativeStream;
  private boolean started;
  private boolean finished;
  private int nextBlock;
  private int openBlock = -1;
  private String openType;
  private String stopReason;
  private JsonNode usage;
  private String id;
  private String model = "";

  /** The next bytes of the OpenAI stream; returns the Anthropic bytes to send now. */
  byte[] accept(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SseReader.Event e : reader.accept(data)) event(e, out);
    return out.toByteArray();
  }

  /** The stream ended: whatever closes the message properly if it has not been closed. */
  byte[] end() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SseReader.Event last = reader.finish();
    if (last != null) event(last, out);
    if (!nativeStream && !finished) finish(out);
    return out.toByteArray();
  }

  private void event(SseReader.Event e, ByteArrayOutputStream out) {
    if (finished) return;
    String data = e.data().trim();
    if (data.isEmpty()) return;
    if (data.equals("[DONE]")) {
      if (!nativeStream) finish(out);
      return;
    }
    JsonNode chunk;
    try {
      chunk = OpenAiToAnthropic.JSON.readTree(data);
    } catch (IOException ex) {
      return; // not an OpenAI chunk; nothing an Anthropic client could read
    }
    if (chunk.has("error")) {
      error(chunk.get("error"), out);
      return;
    }
    JsonNode nat = chunk.path(OpenAiToAnthropic.NATIVE);
    if ("anthropic".equals(nat.path("protocol").asText()) && nat.path("events").isTextual()) {
      nativeStream = true;
      String raw = nat.get("events").asText();
      out.writeBytes(raw.getBytes(StandardCharsets.UTF_8));
      if (!raw.endsWith("\n\n")) out.writeBytes(raw.endsWith("\n") ? new byte[] {'\n'} : new byte[] {'\n', '\n'});
      if (raw.contains("message_stop")) finished = true;
      return;
    }
    if (nativeStream) return; // the native events already said it all
    translate(chunk, out);
  }

  private void translate(JsonNode chunk, ByteArrayOutputStream out) {
    if (!started) start(chunk, out);
    if (chunk.has("usage") && chunk.get("usage").isObject()) usage = chunk.get("usage");
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
      if (!reasoning.isEmpty()) {
        open("thinking", out, b -> b.put("thinking", "").put("signature", ""));
        emit(out, "content_block_delta", delta(obj().put("type", "thinking_delta").put("thinking", reasoning)));
      }
      for (JsonNode tb : delta.path("thinking_blocks")) {
        String sig = tb.path("signature").asText("");
        if (!sig.isEmpty() && "thinking".equals(openType)) {
          emit(out, "content_block_delta", delta(obj().put("type", "signature_delta").put("signature", sig)));
        }
      }
      String text = delta.path("content").asText("");
      if (!text.isEmpty()) {
        open("text", out, b -> b.put("text", ""));
        emit(out, "content_block_delta", delta(obj().put("type", "text_delta").put("text", text)));
      }
      for (JsonNode call : delta.path("tool_calls")) toolCall(call, out);
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        stopReason = OpenAiToAnthropic.stopReason(finish.asText());
        close(out);
      }
    }
  }

  private void toolCall(JsonNode call, ByteArrayOutputStream out) {
    int toolIndex = call.path("index").asInt(0);
    Integer block = blockByTool.get(toolIndex);
    if (block == null) {
      close(out);
      block = nextBlock++;
      blockByTool.put(toolIndex, block);
      openBlock = block;
      openType = "tool_use";
      ObjectNode start = obj().put("type", "content_block_start").put("index", block);
      start.putObject("content_block").put("type", "tool_use").put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText()).putObject("input");
      emit(out, "content_block_start", start);
    }
    String args = call.path("function").path("arguments").asText("");
    if (!args.isEmpty()) {
      ObjectNode d = obj().put("type", "content_block_delta").put("index", block);
      d.putObject("delta").put("type", "input_json_delta").put("partial_json", args);
      emit(out, "content_block_delta", d);
    }
  }

  private void start(JsonNode chunk, ByteArrayOutputStream out) {
    started = true;
    id = OpenAiToAnthropic.messageId(chunk.path("id").asText(null));
    model = chunk.path("model").asText("");
    ObjectNode msg = obj().put("id", id).put("type", "message").put("role", "assistant");
    msg.putArray("content");
    msg.put("model", model).putNull("stop_reason").putNull("stop_sequence");
    msg.set("usage", OpenAiToAnthropic.usage(null));
    ObjectNode start = obj().put("type", "message_start");
    start.set("message", msg);
    emit(out, "message_start", start);
    emit(out, "ping", obj().put("type", "ping"));
  }

  private void open(String type, ByteArrayOutputStream out, java.util.function.Consumer<ObjectNode> fill) {
    if (type.equals(openType)) return;
    close(out);
    openBlock = nextBlock++;
    openType = type;
    ObjectNode block = obj().put("type", type);
    fill.accept(block);
    ObjectNode start = obj().put("type", "content_block_start").put("index", openBlock);
    start.set("content_block", block);
    emit(out, "content_block_start", start);
  }

  private void close(ByteArrayOutputStream out) {
    if (openBlock < 0) return;
    emit(out, "content_block_stop", obj().put("type", "content_block_stop").put("index", openBlock));
    openBlock = -1;
    openType = null;
  }

  private ObjectNode delta(ObjectNode d) {
    ObjectNode e = obj().put("type", "content_block_delta").put("index", openBlock);
    e.set("delta", d);
    return e;
  }

  private void finish(ByteArrayOutputStream out) {
    if (finished) return;
    if (!started) start(obj(), out);
    close(out);
    finished = true;
    ObjectNode md = obj().put("type", "message_delta");
    md.putObject("delta").put("stop_reason", stopReason == null ? "end_turn" : stopReason).putNull("stop_sequence");
    md.set("usage", OpenAiToAnthropic.usage(usage));
    emit(out, "message_delta", md);
    emit(out, "message_stop", obj().put("type", "message_stop"));
  }

  private void error(JsonNode err, ByteArrayOutputStream out) {
    finished = true;
    ObjectNode e = obj().put("type", "error");
    String code = err.path("code").asText("");
    String type = "upstream_timeout".equals(code) ? "timeout_error"
        : err.path("upstream_type").isTextual() ? err.get("upstream_type").asText() : "api_error";
    ObjectNode inner = e.putObject("error").put("type", type).put("message", err.path("message").asText("The stream broke off."));
    if (!code.isEmpty()) inner.put("code", code);
    out.writeBytes(AnthropicErrors.event(e));
  }

  private static ObjectNode obj() {
    return OpenAiToAnthropic.JSON.createObjectNode();
  }

  private static void emit(ByteArrayOutputStream out, String name, ObjectNode data) {
    out.writeBytes(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
  }
}
