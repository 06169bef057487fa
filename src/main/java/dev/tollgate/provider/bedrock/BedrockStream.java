package dev.tollgate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.TranslatingSink.StreamError;
import dev.tollgate.provider.shared.TranslatingSink.StreamTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * One ConverseStream answer — AWS event-stream frames, decoded by the AWS SDK's decoder — as
 * OpenAI chunks:
 *
 * <pre>
 *   messageStart                       → role chunk
 *   contentBlockStart  toolUse         → tool_calls chunk with id and name
 *   contentBlockDelta  text            → content chunk
 *                      toolUse.input   → tool_calls arguments chunk
 *                      reasoningContent → reasoning_content (text) or thinking_blocks (signature) chunk
 *   messageStop                        → finish_reason chunk
 *   metadata                           → usage chunk (empty choices), then [DONE]
 *   an exception frame                 → the call fails
 * </pre>
 */
final class BedrockStream implements StreamTranslator {

  private final List<Message> decoded = new ArrayList<>();
  private final MessageDecoder decoder = new MessageDecoder(decoded::add);
  private final TokenCounter tokens;
  private final String model;
  private final String id;
  private final long created;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final StringBuilder visible = new StringBuilder();
  private boolean reasoned;
  private boolean stopped;
  private boolean done;

  BedrockStream(TokenCounter tokens, String model, long created) {
    this.tokens = tokens;
    this.model = model;
    this.created = created;
    this.id = "chatcmpl-bedrock-" + Long.toHexString(created);
  }

  @Override
  public byte[] accept(byte[] chunk) {
    try {
      decoder.feed(chunk);
    } catch (RuntimeException e) {
      throw new StreamError("Bedrock sent a frame that is not a valid event-stream message: " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message m : decoded) frame(m, out);
    decoded.clear();
    return out.toByteArray();
  }

  @Override
  public byte[] end() {
    if (!stopped) throw new StreamError("Bedrock's stream ended before messageStop");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!done) out.writeBytes(OpenAiShapes.DONE); // no metadata frame: the gateway will count the usage itself
    return out.toByteArray();
  }

  private static String header(Message m, String name) {
    HeaderValue v = m.getHeaders().get(name);
    return v == null ? null : v.getString();
  }

  private void frame(Message m, ByteArrayOutputStream out) {
    if (done) return;
    String messageType = header(m, ":message-type");
    JsonNode p;
    try {
      p = OpenAiShapes.JSON.readTree(m.getPayload());
    } catch (IOException e) {
      throw new StreamError("Bedrock sent an event whose payload is not JSON");
    }
    if (!"event".equals(messageType)) {
      String type = header(m, ":exception-type");
      if (type == null) type = header(m, ":error-code");
      throw new StreamError("Bedrock reported an error in the stream: " + (type == null ? "error" : type)
          + (p != null && p.path("message").isTextual() ? " — " + p.get("message").asText() : ""));
    }
    switch (String.valueOf(header(m, ":event-type"))) {
      case "messageStart" -> write(out, obj().put("role", "assistant").put("content", ""), null);
      case "contentBlockStart" -> {
        JsonNode use = p.path("start").path("toolUse");
        if (!use.isMissingNode()) {
          int toolIndex = toolIndexByBlock.size();
          toolIndexByBlock.put(p.path("contentBlockIndex").asInt(), toolIndex);
          visible.append(use.path("name").asText());
          ObjectNode call = obj().put("index", toolIndex).put("id", use.path("toolUseId").asText()).put("type", "function");
          call.putObject("function").put("name", use.path("name").asText()).put("arguments", "");
          ObjectNode d = obj();
          d.putArray("tool_calls").add(call);
          write(out, d, null);
        }
      }
      case "contentBlockDelta" -> delta(p.path("contentBlockIndex").asInt(), p.path("delta"), out);
      case "messageStop" -> {
        stopped = true;
        write(out, obj(), BedrockAnswers.finishReason(p.path("stopReason").asText(null)));
      }
      case "metadata" -> {
        JsonNode u = p.path("usage");
        long reasoning = BedrockAnswers.reasoningTokens(tokens, model, reasoned, u.path("outputTokens").asLong(0), visible.toString());
        ObjectNode c = OpenAiShapes.chunk(id, model, created);
        c.putArray("choices");
        c.set("usage", BedrockAnswers.usage(u, reasoning));
        out.writeBytes(OpenAiShapes.sse(c));
        if (stopped) {
          out.writeBytes(OpenAiShapes.DONE);
          done = true;
        }
      }
      default -> { } // contentBlockStop, and event types added later
    }
  }

  private void delta(int block, JsonNode d, ByteArrayOutputStream out) {
    if (d.has("text")) {
      visible.append(d.get("text").asText());
      write(out, obj().put("content", d.get("text").asText()), null);
    } else if (d.has("toolUse")) {
      Integer toolIndex = toolIndexByBlock.get(block);
      if (toolIndex == null) return;
      String part = d.path("toolUse").path("input").asText("");
      visible.append(part);
      ObjectNode call = obj().put("index", toolIndex);
      call.putObject("function").put("arguments", part);
      ObjectNode delta = obj();
      delta.putArray("tool_calls").add(call);
      write(out, delta, null);
    } else if (d.has("reasoningContent")) {
      reasoned = true;
      JsonNode rc = d.get("reasoningContent");
      if (rc.has("text")) {
        write(out, obj().put("reasoning_content", rc.get("text").asText()), null);
      } else if (rc.has("signature")) {
        ObjectNode delta = obj();
        delta.putArray("thinking_blocks").addObject().put("type", "thinking").put("thinking", "")
            .put("signature", rc.get("signature").asText());
        write(out, delta, null);
      } else if (rc.has("redactedContent")) {
        ObjectNode delta = obj();
        delta.putArray("thinking_blocks").addObject().put("type", "redacted_thinking").put("data", rc.get("redactedContent").asText());
        write(out, delta, null);
      }
    }
  }

  private void write(ByteArrayOutputStream out, ObjectNode delta, String finish) {
    out.writeBytes(OpenAiShapes.sse(OpenAiShapes.deltaChunk(id, model, created, delta, finish)));
  }

  private static ObjectNode obj() {
    return OpenAiShapes.JSON.createObjectNode();
  }
}
