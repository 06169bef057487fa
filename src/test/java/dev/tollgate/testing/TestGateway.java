package dev.tollgate.testing;

import dev.tollgate.app.Gateway;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The real gateway on a random port, started from YAML, with a plain HTTP client and ledger access. */
public final class TestGateway implements AutoCloseable {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Parses {@code yaml} (with {@code ${VAR}} taken from {@code env}) and starts it on a free port. */
  public static TestGateway start(String yaml, Map<String, String> env, Path dir) {
    return start(parse(yaml, env, dir), Clock.systemUTC());
  }

  public static TestGateway start(GatewayConfig config, Clock clock) {
    return new TestGateway(Gateway.start(config, clock));
  }

  /** Starts with request spans going to {@code tracing}. */
  public static TestGateway start(GatewayConfig config, Clock clock, dev.tollgate.tracing.Tracing tracing) {
    return new TestGateway(Gateway.start(config, clock, tracing));
  }

  /** Starts with retries waiting on {@code retryTimer} instead of real timers. */
  public static TestGateway start(GatewayConfig config, Clock clock, dev.tollgate.pipeline.call.RetryTimer retryTimer) {
    return new TestGateway(Gateway.start(config, clock, retryTimer));
  }

  public static GatewayConfig parse(String yaml, Map<String, String> env, Path dir) {
    GatewayConfig c = ConfigLoader.parse(yaml, "test.yaml", env::get, dir);
    ServerConfig s = c.server();
    return c.withServer(s.withPort(0));
  }

  public Gateway gateway() {
    return gateway;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public HttpResponse<String> post(String path, String bearer, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) b.header("authorization", "Bearer " + bearer);
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  public HttpResponse<String> get(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    if (bearer != null) b.header("authorization", "Bearer " + bearer);
    return send(b.build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  public HttpClient http() {
    return http;
  }

  /** Every ledger row so far, oldest first (flushes the writer first). */
  public List<UsageRecord> ledger() {
    gateway.storage().ledgerWriter().flush();
    List<UsageRecord> rows = new ArrayList<>(gateway.storage().usageQuery()
        .recent(new UsageFilter(null, null, null, null, null, null), 10_000));
    rows.sort(Comparator.comparing(UsageRecord::startedAt).thenComparing(UsageRecord::id));
    return rows;
  }

  /** The ledger row of one request, by the id the gateway answered with. */
  public UsageRecord row(HttpResponse<?> response) {
    String id = response.headers().firstValue("x-tollgate-request-id").orElseThrow();
    return ledger().stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no ledger row for " + id));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
