package dev.tollgate.tracing;

import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.RequestTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One span per request, following the OpenTelemetry GenAI semantic conventions for an inference
 * client span: named {@code {gen_ai.operation.name} {gen_ai.request.model}} (e.g. {@code chat gpt-4o}),
 * kind CLIENT — Tollgate calls the model on the caller's behalf, and the span covers the whole logical
 * operation, retries and fallbacks included, as the conventions ask. Its parent is the caller's W3C
 * {@code traceparent} when there is one, and the upstream call carries this span's context on.
 *
 * <p>Attributes are the request's numbers and attribution, read from the finished exchange: never a
 * prompt, a completion, a header or a key's secret.
 */
final class GenAiSpans implements RequestTracing {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Exchange> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Exchange x) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Exchange x, String key) {
      return x == null ? null : x.header(key);
    }
  };

  private final Tracer tracer;

  GenAiSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Trace begin(Exchange x) {
    Context parent = W3C.extract(Context.root(), x, HEADERS);
    // Started when the request arrived (before its body was read), on the wall clock the SDK uses too.
    Instant arrived = Instant.now().minusNanos(Math.max(0, System.nanoTime() - x.startNanos()));
    Span span = tracer.spanBuilder(operation(x.endpoint())).setParent(parent).setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(arrived.getEpochSecond() * 1_000_000_000L + arrived.getNano(), TimeUnit.NANOSECONDS).startSpan();
    W3C.inject(parent.with(span), x, (carrier, k, v) -> carrier.upstreamHeader(k, v));
    return done -> end(span, done);
  }

  private static void end(Span span, Exchange x) {
    if (!span.isRecording()) {
      span.end();
      return;
    }
    String operation = operation(x.endpoint());
    String model = x.requestedModel();
    span.updateName(model == null ? operation : operation + " " + model);
    span.setAttribute(OPERATION, operation);
    if (model != null) span.setAttribute(REQUEST_MODEL, model);
    var route = x.route();
    if (route != null) {
      span.setAttribute(PROVIDER, providerName(route.provider().type()));
      span.setAttribute("tollgate.provider", route.provider().name());
      span.setAttribute("tollgate.served_model", route.name());
      if (x.upstreamCalled() || x.cacheHit()) {
        span.setAttribute(RESPONSE_MODEL, x.responseModel() != null ? x.responseModel() : route.upstream());
      }
    }
    Long maxTokens = maxTokens(x);
    if (maxTokens != null) span.setAttribute(MAX_TOKENS, maxTokens);
    if (x.usage() != null) {
      span.setAttribute(INPUT_TOKENS, x.usage().inputTokens());
      span.setAttribute(OUTPUT_TOKENS, x.usage().outputTokens());
    }
    if (!x.finishReasons().isEmpty()) span.setAttribute(FINISH_REASONS, x.finishReasons());
    span.setAttribute(HTTP_STATUS, (long) x.httpStatus());
    span.setAttribute("tollgate.request_id", x.requestId());
    if (x.key() != null) span.setAttribute("tollgate.key", x.key().name());
    var a = x.attribution();
    attribute(span, "tollgate.team", a.team());
    attribute(span, "tollgate.project", a.project());
    attribute(span, "tollgate.workflow", a.workflow());
    attribute(span, "tollgate.agent", a.agent());
    attribute(span, "tollgate.workload_class", a.workloadClass());
    attribute(span, "tollgate.route_reason", x.routeReason());
    // Exact decimal dollars as text, like the ledger: a float would round them.
    span.setAttribute("tollgate.cost_usd", x.cost().toUsdString());
    span.setAttribute("tollgate.status", x.status().wire());
    span.setAttribute("tollgate.stream", x.stream());
    span.setAttribute("tollgate.cache_hit", x.cacheHit());
    span.setAttribute("tollgate.attempts", (long) x.upstreamCalls());
    if (x.ttftMs() != null) span.setAttribute("tollgate.ttft_ms", x.ttftMs().longValue());
    if (x.error() != null) {
      String code = x.error().kind().code();
      span.setAttribute(ERROR_TYPE, code);
      // The code only: an upstream's error message may quote the prompt.
      span.setStatus(StatusCode.ERROR, code);
    }
    span.end();
  }

  private static void attribute(Span span, String key, String value) {
    if (value != null) span.setAttribute(key, value);
  }

  static String operation(Endpoint e) {
    return e == Endpoint.EMBEDDINGS ? "embeddings" : "chat";
  }

  /** The conventions' well-known provider names; other types (the simulator) as they are. */
  static String providerName(String type) {
    return switch (type) {
      case "gemini" -> "gcp.gemini";
      case "bedrock" -> "aws.bedrock";
      case "azure" -> "azure.ai.openai";
      default -> type;
    };
  }

  private static Long maxTokens(Exchange x) {
    if (x.efficiency().maxTokens() != null) return x.efficiency().maxTokens();
    if (x.body() == null) return null;
    for (String field : List.of("max_completion_tokens", "max_tokens", "max_output_tokens")) {
      if (x.body().path(field).canConvertToLong()) return x.body().get(field).asLong();
    }
    return null;
  }
}
