package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local upstream that speaks Anthropic's Messages API as its reference gives it: the message body,
 * the SSE event sequence (message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta with usage, message_stop) and the error body
 * {@code {"type":"error","error":{"type","message"}}}. Like the real API it refuses a request without
 * {@code x-api-key}, {@code anthropic-version} or {@code max_tokens}. The model name picks the answer:
 *
 * <ul>
 *   <li>any other name — text "Hello from Claude." with cache reads and writes in the usage;
 *   <li>{@code claude-tools} — a text block and a {@code get_weather} tool_use, stop_reason tool_use;
 *   <li>{@code claude-thinking} — a signed thinking block, then the text "4";
 *   <li>{@code overloaded} — 529 overloaded_error; {@code bad-request} — 400 invalid_request_error;
 *   <li>{@code stream-error} — starts streaming, then an {@code error} event;
 *   <li>{@code cut} — starts streaming, then drops the connection.
 * </ul>
 */
public final class FakeAnthropic implements AutoCloseable {

  public static final String TEXT = "Hello from Claude.";
  public static final String[] DELTAS = {"Hello", " from", " Claude", "."};
  public static final long INPUT = 20;
  /** What {@code count_tokens} answers, plus one per message. */
  public static final long COUNTED = 2095;
  public static final long CACHE_READ = 100;
  public static final long CACHE_WRITE = 30;
  public static final long OUTPUT = 12;
  public static final long TOOL_OUTPUT = 40;
  public static final long THINKING_OUTPUT = 50;
  public static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  public FakeAnthropic() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * Token counting as the reference gives it: {@code {"input_tokens": n}} — here {@link #COUNTED}
   * plus the number of messages — or, like the real API, a 400 for {@code max_tokens}, which counting does not take.
   */
  private static void countTokens(HttpServerResponse resp, Map<String, String> h, JsonNode body) {
    if (h.get("x-api-key") == null) {
      error(resp, 401, "authentication_error", "x-api-key header is required");
    } else if (body.has("max_tokens")) {
      error(resp, 400, "invalid_request_error", "max_tokens: Extra inputs are not permitted");
    } else if (!body.path("messages").isArray() || !body.path("model").isTextual()) {
      error(resp, 400, "invalid_request_error", "messages: Field required");
    } else {
      resp.putHeader("content-type", "application/json").end("{\"input_tokens\":" + (COUNTED + body.get("messages").size()) + "}");
    }
  }

  public List<JsonNode> bodies() {
    return bodies;
  }

  public JsonNode lastBody() {
    return bodies.get(bodies.size() - 1);
  }

  public List<Map<String, String>> headers() {
    return headers;
  }

  public Map<String, String> lastHeaders() {
    return headers.get(headers.size() - 1);
  }

  public List<String> paths() {
    return paths;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      HttpServerResponse resp = req.response();
      paths.add(req.path());
      Map<String, String> h = new ConcurrentHashMap<>();
      req.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        error(resp, 400, "invalid_request_error", "There was an issue with the format or content of your request.");
        return;
      }
      bodies.add(body);
      headers.add(h);
      if (req.path().equals("/v1/messages/count_tokens")) {
        countTokens(resp, h, body);
        return;
      }
      if (!req.path().equals("/v1/messages")) {
        error(resp, 404, "not_found_error", "Not found");
        return;
      }
      if (h.get("x-api-key") == null) {
        error(resp, 401, "authentication_error", "x-api-key header is required");
        return;
      }
      if (h.get("anthropic-version") == null) {
        error(resp, 400, "invalid_request_error", "anthropic-version: header is required");
        return;
      }
      if (!body.path("max_tokens").canConvertToInt()) {
        error(resp, 400, "invalid_request_error", "max_tokens: Field required");
        return;
      }
      if (!body.path("messages").isArray() || !body.path("model").isTextual()) {
        error(resp, 400, "invalid_request_error", "messages: Field required");
        return;
      }
      String model = body.get("model").asText();
      boolean stream = body.path("stream").asBoolean(false);
      switch (model) {
        case "overloaded" -> error(resp, 529, "overloaded_error", "Overloaded");
        case "bad-request" -> error(resp, 400, "invalid_request_error", "messages.0.content: text content blocks must be non-empty");
        case "claude-tools" -> {
          if (stream) streamTools(resp, model);
          else json(resp, toolsMessage(model));
        }
        case "claude-thinking" -> {
          if (stream) streamThinking(resp, model);
          else json(resp, thinkingMessage(model));
        }
        case "stream-error" -> {
          start(resp);
          event(resp, "message_start", messageStart(model, 10, 0, 0));
          event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
          event(resp, "content_block_delta", textDelta(0, "Hello"));
          resp.end(Buffer.buffer("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"));
        }
        case "cut" -> {
          start(resp);
          event(resp, "message_start", messageStart(model, 10, 0, 0));
          event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
          event(resp, "content_block_delta", textDelta(0, "Hello"));
          event(resp, "content_block_delta", textDelta(0, " from"));
          vertx.setTimer(50, t -> req.connection().close());
        }
        default -> {
          if (stream) streamText(resp, model);
          else json(resp, textMessage(model));
        }
      }
    });
  }

  // ---- whole messages ----

  private static String usage(long input, long read, long write, long output) {
    return "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + write + ",\"cache_read_input_tokens\":" + read
        + ",\"output_tokens\":" + output + "}";
  }

  public static String textMessage(String model) {
    return "{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + TEXT + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":" + usage(INPUT, CACHE_READ, CACHE_WRITE, OUTPUT) + "}";
  }

  private static String toolsMessage(String model) {
    return "{\"id\":\"msg_01Aq9w938a90dw8q\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Let me check the weather.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\",\"unit\":\"celsius\"}}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":" + usage(INPUT, 0, 0, TOOL_OUTPUT) + "}";
  }

  private static String thinkingMessage(String model) {
    return "{\"id\":\"msg_01Think\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
        + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"Two plus two is four.\",\"signature\":\"" + SIGNATURE + "\"},"
        + "{\"type\":\"text\",\"text\":\"4\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" + usage(INPUT, 0, 0, THINKING_OUTPUT) + "}";
  }

  // ---- streams ----

  private static String messageStart(String model, long input, long read, long write) {
    return "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":" + usage(input, read, write, 1) + "}}";
  }

  private static String textDelta(int index, String text) {
    return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"text_delta\",\"text\":"
        + JSON.valueToTree(text) + "}}";
  }

  private static String messageDelta(String stopReason, long output) {
    return "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + output + "}}";
  }

  /** The whole text stream, exactly as it goes on the wire. */
  public static String textStream(String model) {
    StringBuilder sb = new StringBuilder();
    sb.append(sse("message_start", messageStart(model, INPUT, CACHE_READ, CACHE_WRITE)));
    sb.append(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    sb.append(sse("ping", "{\"type\": \"ping\"}"));
    for (String d : DELTAS) sb.append(sse("content_block_delta", textDelta(0, d)));
    sb.append(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    sb.append(sse("message_delta", messageDelta("end_turn", OUTPUT)));
    sb.append(sse("message_stop", "{\"type\":\"message_stop\"}"));
    return sb.toString();
  }

  private static String sse(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private void streamText(HttpServerResponse resp, String model) {
    start(resp);
    // Written in pieces that do not line up with events, as a real connection delivers them.
    String all = textStream(model);
    for (int i = 0; i < all.length(); i += 97) resp.write(Buffer.buffer(all.substring(i, Math.min(all.length(), i + 97))));
    resp.end();
  }

  private void streamTools(HttpServerResponse resp, String model) {
    start(resp);
    event(resp, "message_start", messageStart(model, INPUT, 0, 0));
    event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(resp, "ping", "{\"type\": \"ping\"}");
    event(resp, "content_block_delta", textDelta(0, "Let me check the weather."));
    event(resp, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
        + "\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\",\"input\":{}}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"is\\\", \\\"unit\\\": \\\"celsius\\\"}\"}}");
    event(resp, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    event(resp, "message_delta", messageDelta("tool_use", TOOL_OUTPUT));
    resp.end(Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
  }

  private void streamThinking(HttpServerResponse resp, String model) {
    start(resp);
    event(resp, "message_start", messageStart(model, INPUT, 0, 0));
    event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Two plus two\"}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" is four.\"}}");
    event(resp, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"" + SIGNATURE + "\"}}");
    event(resp, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(resp, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(resp, "content_block_delta", textDelta(1, "4"));
    event(resp, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    event(resp, "message_delta", messageDelta("end_turn", THINKING_OUTPUT));
    resp.end(Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
  }

  private static void start(HttpServerResponse resp) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
  }

  private static void event(HttpServerResponse resp, String name, String data) {
    resp.write(Buffer.buffer("event: " + name + "\ndata: " + data + "\n\n"));
  }

  private static void json(HttpServerResponse resp, String body) {
    resp.putHeader("content-type", "application/json").putHeader("request-id", "req_fake").end(body);
  }

  private static void error(HttpServerResponse resp, int status, String type, String message) {
    resp.setStatusCode(status).putHeader("content-type", "application/json")
        .end("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
