package dev.tollgate.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each request through the gateway is one GenAI span, joined to the caller's trace and carried on upstream. */
class RequestTracingTest {

  static final String KEY = "tg-trace-triage-secret-01";
  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String CALLER_SPAN = "b7ad6b7169203331";
  static final String PROMPT = "Printer on fire, please help";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    var cfg = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          ok-model:     { provider: fake, upstream: ok, price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10 } }
          broken-model: { provider: fake, upstream: broken, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        teams:
          support: {}
        keys:
          - { name: triage, secret: tg-trace-triage-secret-01, team: support, workflow: ticket-triage, agent: triage-bot }
        """, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
    gw = TestGateway.start(cfg, Clock.systemUTC(), Tracing.exportingTo(spans));
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":64"
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  static SpanData spanOf(HttpResponse<String> r) {
    String id = r.headers().firstValue("x-tollgate-request-id").orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
        .anyMatch(s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("tollgate.request_id")))));
    return spans.getFinishedSpanItems().stream()
        .filter(s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("tollgate.request_id")))).findFirst().orElseThrow();
  }

  static Object attr(SpanData s, String key) {
    return s.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  @Test
  void aRequestIsOneGenAiSpanInTheCallersTraceAndItsContextGoesUpstream() {
    int before = upstream.headers().size();
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-model", false),
        "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertThat(r.statusCode()).isEqualTo(200);
    SpanData s = spanOf(r);

    assertThat(s.getName()).isEqualTo("chat ok-model");
    assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.getTraceId()).as("the caller's trace").isEqualTo(TRACE_ID);
    assertThat(s.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(attr(s, "gen_ai.operation.name")).isEqualTo("chat");
    assertThat(attr(s, "gen_ai.provider.name")).isEqualTo("openai-compatible");
    assertThat(attr(s, "gen_ai.request.model")).isEqualTo("ok-model");
    assertThat(attr(s, "gen_ai.response.model")).as("as the provider named it in its answer").isEqualTo("ok");
    assertThat(attr(s, "gen_ai.request.max_tokens")).isEqualTo(64L);
    assertThat(attr(s, "gen_ai.usage.input_tokens")).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
    assertThat(attr(s, "gen_ai.usage.output_tokens")).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(attr(s, "gen_ai.response.finish_reasons")).isEqualTo(List.of("stop"));
    assertThat(attr(s, "tollgate.team")).isEqualTo("support");
    assertThat(attr(s, "tollgate.workflow")).isEqualTo("ticket-triage");
    assertThat(attr(s, "tollgate.agent")).isEqualTo("triage-bot");
    assertThat(attr(s, "tollgate.cost_usd")).isEqualTo(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow());
    assertThat(attr(s, "tollgate.route_reason")).isNotNull();
    assertThat(attr(s, "error.type")).isNull();
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(s.getAttributes().asMap().values().toString()).as("no prompt, no completion, no secret")
        .doesNotContain("Printer").doesNotContain("Hello there").doesNotContain(KEY);

    String sentUpstream = upstream.headers().get(before).get("traceparent");
    assertThat(sentUpstream).as("the upstream call is a child of the gateway's span")
        .isEqualTo("00-" + TRACE_ID + "-" + s.getSpanId() + "-01");
  }

  @Test
  void aStreamedRequestIsTracedWithItsUsageAndFinishReason() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("ok-model", true),
        "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("data: [DONE]");
    SpanData s = spanOf(r);
    assertThat(s.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(s.getName()).isEqualTo("chat ok-model");
    assertThat(attr(s, "tollgate.stream")).isEqualTo(true);
    assertThat(attr(s, "gen_ai.usage.output_tokens")).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(attr(s, "gen_ai.response.finish_reasons")).isEqualTo(List.of("stop"));
    assertThat(attr(s, "gen_ai.response.model")).isEqualTo("ok");
    assertThat(attr(s, "tollgate.ttft_ms")).isNotNull();
  }

  @Test
  void anUpstreamErrorMarksTheSpanAsAnError() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("broken-model", false));
    assertThat(r.statusCode()).as("the upstream's status is relayed").isEqualTo(500);
    SpanData s = spanOf(r);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(s, "error.type")).isEqualTo("upstream_error");
    assertThat(attr(s, "tollgate.status")).isEqualTo("error");
    assertThat(attr(s, "http.response.status_code")).isEqualTo(500L);
    assertThat(s.getParentSpanId()).as("no traceparent: a new trace").isEqualTo("0000000000000000");
  }

  @Test
  void aRefusedRequestIsTracedToo() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-not-a-key-000000000000", chat("ok-model", false));
    assertThat(r.statusCode()).isEqualTo(401);
    SpanData s = spanOf(r);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(s, "error.type")).isEqualTo("invalid_api_key");
    assertThat(attr(s, "gen_ai.usage.input_tokens")).isNull();
  }
}
