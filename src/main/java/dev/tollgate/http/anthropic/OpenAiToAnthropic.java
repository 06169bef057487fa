package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * An OpenAI chat completion as an Anthropic message: content blocks (thinking, text, tool_use),
 * stop reason and usage. An Anthropic adapter's own message, when it came along, is returned as it is.
 */
final class OpenAiToAnthropic {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NATIVE = dev.tollgate.provider.shared.OpenAiShapes.NATIVE_FIELD;

  private OpenAiToAnthropic() {}

  /** Thrown when the answer cannot be said in Anthropic's terms (e.g. tool arguments that are not an object). */
  static final class Unrepresentable extends Exception {
    Unrepresentable(String message) {
      super(message, null, false, false);
    }
  }

  static String stopReason(String finishReason) {
    if (finishReason == null) return "end_turn";
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  static String messageId(String openAiId) {
    if (openAiId == null || openAiId.isEmpty()) return "msg_tollgate";
    return openAiId.startsWith("msg_") ? openAiId : "msg_" + openAiId;
  }

  /** Anthropic usage from an OpenAI usage object: input_tokens excludes the cache reads and writes. */
  static ObjectNode usage(JsonNode u) {
    long prompt = u == null ? 0 : u.path("prompt_tokens").asLong(0);
    long read = u == null ? 0 : u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long write = u == null ? 0 : u.path("prompt_tokens_details").path("cache_write_tokens").asLong(0);
    ObjectNode out = JSON.createObjectNode();
    out.put("input_tokens", Math.max(0, prompt - read - write));
    out.put("cache_creation_input_tokens", write);
    out.put("cache_read_input_tokens", read);
    out.put("output_tokens", u == null ? 0 : u.path("completion_tokens").asLong(0));
    return out;
  }

  static byte[] message(byte[] openAi) throws IOException, Unrepresentable {
    JsonNode root = JSON.readTree(openAi);
    JsonNode nativeAnswer = root.path(NATIVE);
    if ("anthropic".equals(nativeAnswer.path("protocol").asText()) && nativeAnswer.path("body").isObject()) {
      return JSON.writeValueAsBytes(nativeAnswer.get("body"));
    }
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode out = JSON.createObjectNode();
    out.put("id", messageId(root.path("id").asText(null))).put("type", "message").put("role", "assistant");
    out.put("model", root.path("model").asText());
    ArrayNode content = out.putArray("content");
    thinking(message, content);
    String text = message.path("content").isTextual() ? message.get("content").asText() : "";
    if (text.isEmpty() && message.path("refusal").isTextual()) text = message.get("refusal").asText();
    if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText());
      use.set("input", input(call.path("function").path("arguments").asText("")));
    }
    out.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
    out.putNull("stop_sequence");
    out.set("usage", usage(root.get("usage")));
    return JSON.writeValueAsBytes(out);
  }

  private static void thinking(JsonNode message, ArrayNode content) {
    JsonNode blocks = message.path("thinking_blocks");
    if (blocks.isArray() && !blocks.isEmpty()) {
      for (JsonNode b : blocks) {
        if ("redacted_thinking".equals(b.path("type").asText())) {
          content.addObject().put("type", "redacted_thinking").put("data", b.path("data").asText());
        } else {
          content.addObject().put("type", "thinking").put("thinking", b.path("thinking").asText())
              .put("signature", b.path("signature").asText(""));
        }
      }
      return;
    }
    String reasoning = message.path("reasoning_content").asText(message.path("reasoning").asText(""));
    if (!reasoning.isEmpty()) content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
  }

  private static JsonNode input(String arguments) throws Unrepresentable {
    if (arguments.isBlank()) return JSON.createObjectNode();
    try {
      JsonNode parsed = JSON.readTree(arguments);
      if (parsed != null && parsed.isObject()) return parsed;
    } catch (IOException e) {
      // reported below
    }
    throw new Unrepresentable("The model called a tool with arguments that are not a JSON object, which an Anthropic "
        + "tool_use block cannot hold: " + (arguments.length() > 80 ? arguments.substring(0, 80) + "…" : arguments));
  }
}
