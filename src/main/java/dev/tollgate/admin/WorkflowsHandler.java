package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowRegistry;
import dev.tollgate.report.WorkflowStage;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code /admin/v1/workflows}: the use-case registry — register ({@code POST}, 201), list, show,
 * change ({@code PUT}, only the fields sent), delete; every change audited with the workflow before and after.
 */
final class WorkflowsHandler {

  private static final String EXAMPLE = "{\"name\":\"ticket-triage\",\"owner\":\"ana@example.com\",\"purpose\":\"route "
      + "support tickets\",\"kpi\":\"tickets resolved per day\",\"expected_value_usd\":12000,\"stage\":\"production\"}";

  private final Vertx vertx;
  private final WorkflowRegistry registry;
  private final AdminAudit audit;

  WorkflowsHandler(Vertx vertx, WorkflowRegistry registry, AdminAudit audit) {
    this.vertx = vertx;
    this.registry = registry;
    this.audit = audit;
  }

  void create(RoutingContext ctx) {
    WorkflowRegistry.Draft draft = draft(ctx);
    if (draft == null) return;
    AdminAudit.Change change = audit.begin(ctx, "workflow");
    ReportsHandler.blocking(vertx, ctx, () -> {
      Optional<Workflow> made = registry.create(draft);
      made.ifPresent(w -> change.record(w.name(), null, json(w)));
      return made;
    }, created -> created.ifPresentOrElse(
        w -> AdminJson.send(ctx, 201, json(w)),
        () -> AdminJson.error(ctx, 409, "conflict", "Workflow '" + draft.name() + "' is registered already; "
            + "PUT /admin/v1/workflows/" + draft.name() + " changes it.")));
  }

  void list(RoutingContext ctx) {
    ReportsHandler.blocking(vertx, ctx, registry::list, all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      all.forEach(w -> data.add(json(w)));
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ReportsHandler.blocking(vertx, ctx, () -> registry.find(name), found -> found.ifPresentOrElse(
        w -> AdminJson.send(ctx, 200, json(w)), () -> notFound(ctx, name)));
  }

  void update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    WorkflowRegistry.Draft draft = draft(ctx);
    if (draft == null) return;
    AdminAudit.Change change = audit.begin(ctx, "workflow");
    ReportsHandler.blocking(vertx, ctx, () -> {
      Optional<Workflow> before = registry.find(name);
      Optional<Workflow> after = registry.update(name, draft);
      after.ifPresent(w -> change.record(name, before.map(WorkflowsHandler::json).orElse(null), json(w)));
      return after;
    }, changed -> changed.ifPresentOrElse(
        w -> AdminJson.send(ctx, 200, json(w)), () -> notFound(ctx, name)));
  }

  void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    AdminAudit.Change change = audit.begin(ctx, "workflow");
    ReportsHandler.blocking(vertx, ctx, () -> {
      Optional<Workflow> before = registry.find(name);
      boolean gone = before.isPresent() && registry.delete(name);
      if (gone) change.record(name, json(before.get()), null);
      return gone;
    }, deleted -> {
      if (deleted) ctx.response().setStatusCode(204).end();
      else notFound(ctx, name);
    });
  }

  private static void notFound(RoutingContext ctx, String name) {
    AdminJson.error(ctx, 404, "not_found", "No workflow '" + name + "' is registered; POST /admin/v1/workflows registers it.");
  }

  private static WorkflowRegistry.Draft draft(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, EXAMPLE);
    if (body == null) return null;
    try {
      for (var it = body.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!java.util.List.of("name", "owner", "purpose", "kpi", "expected_value_usd", "stage", "team").contains(f)) {
          throw new IllegalArgumentException("unknown field '" + f + "'; a workflow has name, owner, purpose, kpi, "
              + "expected_value_usd, stage (experiment, production, retired) and team");
        }
      }
      String stage = ReportsHandler.text(body, "stage");
      return new WorkflowRegistry.Draft(ReportsHandler.text(body, "name"), ReportsHandler.text(body, "owner"),
          ReportsHandler.text(body, "purpose"), ReportsHandler.text(body, "kpi"), ReportsHandler.usd(body, "expected_value_usd"),
          stage == null ? null : WorkflowStage.fromWire(stage), ReportsHandler.text(body, "team"));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return null;
    }
  }

  static ObjectNode json(Workflow w) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("name", w.name()).put("owner", w.owner()).put("purpose", w.purpose()).put("kpi", w.kpi());
    ReportsHandler.usdOrNull(n, "expected_value_usd", w.expectedValue());
    n.put("stage", w.stage().wire()).put("team", w.team());
    n.put("created_at", w.createdAt().toString()).put("updated_at", w.updatedAt().toString());
    return n;
  }
}
