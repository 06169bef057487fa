package dev.tollgate.pipeline.meter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway needs from a whole (not streamed) answer — its usage, the model that answered and
 * the finish reasons — read with Jackson's streaming parser: the answer's text and everything else is
 * skipped, and a tree is built only for {@code usage}. An OpenAI chat completion gives its reasons
 * per choice; a Responses API response ({@code object: response}) its {@code status}.
 *
 * @param usage null when the answer reports none
 * @param model null when the answer names none
 */
public record AnswerFacts(TokenUsage usage, String model, List<String> finishReasons) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** @throws IOException if the answer is not a JSON object */
  public static AnswerFacts read(byte[] answer) throws IOException {
    TokenUsage usage = null;
    String model = null;
    String object = null;
    String status = null;
    List<String> reasons = new ArrayList<>(1);
    try (JsonParser p = JSON.createParser(answer)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("the answer is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "usage" -> usage = OpenAiUsage.parse(p.readValueAsTree());
          case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : model;
          case "object" -> object = value == JsonToken.VALUE_STRING ? p.getText() : object;
          case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : status;
          case "choices" -> {
            if (value != JsonToken.START_ARRAY) p.skipChildren();
            else while (p.nextToken() != JsonToken.END_ARRAY) finishReason(p, reasons);
          }
          default -> p.skipChildren();
        }
      }
    }
    if (reasons.isEmpty() && status != null && "response".equals(object)) reasons.add(status);
    return new AnswerFacts(usage, model, List.copyOf(reasons));
  }

  private static void finishReason(JsonParser p, List<String> reasons) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean reason = p.currentName().equals("finish_reason");
      JsonToken value = p.nextToken();
      if (reason && value == JsonToken.VALUE_STRING) reasons.add(p.getText());
      else p.skipChildren();
    }
  }
}
