package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * A local upstream that speaks the OpenAI chat-completions wire format (bodies and SSE events as
 * the API reference gives them) and fails on command. The upstream model name picks the behaviour:
 *
 * <ul>
 *   <li>{@code ok} — a normal answer; streamed when asked, with the usage chunk when asked;
 *   <li>{@code cut} — streams a role chunk and three content chunks, then drops the connection;
 *   <li>{@code rate-limited} — 429 with OpenAI's error body;
 *   <li>{@code broken} — 500 with an error body that is not JSON;
 *   <li>{@code slow} — streams one chunk every 200 ms, 50 chunks (for client-disconnect tests);
 *   <li>{@code no-usage} — streams without ever sending usage, like some OpenAI-compatible servers;
 *   <li>{@code drop} — answers 200 for a stream, then drops the connection before the first event;
 *   <li>{@code hang} — never answers;
 *   <li>{@code echo} — answers with the last message's text (streamed in 3-character pieces).
 * </ul>
 *
 * <p>It also answers {@code POST …/embeddings} and {@code POST …/responses} (see {@link FakeResponses});
 * {@code rate-limited} and {@code broken} fail there too.
 * Any model can also be given a script ({@link #script}): its next requests get the scripted
 * statuses in turn, then the model's usual behaviour. A key can be refused ({@link #refuseKey}).
 */
public final class FakeOpenAi implements AutoCloseable {

  public static final String[] WORDS = {"Hello", " there", ",", " friend", "."};
  public static final long PROMPT_TOKENS = 12;
  public static final long CACHED_TOKENS = 4;
  public static final long COMPLETION_TOKENS = 5;
  /** Prompt tokens an embeddings answer reports per input. */
  public static final long EMBEDDING_TOKENS = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final Map<String, java.util.Queue<Reply>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Reply> refusedKeys = new ConcurrentHashMap<>();

  /** A scripted answer: a status with an OpenAI-shaped error body, and a {@code Retry-After} if not null. */
  public record Reply(int status, String retryAfter) {
    public static Reply status(int status) {
      return new Reply(status, null);
    }
  }

  /** The next requests for {@code model} get these replies in turn; once they are used up, the model behaves as usual. */
  public void script(String model, Reply... replies) {
    scripts.computeIfAbsent(model, m -> new java.util.concurrent.ConcurrentLinkedQueue<>()).addAll(List.of(replies));
  }

  /** Every request with {@code Authorization: Bearer key} gets {@code reply}, until {@link #acceptKey}. */
  public void refuseKey(String key, Reply reply) {
    refusedKeys.put(key, reply);
  }

  public void acceptKey(String key) {
    refusedKeys.remove(key);
  }

  /** How many requests named {@code model}. */
  public long requestsFor(String model) {
    return bodies.stream().filter(b -> b.path("model").asText().equals(model)).count();
  }

  public FakeOpenAi() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Bodies received, in order. */
  public List<JsonNode> bodies() {
    return bodies;
  }

  public List<Map<String, String>> headers() {
    return headers;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        req.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\",\"type\":\"invalid_request_error\"}}");
        return;
      }
      bodies.add(body);
      Map<String, String> h = new ConcurrentHashMap<>();
      req.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
      headers.add(h);
      String model = body.path("model").asText();
      boolean stream = body.path("stream").asBoolean(false);
      boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
      HttpServerResponse resp = req.response();
      String auth = String.valueOf(h.get("authorization"));
      Reply refused = auth.startsWith("Bearer ") ? refusedKeys.get(auth.substring(7)) : null;
      java.util.Queue<Reply> script = scripts.get(model);
      Reply scripted = refused != null ? refused : script == null ? null : script.poll();
      if (scripted != null) {
        if (scripted.retryAfter() != null) resp.putHeader("retry-after", scripted.retryAfter());
        resp.setStatusCode(scripted.status()).putHeader("content-type", "application/json")
            .end("{\"error\":{\"message\":\"scripted " + scripted.status() + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        return;
      }
      if (req.path().endsWith("/embeddings") && !failure(model, resp)) {
        resp.putHeader("content-type", "application/json").end(embeddings(body).toString());
        return;
      }
      if (req.path().endsWith("/responses") && !failure(model, resp)) {
        FakeResponses.answer(vertx, req, resp, body);
        return;
      }
      if (req.path().endsWith("/embeddings") || req.path().endsWith("/responses")) return;
      switch (model) {
        case "rate-limited" -> resp.setStatusCode(429).putHeader("content-type", "application/json")
            .end("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        case "broken" -> resp.setStatusCode(500).putHeader("content-type", "text/plain").end("upstream exploded");
        case "drop" -> {
          startStream(resp);
          resp.writeHead();
          vertx.setTimer(20, t -> req.connection().close());
        }
        case "hang" -> { }
        case "echo" -> {
          JsonNode msgs = body.path("messages");
          String text = msgs.get(msgs.size() - 1).path("content").asText();
          if (!stream) {
            ObjectNode c = completion(model);
            ((ObjectNode) c.at("/choices/0/message")).put("content", text);
            resp.putHeader("content-type", "application/json").end(c.toString());
          } else {
            startStream(resp);
            for (int i = 0; i < text.length(); i += 3) {
              resp.write(sse(chunk(model, delta("content", text.substring(i, Math.min(text.length(), i + 3))), null)));
            }
            resp.write(sse(chunk(model, JSON.createObjectNode(), "stop")));
            if (usage) {
              ObjectNode u = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk").put("created", 1).put("model", model);
              u.putArray("choices");
              u.set("usage", usageNode());
              resp.write(sse(u.toString()));
            }
            resp.end(sse("[DONE]"));
          }
        }
        case "cut" -> {
          startStream(resp);
          resp.write(sse(chunk(model, delta("role", "assistant"), null)));
          for (int i = 0; i < 3; i++) resp.write(sse(chunk(model, delta("content", WORDS[i]), null)));
          vertx.setTimer(50, t -> req.connection().close());
        }
        case "slow" -> {
          startStream(resp);
          resp.write(sse(chunk(model, delta("role", "assistant"), null)));
          int[] n = {0};
          vertx.setPeriodic(200, id -> {
            if (resp.closed() || n[0]++ >= 50) {
              vertx.cancelTimer(id);
              if (!resp.closed()) resp.end(sse("[DONE]"));
              return;
            }
            resp.write(sse(chunk(model, delta("content", " word"), null)));
          });
        }
        default -> {
          if (!stream) {
            resp.putHeader("content-type", "application/json").end(completion(model).toString());
          } else {
            startStream(resp);
            resp.write(sse(chunk(model, delta("role", "assistant"), null)));
            for (String w : WORDS) resp.write(sse(chunk(model, delta("content", w), null)));
            resp.write(sse(chunk(model, JSON.createObjectNode(), "stop")));
            if (usage && !model.equals("no-usage")) {
              ObjectNode u = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                  .put("created", 1).put("model", model);
              u.putArray("choices");
              u.set("usage", usageNode());
              resp.write(sse(u.toString()));
            }
            resp.end(sse("[DONE]"));
          }
        }
      }
    });
  }

  /** The shared failures ({@code rate-limited}, {@code broken}) on any path; true if one was sent. */
  private static boolean failure(String model, HttpServerResponse resp) {
    switch (model) {
      case "rate-limited" -> resp.setStatusCode(429).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
      case "broken" -> resp.setStatusCode(500).putHeader("content-type", "text/plain").end("upstream exploded");
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * An embeddings answer as the API reference shows it: one {@code embedding} object per input (a
   * string counts as one input), three floats each (the dimensions asked for, if any), and
   * {@code usage} with {@link #EMBEDDING_TOKENS} per input.
   */
  private static ObjectNode embeddings(JsonNode body) {
    JsonNode input = body.path("input");
    int n = input.isArray() && input.size() > 0 && !input.get(0).isIntegralNumber() ? input.size() : 1;
    int dims = body.path("dimensions").asInt(3);
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    var data = root.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      var v = e.putArray("embedding");
      for (int d = 0; d < dims; d++) v.add(new java.math.BigDecimal("0.0023064255").add(java.math.BigDecimal.valueOf(i + d)));
    }
    root.put("model", body.path("model").asText());
    root.putObject("usage").put("prompt_tokens", EMBEDDING_TOKENS * n).put("total_tokens", EMBEDDING_TOKENS * n);
    return root;
  }

  private static void startStream(HttpServerResponse resp) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
  }

  private static Buffer sse(String data) {
    return Buffer.buffer("data: " + data + "\n\n");
  }

  private static ObjectNode delta(String field, String value) {
    return JSON.createObjectNode().put(field, value);
  }

  private static String chunk(String model, ObjectNode delta, String finish) {
    ObjectNode c = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
        .put("created", 1).put("model", model).put("system_fingerprint", "fp_fake");
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finish == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finish);
    return c.toString();
  }

  private static ObjectNode completion(String model) {
    ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion")
        .put("created", 1).put("model", model).put("system_fingerprint", "fp_fake");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", String.join("", WORDS)).putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    root.set("usage", usageNode());
    return root;
  }

  private static ObjectNode usageNode() {
    ObjectNode u = JSON.createObjectNode().put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", COMPLETION_TOKENS)
        .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
    u.putObject("prompt_tokens_details").put("cached_tokens", CACHED_TOKENS).put("audio_tokens", 0);
    u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0);
    return u;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
