package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.OpenAiShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic answers in the OpenAI wire format: a whole message as a chat completion, the usage
 * object, stop reasons, and error bodies.
 *
 * <p>Usage: Anthropic's {@code input_tokens} excludes the prompt-cache reads and writes, OpenAI's
 * {@code prompt_tokens} includes them; so {@code prompt_tokens} is the sum, {@code cached_tokens}
 * the reads and {@code cache_write_tokens} (Tollgate's extension) the writes. Anthropic counts
 * thinking inside {@code output_tokens} without saying how much; where the answer thought, the
 * reasoning tokens are the output minus what the visible answer counts.
 */
final class AnthropicAnswers {

  static final String NATIVE = OpenAiShapes.NATIVE_FIELD;

  private AnthropicAnswers() {}

  static String finishReason(String stopReason) {
    if (stopReason == null) return "stop";
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /** Token usage of one answer, as Anthropic reports it. */
  record Usage(long input, long cacheRead, long cacheWrite, long output) {
    static final Usage NONE = new Usage(0, 0, 0, 0);

    /** Fields present in {@code u} replace this usage's (message_delta carries cumulative counts). */
    Usage merge(JsonNode u) {
      if (u == null || !u.isObject()) return this;
      return new Usage(
          u.path("input_tokens").isNumber() ? u.get("input_tokens").asLong() : input,
          u.path("cache_read_input_tokens").isNumber() ? u.get("cache_read_input_tokens").asLong() : cacheRead,
          u.path("cache_creation_input_tokens").isNumber() ? u.get("cache_creation_input_tokens").asLong() : cacheWrite,
          u.path("output_tokens").isNumber() ? u.get("output_tokens").asLong() : output);
    }

    ObjectNode toOpenAi(long reasoning) {
      return OpenAiShapes.usage(input + cacheRead + cacheWrite, cacheRead, cacheWrite, output, Math.min(reasoning, output));
    }
  }

  /** Reasoning tokens when the answer thought: output minus the visible answer's own tokens. */
  static long reasoningTokens(TokenCounter tokens, String model, boolean thought, long output, String visible) {
    if (!thought) return 0;
    return Math.max(0, output - (visible.isEmpty() ? 0 : tokens.count(model, visible)));
  }

  /**
   * A whole Anthropic message as an OpenAI chat completion.
   *
   * @param keepNative attach the message itself, for a client that speaks Anthropic
   */
  static byte[] completion(byte[] body, TokenCounter tokens, boolean keepNative, long created) throws IOException {
    JsonNode msg = OpenAiShapes.JSON.readTree(body);
    if (msg == null || !"message".equals(msg.path("type").asText())) throw new IOException("not an Anthropic message");
    ObjectNode root = OpenAiShapes.JSON.createObjectNode();
    String model = msg.path("model").asText();
    root.put("id", msg.path("id").asText()).put("object", "chat.completion").put("created", created).put("model", model);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder visible = new StringBuilder();
    ArrayNode toolCalls = OpenAiShapes.JSON.createArrayNode();
    ArrayNode thinking = OpenAiShapes.JSON.createArrayNode();
    for (JsonNode block : msg.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> {
          reasoning.append(block.path("thinking").asText());
          thinking.addObject().put("type", "thinking").put("thinking", block.path("thinking").asText())
              .put("signature", block.path("signature").asText());
        }
        case "redacted_thinking" -> thinking.addObject().put("type", "redacted_thinking").put("data", block.path("data").asText());
        case "tool_use" -> {
          String args = block.path("input").toString();
          visible.append(block.path("name").asText()).append(args);
          ObjectNode call = toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function");
          call.putObject("function").put("name", block.path("name").asText()).put("arguments", args);
        }
        default -> { } // server tool blocks exist only for Anthropic clients, who get the native message
      }
    }
    visible.insert(0, text);
    if (text.length() > 0 || toolCalls.isEmpty()) message.put("content", text.toString());
    else message.putNull("content");
    if (!toolCalls.isEmpty()) message.set("tool_calls", toolCalls);
    if (reasoning.length() > 0) message.put("reasoning_content", reasoning.toString());
    if (!thinking.isEmpty()) message.set("thinking_blocks", thinking);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(msg.path("stop_reason").asText(null)));
    Usage usage = Usage.NONE.merge(msg.get("usage"));
    long reasoningTokens = reasoningTokens(tokens, model, !thinking.isEmpty(), usage.output(), visible.toString());
    root.set("usage", usage.toOpenAi(reasoningTokens));
    if (keepNative) root.putObject(NATIVE).put("protocol", "anthropic").set("body", msg);
    return OpenAiShapes.JSON.writeValueAsBytes(root);
  }

  /**
   * An Anthropic error body ({@code {"type":"error","error":{"type","message"}}}) in OpenAI's shape,
   * keeping the error type as both {@code type} and {@code code} so the pipeline can relay it.
   */
  static byte[] error(int status, byte[] body) {
    String type = "api_error";
    String message = null;
    try {
      JsonNode root = OpenAiShapes.JSON.readTree(body);
      JsonNode err = root == null ? null : root.path("error");
      if (err != null && err.path("type").isTextual()) type = err.get("type").asText();
      if (err != null && err.path("message").isTextual()) message = err.get("message").asText();
    } catch (IOException e) {
      // not JSON: described below
    }
    if (message == null) {
      String raw = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
      message = "Anthropic answered HTTP " + status + (raw.isEmpty() ? "" : ": " + raw);
    }
    return OpenAiShapes.error(message, type, type);
  }
}
