package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.port.TokenCounter;

/**
 * Counts the prompt tokens of an OpenAI chat body the way the model will: every message's text plus
 * the chat format's fixed overhead (OpenAI's published counting recipe); of an embeddings or
 * Responses API body, its {@code input} and {@code instructions}. Used before the call, to
 * reserve budget, and after a broken stream, to bill the prompt.
 */
public final class PromptEstimator {

  private final TokenCounter tokens;

  public PromptEstimator(TokenCounter tokens) {
    this.tokens = tokens;
  }

  public long promptTokens(String model, JsonNode body) {
    if (!body.has("messages") && (body.has("input") || body.has("instructions"))) return inputTokens(model, body);
    long total = 3; // every reply is primed with <|start|>assistant<|message|>
    for (JsonNode message : body.path("messages")) {
      total += 3; // <|start|>{role}<|message|>…<|end|>
      total += tokens.count(model, message.path("role").asText(""));
      JsonNode content = message.get("content");
      if (content != null && content.isTextual()) {
        total += tokens.count(model, content.asText());
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          if (part.path("text").isTextual()) total += tokens.count(model, part.get("text").asText());
        }
      }
      if (message.path("name").isTextual()) total += 1 + tokens.count(model, message.get("name").asText());
      for (JsonNode call : message.path("tool_calls")) {
        total += tokens.count(model, call.path("function").path("name").asText(""));
        total += tokens.count(model, call.path("function").path("arguments").asText(""));
      }
    }
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) total += tokens.count(model, tools.toString());
    return total;
  }

  /**
   * The prompt of an embeddings or Responses API body: {@code input} as a string, strings, token-id
   * arrays (counted as they are) or input items (their text parts, and a function call's arguments
   * or output), plus {@code instructions} and {@code tools}. Context the provider keeps itself
   * ({@code previous_response_id}, stored prompts) is not visible here and not counted.
   */
  private long inputTokens(String model, JsonNode body) {
    long total = text(model, body.get("instructions"));
    JsonNode input = body.get("input");
    if (input != null && input.isTextual()) total += tokens.count(model, input.asText());
    else if (input != null && input.isArray()) {
      for (JsonNode item : input) total += item(model, item);
    }
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) total += tokens.count(model, tools.toString());
    return total;
  }

  private long item(String model, JsonNode item) {
    if (item.isTextual()) return tokens.count(model, item.asText());
    if (item.isIntegralNumber()) return 1; // one token id
    if (item.isArray()) {
      long ids = 0;
      for (JsonNode n : item) ids += n.isIntegralNumber() ? 1 : item(model, n);
      return ids;
    }
    if (!item.isObject()) return 0;
    long total = 3; // role and item framing, as for a chat message
    JsonNode content = item.get("content");
    if (content != null && content.isTextual()) total += tokens.count(model, content.asText());
    else if (content != null && content.isArray()) {
      for (JsonNode part : content) total += text(model, part.get("text"));
    }
    total += text(model, item.get("text")) + text(model, item.get("arguments")) + text(model, item.get("output"));
    return total;
  }

  private int text(String model, JsonNode node) {
    return node != null && node.isTextual() ? tokens.count(model, node.asText()) : 0;
  }

  public int outputTokens(String model, String text) {
    return text == null ? 0 : tokens.count(model, text);
  }
}
