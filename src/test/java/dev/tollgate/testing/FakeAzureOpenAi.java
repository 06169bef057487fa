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
 * A local Azure OpenAI resource: {@code POST /openai/deployments/{deployment}/chat/completions?api-version=…}
 * with the key in {@code api-key}, answering in the OpenAI wire format with Azure's own touches (the
 * stream opens with a chunk of empty choices carrying {@code prompt_filter_results}; errors carry
 * Azure's codes such as {@code DeploymentNotFound}). Deployment {@code gpt4o-prod} exists;
 * {@code throttled} answers 429; {@code embed-prod} answers {@code …/embeddings}. The Responses API
 * is on the v1 surface, {@code POST /openai/v1/responses} with the deployment as the body's model
 * (answered by {@link FakeResponses}).
 */
public final class FakeAzureOpenAi implements AutoCloseable {

  public static final String KEY = "azure-resource-key-0001";
  public static final long PROMPT = 30;
  public static final long CACHED = 10;
  public static final long COMPLETION = 7;
  public static final long REASONING = 3;
  public static final long EMBEDDING_TOKENS = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received. */
  public record Received(String path, String query, String apiKey, String authorization, JsonNode body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeAzureOpenAi() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every request, in order. */
  public List<Received> received() {
    return received;
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      HttpServerResponse resp = req.response().putHeader("content-type", "application/json");
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        resp.setStatusCode(400).end("{\"error\":{\"code\":\"BadRequest\",\"message\":\"invalid JSON\"}}");
        return;
      }
      received.add(new Received(req.path(), req.query(), req.getHeader("api-key"), req.getHeader("authorization"), body));
      if (!KEY.equals(req.getHeader("api-key"))) {
        resp.setStatusCode(401).end("{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key or wrong API endpoint.\"}}");
        return;
      }
      if (req.path().equals("/openai/v1/responses")) {
        // Azure's v1 surface: no api-version, the deployment named as the body's model.
        if (!body.path("model").asText().equals("gpt4o-prod")) {
          resp.setStatusCode(404).end("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}");
        } else {
          FakeResponses.answer(vertx, req, resp, body);
        }
        return;
      }
      String version = req.getParam("api-version");
      if (version == null) {
        resp.setStatusCode(404).end("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
        return;
      }
      String path = req.path();
      if (path.equals("/openai/deployments/throttled/chat/completions")) {
        resp.setStatusCode(429).putHeader("retry-after", "1").end("{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create "
            + "Operation under Azure OpenAI API version " + version + " have exceeded token rate limit of your current pricing tier.\"}}");
        return;
      }
      if (path.equals("/openai/deployments/embed-prod/embeddings")) {
        resp.end("{\"data\":[{\"embedding\":[-0.0067,0.0031,-0.0117],\"index\":0,\"object\":\"embedding\"}],"
            + "\"model\":\"text-embedding-3-small\",\"object\":\"list\",\"usage\":{\"prompt_tokens\":" + EMBEDDING_TOKENS
            + ",\"total_tokens\":" + EMBEDDING_TOKENS + "}}");
        return;
      }
      if (!path.equals("/openai/deployments/gpt4o-prod/chat/completions")) {
        resp.setStatusCode(404).end("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}");
        return;
      }
      if (!body.path("stream").asBoolean(false)) {
        resp.end("{\"choices\":[{\"content_filter_results\":{},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,"
            + "\"message\":{\"content\":\"Hi from Azure.\",\"refusal\":null,\"role\":\"assistant\"}}],\"created\":1727000000,"
            + "\"id\":\"chatcmpl-AZ1\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion\",\"prompt_filter_results\":[{\"prompt_index\":0,"
            + "\"content_filter_results\":{}}],\"system_fingerprint\":\"fp_az\",\"usage\":" + usage() + "}");
        return;
      }
      resp.setChunked(true).putHeader("content-type", "text/event-stream");
      resp.write(Buffer.buffer("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
          + "[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n"));
      for (String w : new String[] {"Hi", " from", " Azure."}) {
        resp.write(Buffer.buffer("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"" + w + "\"},\"finish_reason\":null,"
            + "\"index\":0}],\"created\":1727000000,\"id\":\"chatcmpl-AZ1\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}\n\n"));
      }
      resp.write(Buffer.buffer("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\",\"index\":0}],"
          + "\"created\":1727000000,\"id\":\"chatcmpl-AZ1\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}\n\n"));
      if (body.path("stream_options").path("include_usage").asBoolean(false)) {
        resp.write(Buffer.buffer("data: {\"choices\":[],\"created\":1727000000,\"id\":\"chatcmpl-AZ1\",\"model\":\"gpt-4o-2024-08-06\","
            + "\"object\":\"chat.completion.chunk\",\"usage\":" + usage() + "}\n\n"));
      }
      resp.end("data: [DONE]\n\n");
    });
  }

  private static String usage() {
    return "{\"completion_tokens\":" + COMPLETION + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + REASONING + "},"
        + "\"prompt_tokens\":" + PROMPT + ",\"prompt_tokens_details\":{\"cached_tokens\":" + CACHED + "},\"total_tokens\":" + (PROMPT + COMPLETION) + "}";
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
