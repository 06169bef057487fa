package dev.tollgate.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of an OpenAI embeddings request: {@code input} is a string, an array of strings, an
 * array of token ids, or an array of token-id arrays, never empty; {@code encoding_format} is
 * {@code float} or {@code base64}; {@code dimensions} a positive integer. Checked here so that a
 * malformed request is refused before it is admitted or sent anywhere.
 */
final class EmbeddingsBody {

  private EmbeddingsBody() {}

  /** What is wrong with the body, in words for the client, or null if nothing is. */
  static String problem(ObjectNode body) {
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      return "'input' is required: a string, an array of strings, an array of token ids or an array of token-id arrays.";
    }
    String inputProblem = inputProblem(input);
    if (inputProblem != null) return inputProblem;
    JsonNode format = body.get("encoding_format");
    if (format != null && !format.isNull() && !("float".equals(format.asText()) && format.isTextual())
        && !("base64".equals(format.asText()) && format.isTextual())) {
      return "'encoding_format' must be \"float\" or \"base64\".";
    }
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null && !dimensions.isNull() && !(dimensions.canConvertToInt() && dimensions.isIntegralNumber() && dimensions.asInt() > 0)) {
      return "'dimensions' must be a positive integer.";
    }
    return null;
  }

  private static String inputProblem(JsonNode input) {
    if (input.isTextual()) return input.asText().isEmpty() ? "'input' must not be an empty string." : null;
    if (!input.isArray()) return "'input' must be a string or an array (of strings, of token ids, or of token-id arrays).";
    if (input.isEmpty()) return "'input' must not be an empty array.";
    JsonNode first = input.get(0);
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      boolean sameKind = first.isTextual() ? item.isTextual()
          : first.isIntegralNumber() ? item.isIntegralNumber()
          : first.isArray() && item.isArray();
      if (!sameKind) {
        return "'input[" + i + "]' does not match the first item: 'input' must be all strings, all token ids, or all token-id arrays.";
      }
      if (item.isTextual() && item.asText().isEmpty()) return "'input[" + i + "]' must not be an empty string.";
      if (item.isArray()) {
        if (item.isEmpty()) return "'input[" + i + "]' must not be an empty token array.";
        for (JsonNode token : item) {
          if (!token.isIntegralNumber()) return "'input[" + i + "]' must hold only integer token ids.";
        }
      }
    }
    return null;
  }
}
