package dev.tollgate.provider.openai;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * OpenAI and every server that speaks its wire format (vLLM, Ollama, llama.cpp, LM Studio…).
 * Bodies and streams pass through untouched in both directions; the provider key is added here
 * and never leaves this class. One pooled, keep-alive client per provider.
 */
public final class OpenAiAdapter implements ProviderAdapter {

  private final Vertx vertx;
  private final ProviderConfig config;
  private final HttpClientAgent client;
  private final String baseUrl;
  private final long requestTimeoutMs;
  private final long idleTimeoutMs;
  private final long connectTimeoutMs;

  public OpenAiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server) {
    this.vertx = vertx;
    this.config = config;
    this.baseUrl = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1) : config.baseUrl();
    this.requestTimeoutMs = (config.timeout() != null ? config.timeout() : server.requestTimeout()).toMillis();
    this.idleTimeoutMs = server.idleTimeout().toMillis();
    this.connectTimeoutMs = server.connectTimeout().toMillis();
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) connectTimeoutMs)
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(server.upstreamPoolSize()));
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return config.type().wire();
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    Call call = new Call(sink);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(baseUrl + request.path())
        .setConnectTimeout(connectTimeoutMs)
        .setIdleTimeout(idleTimeoutMs)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .putHeader("x-request-id", request.requestId());
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      options.putHeader("authorization", "Bearer " + config.apiKey());
    }
    if (config.headers() != null) config.headers().forEach(options::putHeader);
    request.headers().forEach(options::putHeader);
    call.timer = vertx.setTimer(requestTimeoutMs, id -> call.timeout());
    client.request(options)
        .onFailure(call::failed)
        .onSuccess(req -> {
          call.request = req;
          if (call.cancelled) {
            req.reset();
            return;
          }
          req.send(Buffer.buffer(request.body())).onSuccess(call::response).onFailure(call::failed);
        });
    return call;
  }

  @Override
  public void close() {
    client.close();
  }

  /** One call in flight; every path ends in exactly one of onEnd / onFailure. */
  private final class Call implements CallHandle {
    private final ResponseSink sink;
    private HttpClientRequest request;
    private HttpClientResponse response;
    private long timer = -1;
    private boolean over;
    private boolean cancelled;

    Call(ResponseSink sink) {
      this.sink = sink;
    }

    void response(HttpClientResponse resp) {
      if (over) return;
      response = resp;
      Map<String, String> headers = new HashMap<>();
      resp.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
      resp.handler(buf -> {
        if (!over) sink.onData(buf.getBytes());
      });
      resp.exceptionHandler(this::failed);
      resp.endHandler(v -> {
        if (over) return;
        over = true;
        vertx.cancelTimer(timer);
        sink.onEnd();
      });
      sink.onHead(resp.statusCode(), headers);
    }

    void failed(Throwable t) {
      if (over) return;
      over = true;
      vertx.cancelTimer(timer);
      if (cancelled) return;
      UpstreamFailure.Kind kind = response == null && isConnectFailure(t) ? UpstreamFailure.Kind.CONNECT
          : t instanceof TimeoutException || String.valueOf(t.getMessage()).contains("timeout") ? UpstreamFailure.Kind.TIMEOUT : UpstreamFailure.Kind.RESET;
      sink.onFailure(new UpstreamFailure(kind, describe(t)));
    }

    void timeout() {
      if (over) return;
      over = true;
      if (request != null) request.reset();
      sink.onFailure(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no complete answer within " + requestTimeoutMs + " ms"));
    }

    @Override
    public void pause() {
      if (response != null) response.pause();
    }

    @Override
    public void resume() {
      if (response != null) response.resume();
    }

    @Override
    public void cancel() {
      cancelled = true;
      over = true;
      vertx.cancelTimer(timer);
      if (request != null) request.reset();
    }
  }

  private static boolean isConnectFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof java.net.UnknownHostException
          || c.getClass().getSimpleName().contains("ConnectTimeout")) return true;
    }
    return false;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
