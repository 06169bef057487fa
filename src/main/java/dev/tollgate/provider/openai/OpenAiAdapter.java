package dev.tollgate.provider.openai;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.provider.shared.ProviderContext;
import dev.tollgate.provider.shared.Untranslatable;
import dev.tollgate.provider.shared.UpstreamHttp;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI and every server that speaks its wire format (vLLM, Ollama, llama.cpp, LM Studio, Azure
 * OpenAI…): chat completions, embeddings and the Responses API. Bodies and streams pass through
 * untouched in both directions; the provider key is added here and never leaves this class. One pooled, keep-alive client per provider.
 *
 * <p>Where the request's URL and credentials go differs by service; a {@link Target} says it (plain
 * OpenAI by default: {@code base_url + path} with a bearer key).
 */
public final class OpenAiAdapter implements ProviderAdapter {

  /** Where one service wants the request and how it takes the key. */
  public interface Target {
    /** The absolute URL for this request. */
    String uri(ProviderRequest request);

    /** Adds credential headers that do not come from the provider's keys; none by default. */
    default void authenticate(Map<String, String> headers) {}

    /** Adds one of the provider's keys ({@code api_key}/{@code api_keys}) the way the service takes it. */
    default void authenticate(Map<String, String> headers, String key) {
      authenticate(headers);
    }
  }

  private final Vertx vertx;
  private final ProviderConfig config;
  private final UpstreamHttp http;
  private final Target target;
  private final CallPolicy callPolicy;

  public OpenAiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server) {
    this(vertx, config, server, bearer(config));
  }

  public OpenAiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, Target target) {
    this(vertx, config, server, target, ProviderContext.SYSTEM);
  }

  public OpenAiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, Target target, ProviderContext context) {
    this.vertx = vertx;
    this.config = config;
    this.target = target;
    this.http = new UpstreamHttp(vertx, config, server, context);
    this.callPolicy = config.callPolicy(server.requestTimeout());
  }

  /** A plain OpenAI or OpenAI-compatible provider: {@code base_url + path}, bearer keys. */
  public static OpenAiAdapter bearer(Vertx vertx, ProviderConfig config, ServerConfig server, ProviderContext context) {
    return new OpenAiAdapter(vertx, config, server, bearer(config), context);
  }

  /** {@code base_url + path}, {@code Authorization: Bearer <key>} when keys are configured. */
  private static Target bearer(ProviderConfig config) {
    String base = UpstreamHttp.trimSlash(config.baseUrl());
    return new Target() {
      @Override
      public String uri(ProviderRequest request) {
        return base + request.path();
      }

      @Override
      public void authenticate(Map<String, String> headers, String key) {
        headers.put("authorization", "Bearer " + key);
      }
    };
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return config.type().wire();
  }

  /** Chat completions, embeddings and the Responses API: all passed through as they are. */
  @Override
  public boolean serves(String path) {
    return OpenAiPaths.SERVED.contains(path);
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    if (request.nativeRequest() != null) {
      // A client of another protocol: its translation may have lost something this service cannot take.
      String gaps = Untranslatable.gapsIn(request.body());
      if (gaps != null) return UpstreamHttp.reply(vertx, 400, Untranslatable.errorBody("an OpenAI-protocol model", gaps), sink);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
    headers.put("x-request-id", request.requestId());
    target.authenticate(headers);
    if (config.headers() != null) headers.putAll(config.headers());
    headers.putAll(request.headers());
    UpstreamHttp.KeyHeader key = http.credentials().isEmpty() ? null : target::authenticate;
    return http.post(target.uri(request), headers, key, request.body(), sink);
  }

  @Override
  public CallPolicy callPolicy() {
    return callPolicy;
  }

  @Override
  public void close() {
    http.close();
  }
}
