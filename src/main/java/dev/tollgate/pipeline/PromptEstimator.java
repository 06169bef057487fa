package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.port.TokenCounter;

/**
 * Counts the prompt tokens of an OpenAI chat body the way the model will: every message's text plus
 * the chat format's fixed overhead (OpenAI's published counting recipe). Used before the call, to
 * reserve budget, and after a broken stream, to bill the prompt.
 */
public final class PromptEstimator {

  private final TokenCounter tokens;

  public PromptEstimator(TokenCounter tokens) {
    this.tokens = tokens;
  }

  public long promptTokens(String model, JsonNode body) {
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

  public int outputTokens(String model, String text) {
    return text == null ? 0 : tokens.count(model, text);
  }
}
