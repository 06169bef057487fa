package dev.tollgate.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * YAML {@code observability:} — for now its {@code tracing:} section:
 *
 * <pre>
 * observability:
 *   tracing:
 *     enabled: true                 # default: on exactly when an OTLP endpoint is known
 *     service_name: tollgate
 *     sample_ratio: 1.0             # share of new traces kept; a caller's sampled flag is followed
 *     otlp:
 *       endpoint: http://otel-collector:4318      # base URL; /v1/traces is added
 *       headers: { authorization: "Bearer ${OTLP_TOKEN}" }
 * </pre>
 *
 * Without an endpoint here, the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} /
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (and {@code OTEL_EXPORTER_OTLP_HEADERS}) apply; with none at
 * all, tracing is off and costs nothing.
 */
public record ObservabilityConfig(Tracing tracing) {

  /**
   * @param enabled null: on when an endpoint is known
   * @param endpoint the OTLP/HTTP base URL from the file, or null
   * @param headers sent with every export (e.g. a collector's token); never logged
   */
  public record Tracing(Boolean enabled, String endpoint, Map<String, String> headers, String serviceName, double sampleRatio) {

    @Override
    public String toString() {
      return "Tracing[enabled=" + enabled + " endpoint=" + endpoint + " headers=" + headers.keySet() + " service=" + serviceName
          + " sample_ratio=" + sampleRatio + "]";
    }
  }

  public static ObservabilityConfig defaults() {
    return new ObservabilityConfig(new Tracing(null, null, Map.of(), "tollgate", 1.0));
  }

  static ObservabilityConfig parse(Section s) {
    Section t = s.section("tracing", List.of("enabled", "service_name", "sample_ratio", "otlp"));
    Section otlp = t.section("otlp", List.of("endpoint", "headers"));
    Boolean enabled = null;
    if (t.present("enabled")) {
      String e = t.text("enabled");
      if ("true".equals(e) || "false".equals(e)) enabled = Boolean.valueOf(e);
      else t.error("enabled", "must be true or false");
    }
    String endpoint = otlp.text("endpoint");
    if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      otlp.error("endpoint", "must be an http(s) URL (OTLP over HTTP, e.g. http://otel-collector:4318)");
    }
    Map<String, String> headers = otlp.textMap("headers");
    BigDecimal ratio = t.present("sample_ratio") ? t.decimal("sample_ratio") : BigDecimal.ONE;
    if (ratio != null && (ratio.signum() < 0 || ratio.compareTo(BigDecimal.ONE) > 0)) {
      t.error("sample_ratio", "must be between 0 and 1 (1 keeps every trace)");
    }
    return new ObservabilityConfig(new Tracing(enabled, endpoint, headers == null ? Map.of() : headers,
        t.text("service_name", "tollgate"), ratio == null ? 1.0 : ratio.doubleValue()));
  }
}
