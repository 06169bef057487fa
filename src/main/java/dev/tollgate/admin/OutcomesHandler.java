package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.report.Outcome;
import dev.tollgate.report.OutcomeLog;
import dev.tollgate.report.OutcomeStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /admin/v1/outcomes} records business outcomes (type, count, value_usd, workflow, agent,
 * team, at; audited); {@code GET /admin/v1/outcomes?from&to&workflow=…} lists them, newest first.
 */
final class OutcomesHandler {

  private static final String EXAMPLE = "{\"type\":\"ticket_resolved\",\"count\":12,\"value_usd\":240,"
      + "\"workflow\":\"ticket-triage\",\"at\":\"2026-11-20T17:00:00Z\"}";
  private static final List<String> FIELDS = List.of("id", "type", "count", "value_usd", "workflow", "agent", "team", "at",
      "note");

  private final Vertx vertx;
  private final OutcomeLog log;
  private final OutcomeStore store;
  private final Supplier<GatewayConfig> config;
  private final Clock clock;
  private final AdminAudit audit;

  OutcomesHandler(Vertx vertx, OutcomeLog log, OutcomeStore store, Supplier<GatewayConfig> config, Clock clock, AdminAudit audit) {
    this.vertx = vertx;
    this.log = log;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.audit = audit;
  }

  void record(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, EXAMPLE);
    if (body == null) return;
    OutcomeLog.Draft draft;
    try {
      for (var it = body.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) throw new IllegalArgumentException("unknown field '" + f + "'; an outcome has " + FIELDS);
      }
      String at = ReportsHandler.text(body, "at");
      Instant when;
      try {
        when = at == null ? null : Instant.parse(at);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'at' must be an instant such as 2026-11-20T17:00:00Z");
      }
      draft = new OutcomeLog.Draft(ReportsHandler.text(body, "id"), ReportsHandler.text(body, "type"),
          ReportsHandler.whole(body, "count"), ReportsHandler.usd(body, "value_usd"), ReportsHandler.text(body, "workflow"),
          ReportsHandler.text(body, "agent"), ReportsHandler.text(body, "team"), when, ReportsHandler.text(body, "note"));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    AdminAudit.Change change = audit.begin(ctx, "outcome");
    ReportsHandler.blocking(vertx, ctx, () -> {
      var recorded = log.record(draft);
      recorded.ifPresent(o -> change.record(o.id(), null, json(o)));
      return recorded;
    }, recorded -> recorded.ifPresentOrElse(
        o -> AdminJson.send(ctx, 201, json(o)),
        () -> AdminJson.error(ctx, 409, "conflict", "An outcome with id '" + draft.id() + "' is recorded already.")));
  }

  void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    ReportsHandler.Period period;
    int limit;
    Map<String, String> equals = new LinkedHashMap<>();
    try {
      period = ReportsHandler.period(params, "from", "to", config.get().org().timeZone(), clock);
      limit = ReportsHandler.integer(params, "limit", 100, 1, 10_000);
      for (String name : params.names()) {
        if (List.of("from", "to", "limit").contains(name)) continue;
        if (!OutcomeStore.DIMENSIONS.contains(name)) {
          throw new IllegalArgumentException("outcomes are filtered by " + String.join(", ", OutcomeStore.DIMENSIONS)
              + ", from, to and limit; not '" + name + "'");
        }
        equals.put(name, params.get(name));
      }
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.blocking(vertx, ctx, () -> store.list(period.from(), period.to(), equals, limit), rows -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("from", period.from().toString()).put("to", period.to().toString());
      ArrayNode data = root.putArray("data");
      rows.forEach(o -> data.add(json(o)));
      AdminJson.send(ctx, 200, root);
    });
  }

  static ObjectNode json(Outcome o) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("id", o.id()).put("type", o.type()).put("count", o.count());
    AdminJson.usd(n, "value_usd", o.value());
    n.put("workflow", o.workflow()).put("agent", o.agent()).put("team", o.team()).put("at", o.at().toString())
        .put("recorded_at", o.recordedAt().toString()).put("note", o.note()).put("user", o.user()).put("key", o.key())
        .put("request_id", o.requestId());
    return n;
  }
}
