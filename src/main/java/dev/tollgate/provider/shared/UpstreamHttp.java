package dev.tollgate.provider.shared;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter.CallHandle;
import dev.tollgate.port.ProviderAdapter.ResponseSink;
import dev.tollgate.port.ProviderAdapter.UpstreamFailure;
import io.vertx.core.Context;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side every network adapter shares: one pooled, keep-alive Vert.x client per provider,
 * the provider's timeouts, and a call lifecycle that ends in exactly one of {@code onEnd} or
 * {@code onFailure}. Adapters decide the URL, headers and body, and may wrap the sink to translate
 * what comes back.
 */
public final class UpstreamHttp implements AutoCloseable {

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final long requestTimeoutMs;
  private final long idleTimeoutMs;
  private final long connectTimeoutMs;

  public UpstreamHttp(Vertx vertx, ProviderConfig config, ServerConfig server) {
    this.vertx = vertx;
    this.requestTimeoutMs = (config.timeout() != null ? config.timeout() : server.requestTimeout()).toMillis();
    this.idleTimeoutMs = server.idleTimeout().toMillis();
    this.connectTimeoutMs = server.connectTimeout().toMillis();
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) connectTimeoutMs)
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(server.upstreamPoolSize()));
  }

  /** Drops trailing slashes so that paths can be appended. */
  public static String trimSlash(String url) {
    String u = url;
    while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
    return u;
  }

  /**
   * POSTs {@code body} to {@code absoluteUri}; the answer goes to {@code sink} as it arrives.
   * {@code onHandle} receives the call's handle before any callback, so that a translating sink can
   * cancel the call when the stream itself reports an error.
   */
  public CallHandle post(String absoluteUri, Map<String, String> headers, byte[] body, ResponseSink sink) {
    Call call = new Call(sink);
    if (sink instanceof HandleAware aware) aware.handle(call);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(absoluteUri)
        .setConnectTimeout(connectTimeoutMs)
        .setIdleTimeout(idleTimeoutMs);
    headers.forEach(options::putHeader);
    call.timer = vertx.setTimer(requestTimeoutMs, id -> call.timeout());
    client.request(options)
        .onFailure(call::failed)
        .onSuccess(req -> {
          call.request = req;
          if (call.cancelled) {
            req.reset();
            return;
          }
          req.send(Buffer.buffer(body)).onSuccess(call::response).onFailure(call::failed);
        });
    return call;
  }

  /**
   * Answers without calling upstream (e.g. a request that cannot be translated): the head, the body
   * and the end arrive on the caller's event loop after {@code call} has returned, as a real answer would.
   */
  public static CallHandle reply(Vertx vertx, int status, byte[] body, ResponseSink sink) {
    boolean[] cancelled = {false};
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      if (cancelled[0]) return;
      sink.onHead(status, Map.of("content-type", "application/json"));
      sink.onData(body);
      sink.onEnd();
    });
    return new CallHandle() {
      @Override public void pause() {}
      @Override public void resume() {}
      @Override public void cancel() {
        cancelled[0] = true;
      }
    };
  }

  @Override
  public void close() {
    client.close();
  }

  /** A sink that wants the call's handle, to cancel it from inside a callback. */
  public interface HandleAware {
    void handle(CallHandle handle);
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
      resp.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
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
