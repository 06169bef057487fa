package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local Gemini API ({@code /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}, key in {@code x-goog-api-key}) answering as its reference
 * gives it: GenerateContentResponse bodies with {@code usageMetadata} (cached content and thoughts
 * counted apart from the candidates), SSE events separated by CRLF blank lines, and Google's error
 * body {@code {"error":{"code","message","status"}}}. The model picks the answer:
 *
 * <ul>
 *   <li>any other name — "Hello from Gemini." with cached and thinking tokens;
 *   <li>{@code gemini-tools} — a function call to get_weather with a thought signature;
 *   <li>{@code gemini-thinking} — a thought summary part, then the text "4";
 *   <li>{@code gemini-bad} — 400 INVALID_ARGUMENT; {@code gemini-quota} — 429 RESOURCE_EXHAUSTED;
 *   <li>{@code gemini-cut} — one streamed event, then the connection drops.
 * </ul>
 */
public final class FakeGemini implements AutoCloseable {

  public static final String KEY = "AIza-test-gemini-key";
  public static final long PROMPT = 40;
  public static final long CACHED = 16;
  public static final long CANDIDATES = 6;
  public static final long THOUGHTS = 9;
  public static final String SIGNATURE = "CiQB0e2Kb7example+signature==";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received. */
  public record Received(String path, String query, String apiKey, JsonNode body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeGemini() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1beta";
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public int count() {
    return received.size();
  }

  /**
   * {@code batchEmbedContents} as the reference gives it: one {@code {"values":[…]}} per request, in
   * order, of {@code outputDimensionality} values (4 if not given), and — like the real API — no
   * token count. Each request must name the model of the path.
   */
  private static void embed(HttpServerResponse resp, String path, JsonNode body) {
    String model = path.substring("/v1beta/".length(), path.lastIndexOf(':'));
    var root = JSON.createObjectNode();
    var embeddings = root.putArray("embeddings");
    for (JsonNode r : body.path("requests")) {
      if (!model.equals(r.path("model").asText()) || !r.at("/content/parts/0/text").isTextual()) {
        error(resp, 400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests[0].model: the model must match the path");
        return;
      }
      var values = embeddings.addObject().putArray("values");
      int dims = r.path("outputDimensionality").asInt(4);
      for (int d = 0; d < dims; d++) values.add(0.25 * (d + 1) * (embeddings.size() % 2 == 0 ? -1 : 1));
    }
    resp.end(root.toString());
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      HttpServerResponse resp = req.response().putHeader("content-type", "application/json; charset=UTF-8");
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        error(resp, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        return;
      }
      received.add(new Received(req.path(), req.query(), req.getHeader("x-goog-api-key"), body));
      String key = req.getHeader("x-goog-api-key");
      if (key == null) {
        error(resp, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). "
            + "Please use API Key or other form of API consumer identity to call this API.");
        return;
      }
      if (!KEY.equals(key)) {
        error(resp, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        return;
      }
      String path = req.path();
      if (path.startsWith("/v1beta/models/") && path.endsWith(":batchEmbedContents")) {
        embed(resp, path, body);
        return;
      }
      boolean stream = path.endsWith(":streamGenerateContent");
      if (!path.startsWith("/v1beta/models/") || !(stream || path.endsWith(":generateContent"))
          || (stream && !"sse".equals(req.getParam("alt")))) {
        error(resp, 404, "NOT_FOUND", "Not found: " + path);
        return;
      }
      if (!body.path("contents").isArray() || body.get("contents").isEmpty()) {
        error(resp, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
        return;
      }
      String model = path.substring("/v1beta/models/".length(), path.lastIndexOf(':'));
      switch (model) {
        case "gemini-bad" -> error(resp, 400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature'");
        case "gemini-quota" -> error(resp, 429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.");
        case "gemini-cut" -> {
          startStream(resp);
          resp.write(event("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],\"role\": \"model\"},\"index\": 0}],"
              + "\"usageMetadata\": {\"promptTokenCount\": 40,\"totalTokenCount\": 40},\"modelVersion\": \"" + model + "\",\"responseId\": \"r-cut\"}"));
          vertx.setTimer(50, t -> req.connection().close());
        }
        case "gemini-tools" -> {
          String part = "{\"functionCall\": {\"name\": \"get_weather\",\"args\": {\"city\": \"Paris\"}},\"thoughtSignature\": \"" + SIGNATURE + "\"}";
          String usage = usage(PROMPT, 0, 12, 0);
          if (stream) {
            startStream(resp);
            resp.end(event(response(model, part, "\"STOP\"", usage)));
          } else {
            resp.end(response(model, part, "\"STOP\"", usage));
          }
        }
        case "gemini-thinking" -> {
          String parts = "{\"text\": \"Two plus two is four.\",\"thought\": true},{\"text\": \"4\"}";
          String usage = usage(PROMPT, 0, 1, 30);
          if (stream) {
            startStream(resp);
            resp.write(event(response(model, "{\"text\": \"Two plus two is four.\",\"thought\": true}", null, null)));
            resp.end(event(response(model, "{\"text\": \"4\"}", "\"STOP\"", usage)));
          } else {
            resp.end(response(model, parts, "\"STOP\"", usage));
          }
        }
        default -> {
          String usage = usage(PROMPT, CACHED, CANDIDATES, THOUGHTS);
          if (!stream) {
            resp.end(response(model, "{\"text\": \"Hello from Gemini.\"}", "\"STOP\"", usage));
          } else {
            startStream(resp);
            String early = "{\"promptTokenCount\": 40,\"totalTokenCount\": 40}";
            resp.write(event(response(model, "{\"text\": \"Hello\"}", null, early)));
            resp.write(event(response(model, "{\"text\": \" from\"}", null, early)));
            resp.end(event(response(model, "{\"text\": \" Gemini.\"}", "\"STOP\"", usage)));
          }
        }
      }
    });
  }

  private static String response(String model, String parts, String finishReason, String usage) {
    return "{\"candidates\": [{\"content\": {\"parts\": [" + parts + "],\"role\": \"model\"}"
        + (finishReason == null ? "" : ",\"finishReason\": " + finishReason) + ",\"index\": 0}]"
        + (usage == null ? "" : ",\"usageMetadata\": " + usage)
        + ",\"modelVersion\": \"" + model + "\",\"responseId\": \"mAitaLmkHPPlz7IPvtfUqQ4\"}";
  }

  private static String usage(long prompt, long cached, long candidates, long thoughts) {
    return "{\"promptTokenCount\": " + prompt + ",\"candidatesTokenCount\": " + candidates + ",\"totalTokenCount\": "
        + (prompt + candidates + thoughts) + (cached > 0 ? ",\"cachedContentTokenCount\": " + cached : "")
        + ",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": " + prompt + "}]"
        + (thoughts > 0 ? ",\"thoughtsTokenCount\": " + thoughts : "") + "}";
  }

  private static void startStream(HttpServerResponse resp) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
  }

  private static Buffer event(String json) {
    return Buffer.buffer("data: " + json + "\r\n\r\n");
  }

  private static void error(HttpServerResponse resp, int status, String statusName, String message) {
    resp.setStatusCode(status).end("{\n  \"error\": {\n    \"code\": " + status + ",\n    \"message\": \"" + message
        + "\",\n    \"status\": \"" + statusName + "\"\n  }\n}\n");
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
