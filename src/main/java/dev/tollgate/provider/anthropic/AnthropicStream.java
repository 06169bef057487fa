package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.SseReader;
import dev.tollgate.provider.shared.TranslatingSink.StreamError;
import dev.tollgate.provider.shared.TranslatingSink.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One Anthropic Messages stream, event by event, as OpenAI chat-completion chunks.
 *
 * <pre>
 *   message_start                      → role chunk (input usage remembered)
 *   content_block_start  tool_use      → tool_calls chunk with id and name
 *   content_block_delta  text_delta    → content chunk
 *                        input_json_delta → tool_calls arguments chunk
 *                        thinking_delta → reasoning_content chunk
 *                        signature_delta → thinking_blocks chunk carrying the signature
 *   message_delta                      → finish_reason chunk, then the usage chunk (empty choices)
 *   message_stop                       → data: [DONE]
 *   ping                               → nothing
 *   error                              → the call fails (the pipeline tells the client and the ledger)
 * </pre>
 *
 * For a client that speaks Anthropic itself ({@code keepNative}), every event also travels in its
 * own words under {@code tollgate_native.events}, so the edge can relay it exactly; events that
 * make no OpenAI delta then go in a chunk with empty choices.
 */
final class AnthropicStream implements StreamTranslator {

  private final SseReader reader = new SseReader();
  private final TokenCounter tokens;
  private final boolean keepNative;
  private final long created;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final Map<Integer, String> blockTypes = new HashMap<>();
  private final StringBuilder visible = new StringBuilder();
  private String id = "msg";
  private String model = "";
  private AnthropicAnswers.Usage usage = AnthropicAnswers.Usage.NONE;
  private boolean thought;
  private boolean started;
  private boolean stopped;

  AnthropicStream(TokenCounter tokens, boolean keepNative, long created) {
    this.tokens = tokens;
    this.keepNative = keepNative;
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
    if (!stopped) throw new StreamError("Anthropic's stream ended before message_stop");
    return out.toByteArray();
  }

  private void event(SseReader.Event e, ByteArrayOutputStream out) {
    if (stopped) return;
    JsonNode data;
    try {
      data = e.data().isEmpty() ? OpenAiShapes.JSON.createObjectNode() : OpenAiShapes.JSON.readTree(e.data());
    } catch (IOException ex) {
      throw new StreamError("Anthropic sent a stream event that is not JSON: " + ex.getMessage());
    }
    String type = data.path("type").asText(e.name() == null ? "" : e.name());
    int before = out.size();
    switch (type) {
      case "message_start" -> {
        JsonNode msg = data.path("message");
        id = msg.path("id").asText(id);
        model = msg.path("model").asText(model);
        usage = usage.merge(msg.get("usage"));
        started = true;
        write(out, delta(obj().put("role", "assistant").put("content", ""), null), e);
      }
      case "content_block_start" -> blockStart(data, e, out);
      case "content_block_delta" -> blockDelta(data, e, out);
      case "message_delta" -> {
        usage = usage.merge(data.get("usage"));
        String finish = AnthropicAnswers.finishReason(data.path("delta").path("stop_reason").asText(null));
        write(out, delta(obj(), finish), e);
        ObjectNode u = OpenAiShapes.chunk(id, model, created);
        u.putArray("choices");
        long reasoning = AnthropicAnswers.reasoningTokens(tokens, model, thought, usage.output(), visible.toString());
        u.set("usage", usage.toOpenAi(reasoning));
        write(out, u, null);
      }
      case "message_stop" -> {
        stopped = true;
        if (keepNative) write(out, empty(), e);
        out.writeBytes(OpenAiShapes.DONE);
      }
      case "error" -> {
        JsonNode err = data.path("error");
        throw new StreamError("Anthropic reported an error in the stream: " + err.path("type").asText("error")
            + (err.path("message").isTextual() ? " — " + err.get("message").asText() : ""));
      }
      default -> { } // ping, content_block_stop and events added later carry nothing for OpenAI clients
    }
    if (keepNative && out.size() == before) write(out, empty(), e);
    if (!started && !"ping".equals(type) && !"error".equals(type)) {
      throw new StreamError("Anthropic's stream did not begin with message_start");
    }
  }

  private void blockStart(JsonNode data, SseReader.Event e, ByteArrayOutputStream out) {
    int index = data.path("index").asInt();
    JsonNode block = data.path("content_block");
    String type = block.path("type").asText();
    blockTypes.put(index, type);
    switch (type) {
      case "tool_use" -> {
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(index, toolIndex);
        visible.append(block.path("name").asText());
        ObjectNode call = obj().put("index", toolIndex).put("id", block.path("id").asText()).put("type", "function");
        call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
        ObjectNode d = obj();
        d.putArray("tool_calls").add(call);
        write(out, delta(d, null), e);
      }
      case "text" -> {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) {
          visible.append(text);
          write(out, delta(obj().put("content", text), null), e);
        }
      }
      case "thinking" -> thought = true;
      case "redacted_thinking" -> {
        thought = true;
        ObjectNode d = obj();
        d.putArray("thinking_blocks").addObject().put("type", "redacted_thinking").put("data", block.path("data").asText());
        write(out, delta(d, null), e);
      }
      default -> { }
    }
  }

  private void blockDelta(JsonNode data, SseReader.Event e, ByteArrayOutputStream out) {
    int index = data.path("index").asInt();
    JsonNode d = data.path("delta");
    switch (d.path("type").asText()) {
      case "text_delta" -> {
        String text = d.path("text").asText();
        visible.append(text);
        write(out, delta(obj().put("content", text), null), e);
      }
      case "input_json_delta" -> {
        Integer toolIndex = toolIndexByBlock.get(index);
        if (toolIndex == null) return; // a server tool's input: not the client's to call
        String part = d.path("partial_json").asText();
        visible.append(part);
        ObjectNode call = obj().put("index", toolIndex);
        call.putObject("function").put("arguments", part);
        ObjectNode delta = obj();
        delta.putArray("tool_calls").add(call);
        write(out, delta(delta, null), e);
      }
      case "thinking_delta" -> write(out, delta(obj().put("reasoning_content", d.path("thinking").asText()), null), e);
      case "signature_delta" -> {
        ObjectNode delta = obj();
        delta.putArray("thinking_blocks").addObject().put("type", "thinking").put("thinking", "")
            .put("signature", d.path("signature").asText());
        write(out, delta(delta, null), e);
      }
      default -> { } // citations_delta and later kinds: the text itself already went by
    }
  }

  private ObjectNode delta(ObjectNode delta, String finish) {
    return OpenAiShapes.deltaChunk(id, model, created, delta, finish);
  }

  private ObjectNode empty() {
    ObjectNode c = OpenAiShapes.chunk(id, model, created);
    c.putArray("choices");
    return c;
  }

  /** Writes one chunk; the first chunk of an event carries the event itself for an Anthropic client. */
  private void write(ByteArrayOutputStream out, ObjectNode chunk, SseReader.Event e) {
    if (keepNative && e != null) chunk.putObject(AnthropicAnswers.NATIVE).put("protocol", "anthropic").put("events", e.raw());
    out.writeBytes(OpenAiShapes.sse(chunk));
  }

  private static ObjectNode obj() {
    return OpenAiShapes.JSON.createObjectNode();
  }
}
