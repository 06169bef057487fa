package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditQuery;
import dev.tollgate.service.AuditLog;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/audit} (filters {@code from}, {@code to}, {@code actor}, {@code resource};
 * paging with {@code after} and {@code limit}), {@code /audit/export} (every matching row as JSON
 * lines, streamed a page at a time) and {@code /audit/verify} (recomputes the hash chain).
 */
final class AuditHandler {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Vertx vertx;
  private final AuditLog audit;
  private final Supplier<GatewayConfig> config;

  AuditHandler(Vertx vertx, AuditLog audit, Supplier<GatewayConfig> config) {
    this.vertx = vertx;
    this.audit = audit;
    this.config = config;
  }

  void list(RoutingContext ctx) {
    AuditQuery query;
    try {
      query = query(ctx.queryParams(), true);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> audit.find(query)).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The audit log could not be read: " + ar.cause().getMessage());
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      List<AuditEntry> rows = ar.result();
      rows.forEach(r -> data.add(entry(r)));
      if (rows.size() == query.limit()) root.put("next_after", rows.get(rows.size() - 1).seq());
      else root.putNull("next_after");
      AdminJson.send(ctx, 200, root);
    });
  }

  void export(RoutingContext ctx) {
    AuditQuery query;
    try {
      query = query(ctx.queryParams(), false);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ctx.response().setChunked(true).putHeader("content-type", "application/x-ndjson")
        .putHeader("content-disposition", "attachment; filename=\"tollgate-audit.jsonl\"");
    exportPage(ctx, query);
  }

  /** Reads one page on a worker, writes it, and asks for the next once the client has taken it. */
  private void exportPage(RoutingContext ctx, AuditQuery query) {
    vertx.executeBlocking(() -> audit.find(query)).onComplete(ar -> {
      var response = ctx.response();
      if (response.closed()) return;
      if (ar.failed()) {
        if (!response.headWritten()) AdminJson.error(ctx, 500, "internal_error", "The audit log could not be read: " + ar.cause().getMessage());
        else ctx.request().connection().close(); // a cut stream, not a complete-looking file
        return;
      }
      List<AuditEntry> rows = ar.result();
      StringBuilder lines = new StringBuilder();
      for (AuditEntry r : rows) lines.append(entry(r)).append('\n');
      if (rows.size() < query.limit()) {
        response.end(lines.toString());
        return;
      }
      AuditQuery next = new AuditQuery(query.from(), query.to(), query.actor(), query.resourceType(), query.resourceId(),
          rows.get(rows.size() - 1).seq(), query.limit());
      response.write(lines.toString());
      if (response.writeQueueFull()) response.drainHandler(v -> exportPage(ctx, next));
      else exportPage(ctx, next);
    });
  }

  void verify(RoutingContext ctx) {
    vertx.executeBlocking(audit::verify).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The audit log could not be read: " + ar.cause().getMessage());
        return;
      }
      AdminJson.send(ctx, 200, verification(ar.result()));
    });
  }

  static ObjectNode verification(AuditChain.Verification v) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("ok", v.ok()).put("rows", v.rows()).put("head_seq", v.headSeq()).put("head_hash", v.headHash());
    if (v.ok()) n.putNull("first_bad_seq").putNull("problem");
    else n.put("first_bad_seq", v.firstBadSeq()).put("problem", v.problem());
    return n;
  }

  /** One row; {@code before} and {@code after} are the stored JSON text itself, byte for byte. */
  static ObjectNode entry(AuditEntry r) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    var e = r.event();
    n.put("seq", r.seq()).put("at", e.at().toString()).put("actor", e.actor()).put("actor_role", e.actorRole())
        .put("method", e.method()).put("route", e.route()).put("resource_type", e.resourceType())
        .put("resource_id", e.resourceId());
    if (e.before() == null) n.putNull("before");
    else n.putRawValue("before", new RawValue(e.before()));
    if (e.after() == null) n.putNull("after");
    else n.putRawValue("after", new RawValue(e.after()));
    n.put("prev_hash", r.prevHash()).put("hash", r.hash());
    return n;
  }

  private AuditQuery query(MultiMap params, boolean paged) {
    ZoneId zone = config.get().org().timeZone();
    Instant from = params.contains("from") ? time(params.get("from"), zone, "from") : null;
    Instant to = params.contains("to") ? time(params.get("to"), zone, "to") : null;
    if (from != null && to != null && !from.isBefore(to)) throw new IllegalArgumentException("'from' must be before 'to'");
    String actor = blankToNull(params.get("actor"));
    String resource = blankToNull(params.get("resource"));
    String type = resource;
    String id = null;
    if (resource != null && resource.indexOf(':') > 0) {
      type = resource.substring(0, resource.indexOf(':'));
      id = blankToNull(resource.substring(resource.indexOf(':') + 1));
    }
    long after = whole(params.get("after"), "after", 0, Long.MAX_VALUE, 0);
    int limit = paged ? (int) whole(params.get("limit"), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT) : AuditLog.PAGE;
    return new AuditQuery(from, to, actor, type, id, after, limit);
  }

  private static long whole(String value, String name, long min, long max, long fallback) {
    if (value == null || value.isBlank()) return fallback;
    try {
      long v = Long.parseLong(value.trim());
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + name + "' must be a whole number from " + min + (max == Long.MAX_VALUE ? "" : " to " + max));
  }

  private static Instant time(String value, ZoneId zone, String name) {
    try {
      if (value.length() == 10) return LocalDate.parse(value).atStartOfDay(zone).toInstant();
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + name + "' must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
