package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.OpenAiShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Gemini answers in the OpenAI wire format.
 *
 * <p>Usage: {@code promptTokenCount} already includes the cached content, so it is
 * {@code prompt_tokens} as it is (plus {@code toolUsePromptTokenCount}, billed as input), with
 * {@code cachedContentTokenCount} as {@code cached_tokens}. Gemini's {@code candidatesTokenCount}
 * leaves out the thinking, which is billed as output: {@code completion_tokens} is candidates plus
 * {@code thoughtsTokenCount}, and {@code reasoning_tokens} the thoughts.
 */
final class GeminiAnswers {

  private GeminiAnswers() {}

  static ObjectNode usage(JsonNode meta) {
    long prompt = meta.path("promptTokenCount").asLong(0) + meta.path("toolUsePromptTokenCount").asLong(0);
    long cached = meta.path("cachedContentTokenCount").asLong(0);
    long thoughts = meta.path("thoughtsTokenCount").asLong(0);
    long output = meta.path("candidatesTokenCount").asLong(0) + thoughts;
    return OpenAiShapes.usage(prompt, cached, 0, output, thoughts);
  }

  static String finishReason(String reason, boolean calledTools) {
    if (calledTools) return "tool_calls";
    if (reason == null) return "stop";
    return switch (reason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
      default -> "stop";
    };
  }

  static byte[] completion(byte[] body, long created) throws IOException {
    JsonNode root = OpenAiShapes.JSON.readTree(body);
    if (root == null || !root.isObject() || (!root.has("candidates") && !root.has("promptFeedback"))) {
      throw new IOException("not a Gemini GenerateContentResponse");
    }
    ObjectNode out = OpenAiShapes.JSON.createObjectNode();
    out.put("id", "chatcmpl-" + root.path("responseId").asText("gemini")).put("object", "chat.completion")
        .put("created", created).put("model", root.path("modelVersion").asText(""));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    JsonNode candidate = root.path("candidates").path(0);
    StringBuilder text = new StringBuilder();
    StringBuilder thoughts = new StringBuilder();
    ArrayNode calls = OpenAiShapes.JSON.createArrayNode();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        calls.add(toolCall(part, calls.size(), false));
      } else if (part.path("thought").asBoolean(false)) {
        thoughts.append(part.path("text").asText(""));
      } else if (part.path("text").isTextual()) {
        text.append(part.get("text").asText());
      }
    }
    if (text.length() > 0 || calls.isEmpty()) message.put("content", text.toString());
    else message.putNull("content");
    if (!calls.isEmpty()) message.set("tool_calls", calls);
    if (thoughts.length() > 0) message.put("reasoning_content", thoughts.toString());
    choice.putNull("logprobs");
    String reason = candidate.path("finishReason").asText(null);
    if (candidate.isMissingNode() && root.path("promptFeedback").has("blockReason")) reason = "SAFETY";
    choice.put("finish_reason", finishReason(reason, !calls.isEmpty()));
    out.set("usage", usage(root.path("usageMetadata")));
    return OpenAiShapes.JSON.writeValueAsBytes(out);
  }

  /** One function-call part as an OpenAI tool call (with its index when streamed). */
  static ObjectNode toolCall(JsonNode part, int index, boolean withIndex) {
    JsonNode fc = part.get("functionCall");
    ObjectNode call = OpenAiShapes.JSON.createObjectNode();
    if (withIndex) call.put("index", index);
    call.put("id", GeminiRequests.callId(fc.path("id").asText(null), index, part.path("thoughtSignature").asText(null)))
        .put("type", "function");
    call.putObject("function").put("name", fc.path("name").asText())
        .put("arguments", fc.has("args") ? fc.get("args").toString() : "{}");
    return call;
  }

  /** Gemini's error body ({@code {"error":{"code","message","status"}}}) in OpenAI's shape, the status kept as type and code. */
  static byte[] error(int status, byte[] body) {
    String message = null;
    String type = "api_error";
    try {
      JsonNode root = OpenAiShapes.JSON.readTree(body);
      JsonNode err = root == null ? null : (root.isArray() ? root.path(0) : root).path("error");
      if (err != null && err.path("message").isTextual()) message = err.get("message").asText();
      if (err != null && err.path("status").isTextual()) type = err.get("status").asText();
    } catch (IOException e) {
      // not JSON: described below
    }
    if (message == null) {
      String raw = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
      message = "Gemini answered HTTP " + status + (raw.isEmpty() ? "" : ": " + raw);
    }
    return OpenAiShapes.error(message, type, type);
  }
}
