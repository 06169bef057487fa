package dev.tollgate.store.spool;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One spooled ledger row as one line of JSON, both ways; the one place that knows the spool's record
 * format. Field names are the ledger's column names (see docs/ledger.md), instants are ISO-8601 with
 * nanoseconds, money is {@code cost_nanos}: a line can be read with {@code jq} and nothing is rounded.
 * Format version 1; a reader refuses a line of another version rather than guess.
 */
public final class SpoolFormat {

  /** The version written into every header and record line. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpoolFormat() {}

  /** The record as one line of UTF-8 JSON, ending in {@code \n}. */
  public static byte[] encode(UsageRecord r) {
    // Streaming, not a tree: this runs on the caller's thread when the queue is full.
    ByteArrayOutputStream out = new ByteArrayOutputStream(640);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("id", r.id());
      g.writeStringField("started_at", instant(r.startedAt()));
      g.writeStringField("ended_at", instant(r.endedAt()));
      g.writeStringField("key_name", r.keyName());
      Attribution a = r.attribution();
      g.writeStringField("org", a.org());
      g.writeStringField("team", a.team());
      g.writeStringField("project", a.project());
      g.writeStringField("workflow", a.workflow());
      g.writeStringField("agent", a.agent());
      g.writeStringField("user_name", a.user());
      g.writeStringField("channel", a.channel());
      g.writeStringField("conversation", a.conversation());
      g.writeStringField("workload_class", a.workloadClass());
      g.writeObjectFieldStart("tags");
      if (a.tags() != null) {
        for (Map.Entry<String, String> t : a.tags().entrySet()) g.writeStringField(t.getKey(), t.getValue());
      }
      g.writeEndObject();
      g.writeStringField("provider", r.provider());
      g.writeStringField("requested_model", r.requestedModel());
      g.writeStringField("served_model", r.servedModel());
      g.writeStringField("tier", r.tier());
      g.writeStringField("route_reason", r.routeReason());
      TokenUsage u = r.usage();
      g.writeNumberField("input_tokens", u.inputTokens());
      g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
      g.writeNumberField("cache_write_tokens", u.cacheWriteTokens());
      g.writeNumberField("output_tokens", u.outputTokens());
      g.writeNumberField("reasoning_tokens", u.reasoningTokens());
      g.writeNumberField("cost_nanos", r.cost().nanos());
      g.writeStringField("status", r.status().wire());
      g.writeStringField("error_code", r.errorCode());
      g.writeNumberField("http_status", r.httpStatus());
      g.writeNumberField("latency_ms", r.latencyMs());
      if (r.ttftMs() == null) g.writeNullField("ttft_ms");
      else g.writeNumberField("ttft_ms", r.ttftMs());
      g.writeStringField("exception_id", r.exceptionId());
      g.writeBooleanField("cache_hit", r.cacheHit());
      g.writeBooleanField("usage_estimated", r.usageEstimated());
      g.writeBooleanField("stream", r.stream());
      g.writeStringField("class_reason", r.classReason());
      g.writeNumberField("attempts", r.attempts());
      g.writeObjectFieldStart("guard_findings");
      for (Map.Entry<String, Integer> f : r.guardFindings().entrySet()) g.writeNumberField(f.getKey(), f.getValue());
      g.writeEndObject();
      var eff = r.efficiency();
      g.writeNumberField("cost_saved_nanos", eff.costSaved().nanos());
      g.writeStringField("template", eff.template());
      g.writeStringField("prompt_hash", eff.promptHash());
      g.writeStringField("prefix_hash", eff.prefixHash());
      if (eff.maxTokens() == null) g.writeNullField("max_tokens");
      else g.writeNumberField("max_tokens", eff.maxTokens());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode ledger row " + r.id() + " for the spool", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * Reads one record line (without its {@code \n}).
   *
   * @throws IOException if the line is not a record of this format version
   */
  public static UsageRecord decode(byte[] line) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IOException("not a JSON line: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) throw new IOException("not a JSON object");
    if (n.path("v").asInt(-1) != VERSION) throw new IOException("unknown record version " + n.get("v"));
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
      Map<String, Integer> findings = new LinkedHashMap<>();
      n.path("guard_findings").properties().forEach(e -> findings.put(e.getKey(), e.getValue().asInt()));
      Attribution attribution = new Attribution(text(n, "org"), text(n, "team"), text(n, "project"),
          text(n, "workflow"), text(n, "agent"), text(n, "user_name"), text(n, "channel"), text(n, "conversation"),
          text(n, "workload_class"), Map.copyOf(tags));
      TokenUsage usage = new TokenUsage(n.path("input_tokens").asLong(), n.path("cached_input_tokens").asLong(),
          n.path("cache_write_tokens").asLong(), n.path("output_tokens").asLong(), n.path("reasoning_tokens").asLong());
      String id = text(n, "id");
      String status = text(n, "status");
      if (id == null || status == null || text(n, "started_at") == null) throw new IOException("id, started_at or status missing");
      return new UsageRecord(id, instantOf(text(n, "started_at")), instantOf(text(n, "ended_at")), text(n, "key_name"),
          attribution, text(n, "provider"), text(n, "requested_model"), text(n, "served_model"), text(n, "tier"),
          text(n, "route_reason"), usage, Money.ofNanos(n.path("cost_nanos").asLong()), RequestStatus.fromWire(status),
          text(n, "error_code"), n.path("latency_ms").asLong(), n.hasNonNull("ttft_ms") ? n.get("ttft_ms").asLong() : null,
          text(n, "exception_id"), n.path("cache_hit").asBoolean(), n.path("usage_estimated").asBoolean(),
          n.path("stream").asBoolean(), n.path("http_status").asInt(), text(n, "class_reason"), findings,
          n.path("attempts").asInt(),
          new dev.tollgate.domain.usage.Efficiency(Money.ofNanos(n.path("cost_saved_nanos").asLong()), text(n, "template"),
              text(n, "prompt_hash"), text(n, "prefix_hash"), n.hasNonNull("max_tokens") ? n.get("max_tokens").asLong() : null));
    } catch (RuntimeException e) {
      throw new IOException("malformed record: " + e.getMessage(), e);
    }
  }

  /** A segment's first line: which storage its rows belong to. */
  static byte[] header(String storage, Instant createdAt) {
    ObjectNode n = JSON.createObjectNode();
    n.put("tollgate_spool", VERSION);
    n.put("storage", storage);
    n.put("created_at", createdAt.toString());
    return line(n);
  }

  /** The storage a header line names. */
  static String storageOf(byte[] headerLine) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(headerLine);
    } catch (JsonProcessingException e) {
      throw new IOException("not a spool header: " + e.getOriginalMessage(), e);
    }
    if (n == null || n.path("tollgate_spool").asInt(-1) != VERSION || !n.path("storage").isTextual()) {
      throw new IOException("not a version " + VERSION + " spool header");
    }
    return n.get("storage").asText();
  }

  private static byte[] line(ObjectNode n) {
    try {
      byte[] json = JSON.writeValueAsBytes(n);
      byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
      line[json.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a spool line", e);
    }
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instantOf(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
