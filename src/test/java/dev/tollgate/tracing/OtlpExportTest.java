package dev.tollgate.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ObservabilityConfig;
import dev.tollgate.pipeline.RequestTracing;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spans leave the gateway as OTLP http/protobuf when, and only when, an endpoint is configured. */
class OtlpExportTest {

  @TempDir Path dir;

  record Received(String path, String contentType, String authorization, byte[] body) {}

  @Test
  void spansArriveAsOtlpProtobufAtTheConfiguredCollector() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer collector = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(new Received(req.path(), req.getHeader("content-type"), req.getHeader("authorization"), b.getBytes()));
      req.response().setStatusCode(200).putHeader("content-type", "application/x-protobuf").end();
    }));
    collector.listen(0, "127.0.0.1").await();
    TestGateway gw = null;
    try {
      var cfg = TestGateway.parse("""
          storage: sqlite:${DIR}/ledger.db
          admin: { token: test-admin-token-0123456789 }
          providers:
            sim: { type: simulator, output_tokens: 5 }
          models:
            gpt-4o-mini: { provider: sim }
          keys:
            - { name: batch, secret: tg-otlp-batch-key-000001, team: data }
          observability:
            tracing:
              service_name: tollgate-test
              otlp: { endpoint: "${COLLECTOR}", headers: { authorization: "Bearer ${OTLP_TOKEN}" } }
          """, Map.of("DIR", dir.toString(), "COLLECTOR", "http://127.0.0.1:" + collector.actualPort(), "OTLP_TOKEN", "collector-token"), dir);
      gw = TestGateway.start(cfg, java.time.Clock.systemUTC());
      HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-otlp-batch-key-000001",
          "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"secret plans\"}]}");
      assertThat(r.statusCode()).isEqualTo(200);
      String requestId = r.headers().firstValue("x-tollgate-request-id").orElseThrow();
      gw.close(); // flushes the batch
      gw = null;

      await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
      Received export = received.get(0);
      assertThat(export.path()).isEqualTo("/v1/traces");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      assertThat(export.authorization()).isEqualTo("Bearer collector-token");
      // Protobuf keeps strings as UTF-8 bytes: the span's name, attributes and the resource are readable in it.
      String bytes = new String(export.body(), StandardCharsets.ISO_8859_1);
      assertThat(bytes).contains("chat gpt-4o-mini").contains("gen_ai.usage.input_tokens").contains("tollgate.team")
          .contains(requestId).contains("tollgate-test").doesNotContain("secret plans");
    } finally {
      if (gw != null) gw.close();
      vertx.close().await();
    }
  }

  @Test
  void withoutAnEndpointTracingIsOffAndBuildsNothing() {
    Tracing t = Tracing.fromConfig(ObservabilityConfig.defaults().tracing(), name -> null);
    assertThat(t.requests()).isSameAs(RequestTracing.OFF);
    Tracing disabled = Tracing.fromConfig(ObservabilityConfig.defaults().tracing(),
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "true")::get);
    assertThat(disabled.requests()).isSameAs(RequestTracing.OFF);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      // config endpoint,          OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, spans go to
      "http://c:4318,              -,                           -,                                  http://c:4318/v1/traces",
      "http://c:4318/,             http://other:4318,           -,                                  http://c:4318/v1/traces",
      "-,                          http://env:4318,             -,                                  http://env:4318/v1/traces",
      "-,                          http://env:4318,             http://sig:9999/custom,             http://sig:9999/custom",
      "-,                          -,                           -,                                  -",
  })
  void theEndpointComesFromTheConfigElseTheStandardVariables(String configured, String base, String traces, String expected) {
    var cfg = new ObservabilityConfig.Tracing(null, configured, Map.of(), "tollgate", 1.0);
    Map<String, String> env = new java.util.HashMap<>();
    if (base != null) env.put("OTEL_EXPORTER_OTLP_ENDPOINT", base);
    if (traces != null) env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces);
    assertThat(Tracing.endpoint(cfg, env::get)).isEqualTo(expected);
  }

  @Test
  void aBadTracingSettingNamesItsKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("""
        observability: { tracing: { sample_ratio: 2, otlp: { endpoint: "collector:4318" } } }
        """, "t.yaml", k -> null, dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("observability.tracing.sample_ratio").hasMessageContaining("observability.tracing.otlp.endpoint");
  }
}
