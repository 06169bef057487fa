package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's Responses API as its reference documents it, for {@link FakeOpenAi} and
 * {@link FakeAzureOpenAi}: a {@code response} object whose usage has cached and reasoning tokens,
 * or, streamed, the typed events ({@code event: response.created} … {@code response.output_text.delta}
 * … {@code response.completed} with the usage). Upstream model {@code cut} streams the opening events
 * and two deltas, then drops the connection.
 */
public final class FakeResponses {

  public static final String[] WORDS = {"Tolls", " are", " paid."};
  public static final long INPUT_TOKENS = 36;
  public static final long CACHED_TOKENS = 16;
  public static final long OUTPUT_TOKENS = 87;
  public static final long REASONING_TOKENS = 64;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeResponses() {}

  static void answer(Vertx vertx, HttpServerRequest req, HttpServerResponse resp, JsonNode body) {
    String model = body.path("model").asText();
    if (!body.path("stream").asBoolean(false)) {
      resp.putHeader("content-type", "application/json").end(response(model, "completed", true).toString());
      return;
    }
    resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    int seq = 0;
    ObjectNode inProgress = response(model, "in_progress", false);
    resp.write(event("response.created", seq++, e -> e.set("response", inProgress)));
    resp.write(event("response.in_progress", seq++, e -> e.set("response", inProgress)));
    resp.write(event("response.output_item.added", seq++, e -> e.put("output_index", 0).set("item", message("in_progress", null))));
    resp.write(event("response.content_part.added", seq++, e -> part(e).set("part", text(""))));
    int deltas = model.equals("cut") ? 2 : WORDS.length;
    for (int i = 0; i < deltas; i++) {
      String w = WORDS[i];
      resp.write(event("response.output_text.delta", seq++, e -> part(e).put("delta", w).putArray("logprobs")));
    }
    if (model.equals("cut")) {
      vertx.setTimer(50, t -> req.connection().close());
      return;
    }
    String all = String.join("", WORDS);
    resp.write(event("response.output_text.done", seq++, e -> part(e).put("text", all).putArray("logprobs")));
    resp.write(event("response.content_part.done", seq++, e -> part(e).set("part", text(all))));
    resp.write(event("response.output_item.done", seq++, e -> e.put("output_index", 0).set("item", message("completed", all))));
    ObjectNode done = response(model, "completed", true);
    resp.end(event("response.completed", seq, e -> e.set("response", done)));
  }

  private static ObjectNode part(ObjectNode e) {
    return e.put("item_id", "msg_fake").put("output_index", 0).put("content_index", 0);
  }

  private static Buffer event(String type, int seq, java.util.function.Consumer<ObjectNode> fill) {
    ObjectNode e = JSON.createObjectNode().put("type", type).put("sequence_number", seq);
    fill.accept(e);
    return Buffer.buffer("event: " + type + "\ndata: " + e + "\n\n");
  }

  private static ObjectNode text(String t) {
    ObjectNode p = JSON.createObjectNode().put("type", "output_text").put("text", t);
    p.putArray("annotations");
    return p;
  }

  private static ObjectNode message(String status, String t) {
    ObjectNode m = JSON.createObjectNode().put("id", "msg_fake").put("type", "message").put("status", status).put("role", "assistant");
    var content = m.putArray("content");
    if (t != null) content.add(text(t));
    return m;
  }

  private static ObjectNode response(String model, String status, boolean finished) {
    ObjectNode r = JSON.createObjectNode().put("id", "resp_fake").put("object", "response").put("created_at", 1741476542)
        .put("status", status).putNull("error").putNull("incomplete_details").putNull("instructions")
        .putNull("max_output_tokens").put("model", model);
    var output = r.putArray("output");
    if (finished) output.add(message("completed", String.join("", WORDS)));
    r.put("parallel_tool_calls", true).putNull("previous_response_id");
    r.putObject("reasoning").put("effort", "medium").putNull("summary");
    r.put("store", true).put("temperature", 1.0);
    r.putObject("text").putObject("format").put("type", "text");
    r.put("tool_choice", "auto").putArray("tools");
    r.put("top_p", 1.0).put("truncation", "disabled");
    if (!finished) r.putNull("usage");
    else {
      ObjectNode u = r.putObject("usage").put("input_tokens", INPUT_TOKENS);
      u.putObject("input_tokens_details").put("cached_tokens", CACHED_TOKENS);
      u.put("output_tokens", OUTPUT_TOKENS);
      u.putObject("output_tokens_details").put("reasoning_tokens", REASONING_TOKENS);
      u.put("total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);
    }
    r.putNull("user").putObject("metadata");
    return r;
  }
}
