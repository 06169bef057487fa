package dev.tollgate.provider.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator speaking OpenAI's Responses API: a {@code response} object with one assistant
 * message, or the event sequence a streamed response sends ({@code response.created},
 * {@code response.in_progress}, the output item and content part opening, one
 * {@code response.output_text.delta} per word, their closing events, {@code response.completed}
 * with the usage). Input tokens are the text of {@code instructions} and {@code input}, counted.
 */
final class SimulatedResponses {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CREATED = 1_760_000_000L;

  private final TokenCounter tokens;

  SimulatedResponses(TokenCounter tokens) {
    this.tokens = tokens;
  }

  /** The text the answer is derived from (so the same input gives the same words). */
  static String promptText(JsonNode body) {
    return body.path("instructions").asText("") + "\n" + body.path("input");
  }

  long inputTokens(String model, JsonNode body) {
    long total = body.path("instructions").isTextual() ? tokens.count(model, body.get("instructions").asText()) : 0;
    JsonNode input = body.path("input");
    if (input.isTextual()) return total + tokens.count(model, input.asText());
    for (JsonNode item : input) {
      JsonNode content = item.path("content");
      if (content.isTextual()) total += tokens.count(model, content.asText());
      for (JsonNode part : content) if (part.path("text").isTextual()) total += tokens.count(model, part.get("text").asText());
    }
    return total;
  }

  /** A whole, completed response. */
  byte[] whole(String id, String model, JsonNode request, String[] words, long inputTokens) {
    return response(id, model, request, "completed", String.join("", words).trim(), words.length, inputTokens).toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The events of a streamed response, each a complete SSE event. */
  List<byte[]> events(String id, String model, JsonNode request, String[] words, long inputTokens) {
    List<byte[]> out = new ArrayList<>();
    String msgId = "msg_" + id.substring("resp_".length());
    int[] seq = {0};
    ObjectNode created = response(id, model, request, "in_progress", null, 0, 0);
    out.add(event("response.created", seq, e -> e.set("response", created)));
    out.add(event("response.in_progress", seq, e -> e.set("response", created)));
    out.add(event("response.output_item.added", seq, e -> e.put("output_index", 0)
        .set("item", message(msgId, "in_progress", null))));
    out.add(event("response.content_part.added", seq, e -> part(e, msgId).set("part", outputText(""))));
    for (String w : words) {
      out.add(event("response.output_text.delta", seq, e -> part(e, msgId).put("delta", w).putArray("logprobs")));
    }
    String text = String.join("", words);
    out.add(event("response.output_text.done", seq, e -> part(e, msgId).put("text", text).putArray("logprobs")));
    out.add(event("response.content_part.done", seq, e -> part(e, msgId).set("part", outputText(text))));
    out.add(event("response.output_item.done", seq, e -> e.put("output_index", 0).set("item", message(msgId, "completed", text))));
    ObjectNode done = response(id, model, request, "completed", text, words.length, inputTokens);
    out.add(event("response.completed", seq, e -> e.set("response", done)));
    return out;
  }

  private static ObjectNode part(ObjectNode e, String msgId) {
    return e.put("item_id", msgId).put("output_index", 0).put("content_index", 0);
  }

  private static byte[] event(String type, int[] seq, java.util.function.Consumer<ObjectNode> fill) {
    ObjectNode e = JSON.createObjectNode().put("type", type).put("sequence_number", seq[0]++);
    fill.accept(e);
    return ("event: " + type + "\ndata: " + e + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  private static ObjectNode message(String id, String status, String text) {
    ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
    var content = m.putArray("content");
    if (text != null) content.add(outputText(text));
    return m;
  }

  /** A response object; {@code text} null while in progress (no output, no usage yet). */
  private static ObjectNode response(String id, String model, JsonNode request, String status, String text, long outputTokens,
      long inputTokens) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "response").put("created_at", CREATED)
        .put("status", status).putNull("error").putNull("incomplete_details");
    r.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : JSON.nullNode());
    r.set("max_output_tokens", request.path("max_output_tokens").isIntegralNumber() ? request.get("max_output_tokens") : JSON.nullNode());
    r.put("model", model);
    var output = r.putArray("output");
    if (text != null) output.add(message("msg_" + id.substring("resp_".length()), "completed", text));
    r.put("parallel_tool_calls", true).putNull("previous_response_id");
    r.putObject("reasoning").putNull("effort").putNull("summary");
    r.put("store", request.path("store").asBoolean(true)).put("temperature", 1.0);
    r.putObject("text").putObject("format").put("type", "text");
    r.put("tool_choice", "auto");
    r.putArray("tools");
    r.put("top_p", 1.0).put("truncation", "disabled");
    if (text == null) r.putNull("usage");
    else {
      ObjectNode u = r.putObject("usage").put("input_tokens", inputTokens);
      u.putObject("input_tokens_details").put("cached_tokens", 0);
      u.put("output_tokens", outputTokens);
      u.putObject("output_tokens_details").put("reasoning_tokens", 0);
      u.put("total_tokens", inputTokens + outputTokens);
    }
    r.putNull("user");
    r.putObject("metadata");
    return r;
  }
}
