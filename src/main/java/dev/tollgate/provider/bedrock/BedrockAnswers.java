package dev.tollgate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.OpenAiShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bedrock Converse answers in the OpenAI wire format.
 *
 * <p>Usage: Converse's {@code inputTokens} leaves out prompt-cache reads and writes
 * ({@code cacheReadInputTokens}, {@code cacheWriteInputTokens}), so {@code prompt_tokens} is their
 * sum. Converse does not say how much of {@code outputTokens} was reasoning; where the answer
 * reasoned, it is the output minus what the visible answer counts.
 */
final class BedrockAnswers {

  private BedrockAnswers() {}

  static String finishReason(String stopReason) {
    if (stopReason == null) return "stop";
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "guardrail_intervened", "content_filtered" -> "content_filter";
      default -> "stop";
    };
  }

  static ObjectNode usage(JsonNode u, long reasoning) {
    long read = u.path("cacheReadInputTokens").asLong(0);
    long write = u.path("cacheWriteInputTokens").asLong(0);
    long output = u.path("outputTokens").asLong(0);
    return OpenAiShapes.usage(u.path("inputTokens").asLong(0) + read + write, read, write, output, Math.min(reasoning, output));
  }

  static long reasoningTokens(TokenCounter tokens, String model, boolean reasoned, long output, String visible) {
    if (!reasoned) return 0;
    return Math.max(0, output - (visible.isEmpty() ? 0 : tokens.count(model, visible)));
  }

  static byte[] completion(byte[] body, String model, TokenCounter tokens, long created) throws IOException {
    JsonNode root = OpenAiShapes.JSON.readTree(body);
    if (root == null || !root.path("output").has("message")) throw new IOException("not a Converse response");
    ObjectNode out = OpenAiShapes.JSON.createObjectNode();
    out.put("id", "chatcmpl-bedrock-" + Long.toHexString(created) + Integer.toHexString(body.length))
        .put("object", "chat.completion").put("created", created).put("model", model);
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder visible = new StringBuilder();
    ArrayNode calls = OpenAiShapes.JSON.createArrayNode();
    ArrayNode thinking = OpenAiShapes.JSON.createArrayNode();
    for (JsonNode block : root.path("output").path("message").path("content")) {
      if (block.has("text")) {
        text.append(block.get("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        String args = use.path("input").toString();
        visible.append(use.path("name").asText()).append(args);
        ObjectNode call = calls.addObject().put("id", use.path("toolUseId").asText()).put("type", "function");
        call.putObject("function").put("name", use.path("name").asText()).put("arguments", args);
      } else if (block.has("reasoningContent")) {
        JsonNode rc = block.get("reasoningContent");
        if (rc.has("reasoningText")) {
          reasoning.append(rc.get("reasoningText").path("text").asText());
          thinking.addObject().put("type", "thinking").put("thinking", rc.get("reasoningText").path("text").asText())
              .put("signature", rc.get("reasoningText").path("signature").asText(""));
        } else if (rc.has("redactedContent")) {
          thinking.addObject().put("type", "redacted_thinking").put("data", rc.get("redactedContent").asText());
        }
      }
    }
    visible.insert(0, text);
    if (text.length() > 0 || calls.isEmpty()) message.put("content", text.toString());
    else message.putNull("content");
    if (!calls.isEmpty()) message.set("tool_calls", calls);
    if (reasoning.length() > 0) message.put("reasoning_content", reasoning.toString());
    if (!thinking.isEmpty()) message.set("thinking_blocks", thinking);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(root.path("stopReason").asText(null)));
    JsonNode u = root.path("usage");
    out.set("usage", usage(u, reasoningTokens(tokens, model, !thinking.isEmpty(), u.path("outputTokens").asLong(0), visible.toString())));
    return OpenAiShapes.JSON.writeValueAsBytes(out);
  }

  /**
   * A Bedrock error (type in {@code x-amzn-errortype}, e.g. {@code ThrottlingException:http://…}, and
   * {@code {"message"}} in the body) in OpenAI's shape, the type kept as both type and code.
   */
  static byte[] error(int status, Map<String, String> headers, byte[] body) {
    String type = headers.getOrDefault("x-amzn-errortype", "");
    int colon = type.indexOf(':');
    if (colon >= 0) type = type.substring(0, colon);
    String message = null;
    try {
      JsonNode root = OpenAiShapes.JSON.readTree(body);
      if (root != null) {
        if (root.path("message").isTextual()) message = root.get("message").asText();
        else if (root.path("Message").isTextual()) message = root.get("Message").asText();
        if (type.isEmpty() && root.path("__type").isTextual()) type = root.get("__type").asText();
      }
    } catch (IOException e) {
      // not JSON: described below
    }
    if (type.isEmpty()) type = "api_error";
    if (message == null) {
      String raw = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
      message = "Bedrock answered HTTP " + status + (raw.isEmpty() ? "" : ": " + raw);
    }
    return OpenAiShapes.error(message, type, type);
  }
}
