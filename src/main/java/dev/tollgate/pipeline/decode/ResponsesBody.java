package dev.tollgate.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of an OpenAI Responses API request, as far as the gateway reads it: {@code input} a
 * string or an array of input items (optional, as the API allows when {@code previous_response_id}
 * or a stored {@code prompt} supplies the context), {@code instructions} a string,
 * {@code max_output_tokens} a positive integer. Everything else is the provider's to judge.
 */
final class ResponsesBody {

  private ResponsesBody() {}

  /** What is wrong with the body, in words for the client, or null if nothing is. */
  static String problem(ObjectNode body) {
    JsonNode input = body.get("input");
    if (input != null && !input.isNull() && !input.isTextual() && !input.isArray()) {
      return "'input' must be a string or an array of input items.";
    }
    boolean noInput = input == null || input.isNull() || (input.isArray() && input.isEmpty());
    if (noInput && !body.hasNonNull("previous_response_id") && !body.hasNonNull("prompt") && !body.hasNonNull("conversation")) {
      return "'input' is required (a string or an array of input items) unless 'previous_response_id', 'conversation' or 'prompt' gives the context.";
    }
    JsonNode instructions = body.get("instructions");
    if (instructions != null && !instructions.isNull() && !instructions.isTextual()) return "'instructions' must be a string.";
    JsonNode max = body.get("max_output_tokens");
    if (max != null && !max.isNull() && !(max.isIntegralNumber() && max.canConvertToLong() && max.asLong() > 0)) {
      return "'max_output_tokens' must be a positive integer.";
    }
    return null;
  }
}
