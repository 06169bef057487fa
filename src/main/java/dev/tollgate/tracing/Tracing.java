package dev.tollgate.tracing;

import dev.tollgate.config.ObservabilityConfig;
import dev.tollgate.pipeline.RequestTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's request tracing: {@link RequestTracing#OFF} unless an OTLP endpoint is configured
 * ({@code observability.tracing.otlp.endpoint}, else the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
 * or {@code OTEL_EXPORTER_OTLP_ENDPOINT}); then GenAI spans exported over OTLP http/protobuf in
 * batches, by the JDK's HTTP client. The SDK is built here and never registered globally.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);

  private final RequestTracing requests;
  private final SdkTracerProvider provider;

  private Tracing(RequestTracing requests, SdkTracerProvider provider) {
    this.requests = requests;
    this.provider = provider;
  }

  /** Tracing off: nothing is built, nothing runs per request. */
  public static Tracing off() {
    return new Tracing(RequestTracing.OFF, null);
  }

  /** From the config and the environment ({@code System::getenv} in production). */
  public static Tracing fromConfig(ObservabilityConfig.Tracing config, Function<String, String> env) {
    String endpoint = endpoint(config, env);
    boolean on = config.enabled() != null ? config.enabled() : endpoint != null;
    if ("true".equalsIgnoreCase(env.apply("OTEL_SDK_DISABLED"))) on = false;
    if (!on) return off();
    if (endpoint == null) endpoint = "http://localhost:4318/v1/traces"; // OTLP/HTTP's default, as the SDKs have it
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint);
    headers(config, env).forEach(exporter::addHeader);
    log.info("tracing on: OTLP http/protobuf to {}", endpoint);
    return create(BatchSpanProcessor.builder(exporter.build()).build(), config.serviceName(), config.sampleRatio());
  }

  /** Runs {@code requests} per request instead of spans (tests watching the pipeline's edge). */
  public static Tracing of(RequestTracing requests) {
    return new Tracing(requests, null);
  }

  /** Spans handed to {@code exporter} as each request ends (tests, with an in-memory exporter). */
  public static Tracing exportingTo(SpanExporter exporter) {
    return create(SimpleSpanProcessor.create(exporter), "tollgate", 1.0);
  }

  private static Tracing create(SpanProcessor processor, String serviceName, double sampleRatio) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
        .addSpanProcessor(processor).build();
    return new Tracing(new GenAiSpans(provider.get("dev.tollgate")), provider);
  }

  /** What the pipeline calls per request. */
  public RequestTracing requests() {
    return requests;
  }

  /** The URL spans go to: the config's base URL or the environment's, with {@code /v1/traces} added; null when none. */
  static String endpoint(ObservabilityConfig.Tracing config, Function<String, String> env) {
    if (config.endpoint() != null) return traces(config.endpoint());
    String traces = blankToNull(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    if (traces != null) return traces; // the signal's own endpoint is used as it is, per the OTLP exporter spec
    String base = blankToNull(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"));
    return base == null ? null : traces(base);
  }

  private static String traces(String base) {
    String b = base.replaceAll("/+$", "");
    return b.endsWith("/v1/traces") ? b : b + "/v1/traces";
  }

  /** {@code OTEL_EXPORTER_OTLP_HEADERS} ({@code k1=v1,k2=v2}), then the config's headers over them. */
  private static Map<String, String> headers(ObservabilityConfig.Tracing config, Function<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    String fromEnv = blankToNull(env.apply("OTEL_EXPORTER_OTLP_HEADERS"));
    if (fromEnv != null) {
      for (String pair : fromEnv.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) out.put(pair.substring(0, eq).trim(), java.net.URLDecoder.decode(pair.substring(eq + 1).trim(),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    out.putAll(config.headers());
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Sends the spans still buffered and stops the exporter. */
  @Override
  public void close() {
    if (provider != null) provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
