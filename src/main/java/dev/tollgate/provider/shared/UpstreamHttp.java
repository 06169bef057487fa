package dev.tollgate.provider.shared;

import dev.tollgate.config.ApiCredential;
import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.UpstreamTimeouts;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter.CallHandle;
import dev.tollgate.port.ProviderAdapter.ResponseSink;
import dev.tollgate.port.ProviderAdapter.UpstreamFailure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
 * the provider's timeouts and API keys, and a call lifecycle that ends in exactly one of
 * {@code onEnd} or {@code onFailure}. Adapters decide the URL, headers and body, and may wrap the
 * sink to translate what comes back.
 *
 * <p>Timeouts: {@code connect} (opening the connection), {@code first_byte} (request sent → status
 * line), {@code idle} (longest silence between two pieces of a started response, not counting time
 * the client holds the stream paused) and {@code total} (the whole call). Each defaults to the
 * server's: connect_timeout, idle_timeout (first_byte and idle), request_timeout (total).
 *
 * <p>Keys: a call made with a {@link KeyHeader} takes the next key of the provider's
 * {@link CredentialPool}. If the provider answers 401, 403 or 429 that key cools down and, when
 * another key is ready, the same request goes out again with it at once — the sink never sees the
 * refused answer. Otherwise the answer is passed on as it is.
 */
public final class UpstreamHttp implements AutoCloseable {

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final long requestTimeoutMs;
  private final long firstByteTimeoutMs;
  private final long idleTimeoutMs;
  private final long connectTimeoutMs;
  private final CredentialPool credentials;
  private final java.time.Clock clock;

  public UpstreamHttp(Vertx vertx, ProviderConfig config, ServerConfig server) {
    this(vertx, config, server, ProviderContext.SYSTEM);
  }

  public UpstreamHttp(Vertx vertx, ProviderConfig config, ServerConfig server, ProviderContext context) {
    this.vertx = vertx;
    this.clock = context.clock();
    UpstreamTimeouts t = config.timeouts();
    this.requestTimeoutMs = (t.total() != null ? t.total() : config.timeout() != null ? config.timeout() : server.requestTimeout()).toMillis();
    this.idleTimeoutMs = (t.idle() != null ? t.idle() : server.idleTimeout()).toMillis();
    this.firstByteTimeoutMs = (t.firstByte() != null ? t.firstByte() : server.idleTimeout()).toMillis();
    this.connectTimeoutMs = (t.connect() != null ? t.connect() : server.connectTimeout()).toMillis();
    this.credentials = new CredentialPool(config.name(), config.credentials(), config.credentialCooldown(), context.clock(),
        context.events());
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) connectTimeoutMs)
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(server.upstreamPoolSize()));
  }

  /** Puts an API key into a request's headers the way the vendor wants it (bearer, api-key, x-api-key…). */
  @FunctionalInterface
  public interface KeyHeader {
    void put(Map<String, String> headers, String key);
  }

  /** The provider's keys. */
  public CredentialPool credentials() {
    return credentials;
  }

  /** Drops trailing slashes so that paths can be appended. */
  public static String trimSlash(String url) {
    String u = url;
    while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
    return u;
  }

  /** POSTs without a provider key (the headers carry whatever authentication there is). */
  public CallHandle post(String absoluteUri, Map<String, String> headers, byte[] body, ResponseSink sink) {
    return post(absoluteUri, headers, null, body, sink);
  }

  /**
   * POSTs {@code body} to {@code absoluteUri}; the answer goes to {@code sink} as it arrives.
   * {@code keyHeader}, when not null, adds the provider's next key (headers given explicitly win).
   * {@code onHandle} receives the call's handle before any callback, so that a translating sink can
   * cancel the call when the stream itself reports an error.
   */
  public CallHandle post(String absoluteUri, Map<String, String> headers, KeyHeader keyHeader, byte[] body, ResponseSink sink) {
    Call call = new Call(absoluteUri, headers, keyHeader, body, sink);
    if (sink instanceof HandleAware aware) aware.handle(call);
    call.timer = vertx.setTimer(requestTimeoutMs, id -> call.timeout("no complete answer within " + requestTimeoutMs + " ms"));
    call.send();
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

  /** One call in flight, possibly sent again with another key; every path ends in exactly one of onEnd / onFailure. */
  private final class Call implements CallHandle {
    private final String uri;
    private final Map<String, String> headers;
    private final KeyHeader keyHeader;
    private final byte[] body;
    private final ResponseSink sink;
    private HttpClientRequest request;
    private HttpClientResponse response;
    private ApiCredential credential;
    private long timer = -1;
    private long waitTimer = -1;
    private long lastDataNanos;
    private int sends;
    private boolean paused;
    private boolean over;
    private boolean cancelled;

    Call(String uri, Map<String, String> headers, KeyHeader keyHeader, byte[] body, ResponseSink sink) {
      this.uri = uri;
      this.headers = headers;
      this.keyHeader = keyHeader;
      this.body = body;
      this.sink = sink;
    }

    void send() {
      sends++;
      credential = keyHeader == null ? null : credentials.pick();
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setAbsoluteURI(uri)
          .setConnectTimeout(connectTimeoutMs);
      Map<String, String> all = new java.util.LinkedHashMap<>();
      if (credential != null) keyHeader.put(all, credential.key());
      all.putAll(headers);
      all.forEach(options::putHeader);
      waitTimer = vertx.setTimer(firstByteTimeoutMs, id -> timeout("no answer within " + firstByteTimeoutMs + " ms"));
      client.request(options)
          .onFailure(this::failed)
          .onSuccess(req -> {
            if (over) {
              req.reset();
              return;
            }
            request = req;
            req.send(Buffers.wrap(body)).onSuccess(this::response).onFailure(this::failed);
          });
    }

    void response(HttpClientResponse resp) {
      if (over) return;
      vertx.cancelTimer(waitTimer);
      int status = resp.statusCode();
      Map<String, String> head = new HashMap<>();
      resp.headers().forEach(e -> head.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
      if (credential != null && (status == 401 || status == 403 || status == 429)) {
        credentials.coolDown(credential, status,
            dev.tollgate.domain.resilience.RetryPolicy.retryAfter(head.get("retry-after"), clock.instant()));
        if (credentials.hasAnotherReady(credential) && sends < credentials.size()) {
          // Let the refused answer drain (the connection stays usable) and go again with the next key.
          resp.handler(b -> {});
          resp.exceptionHandler(t -> {});
          resp.endHandler(v -> {});
          send();
          return;
        }
      }
      response = resp;
      lastDataNanos = System.nanoTime();
      resp.handler(buf -> {
        if (over) return;
        lastDataNanos = System.nanoTime();
        sink.onData(buf.getBytes());
      });
      resp.exceptionHandler(this::failed);
      resp.endHandler(v -> {
        if (over) return;
        over = true;
        cancelTimers();
        sink.onEnd();
      });
      armIdle(idleTimeoutMs);
      sink.onHead(status, head);
    }

    /** Fires when the response has been silent for idle_timeout, time spent paused by the client not counted. */
    private void armIdle(long delayMs) {
      waitTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
        if (over) return;
        long silentMs = (System.nanoTime() - lastDataNanos) / 1_000_000;
        if (paused) armIdle(idleTimeoutMs);
        else if (silentMs >= idleTimeoutMs) timeout("no data for " + idleTimeoutMs + " ms");
        else armIdle(idleTimeoutMs - silentMs);
      });
    }

    private void cancelTimers() {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(waitTimer);
    }

    void failed(Throwable t) {
      if (over) return;
      over = true;
      cancelTimers();
      if (cancelled) return;
      UpstreamFailure.Kind kind = response == null && isConnectFailure(t) ? UpstreamFailure.Kind.CONNECT
          : t instanceof TimeoutException || String.valueOf(t.getMessage()).contains("timeout") ? UpstreamFailure.Kind.TIMEOUT : UpstreamFailure.Kind.RESET;
      sink.onFailure(new UpstreamFailure(kind, describe(t)));
    }

    void timeout(String why) {
      if (over) return;
      over = true;
      cancelTimers();
      if (request != null) request.reset();
      sink.onFailure(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, why));
    }

    @Override
    public void pause() {
      paused = true;
      if (response != null) response.pause();
    }

    @Override
    public void resume() {
      paused = false;
      lastDataNanos = System.nanoTime();
      if (response != null) response.resume();
    }

    @Override
    public void cancel() {
      cancelled = true;
      over = true;
      cancelTimers();
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
