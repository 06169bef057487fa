package dev.tollgate.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageObserver;
import java.io.IOException;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured JSON line per request on the {@code tollgate.access} logger: request id, attribution,
 * model, status, tokens, cost and timings — never prompts, completions or secrets (the ledger row it
 * is made from holds none). Turn it off with {@code -Dorg.slf4j.simpleLogger.log.tollgate.access=off}.
 */
public final class AccessLog implements UsageObserver {

  private static final Logger log = LoggerFactory.getLogger("tollgate.access");
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public void observe(UsageRecord r) {
    if (!log.isInfoEnabled()) return;
    log.info(line(r));
  }

  static String line(UsageRecord r) {
    StringWriter w = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("request_id", r.id());
      g.writeStringField("ts", r.startedAt().toString());
      g.writeStringField("key", r.keyName());
      var a = r.attribution();
      g.writeStringField("org", a.org());
      g.writeStringField("team", a.team());
      g.writeStringField("project", a.project());
      g.writeStringField("workflow", a.workflow());
      g.writeStringField("agent", a.agent());
      g.writeStringField("user", a.user());
      g.writeStringField("workload_class", a.workloadClass());
      g.writeStringField("requested_model", r.requestedModel());
      g.writeStringField("served_model", r.servedModel());
      g.writeStringField("route_reason", r.routeReason());
      g.writeStringField("status", r.status().wire());
      g.writeNumberField("http_status", r.httpStatus());
      g.writeStringField("error_code", r.errorCode());
      g.writeNumberField("input_tokens", r.usage().inputTokens());
      g.writeNumberField("output_tokens", r.usage().outputTokens());
      g.writeStringField("cost_usd", r.cost().toUsdString());
      g.writeNumberField("latency_ms", r.latencyMs());
      if (r.ttftMs() != null) g.writeNumberField("ttft_ms", r.ttftMs());
      g.writeBooleanField("stream", r.stream());
      g.writeEndObject();
    } catch (IOException e) {
      return "{\"request_id\":\"" + r.id() + "\"}";
    }
    return w.toString();
  }
}
