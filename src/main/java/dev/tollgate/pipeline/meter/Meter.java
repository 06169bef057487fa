package dev.tollgate.pipeline.meter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.port.TokenCounter;

/**
 * Settles what a request consumed and what it cost. Usage reported by the provider is taken as it
 * is. Where none arrived although the upstream was called (a stream cut short, a client gone), the
 * prompt is billed in full and the output counted from what was streamed, and the row is marked
 * estimated. A request that never reached a provider costs nothing.
 */
public final class Meter {

  private final TokenCounter tokens;

  public Meter(TokenCounter tokens) {
    this.tokens = tokens;
  }

  /** Fills in usage (estimating where needed) and cost. Safe to call more than once. */
  public void complete(Exchange x, String streamedText) {
    if (!x.upstreamCalled()) return;
    if (x.usage() == null) {
      x.usage(TokenUsage.of(estimateInput(x), streamedText == null ? 0 : tokens.count(x.route().upstream(), streamedText)), true);
    }
    x.cost(CostCalculator.cost(x.route().price(), x.usage()));
  }

  /** Prompt tokens as the model would count them: message texts plus the chat format's overhead. */
  long estimateInput(Exchange x) {
    String model = x.route().upstream();
    long total = 3; // every reply is primed with <|start|>assistant<|message|>
    for (JsonNode message : x.body().path("messages")) {
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
    JsonNode tools = x.body().get("tools");
    if (tools != null && !tools.isNull()) total += tokens.count(model, tools.toString());
    return total;
  }
}
