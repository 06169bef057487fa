package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.report.efficiency.PromptTemplate;
import dev.tollgate.report.efficiency.TemplateCosting;
import dev.tollgate.report.efficiency.TemplateLibrary;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/templates}: the prompt template library — create ({@code POST}, 201), list, show,
 * delete. Each template is shown with its prompt tokens and cost per call on every model its
 * workload class allows (every model when it names none), counted with the gateway's own tokenizer
 * and priced from the running price catalog.
 */
final class TemplatesHandler {

  private static final String EXAMPLE = "{\"name\":\"ticket-summary\",\"workload_class\":\"classification\","
      + "\"description\":\"Summarise a ticket in two lines\",\"body\":\"Summarise this ticket in two lines: {{ticket}}\","
      + "\"expected_output_tokens\":60}";
  private static final List<String> FIELDS = List.of("name", "workload_class", "description", "body", "expected_output_tokens");

  private final Vertx vertx;
  private final TemplateLibrary library;
  private final Supplier<GatewayState> state;
  private final PromptEstimator estimator;
  private final AdminAudit audit;

  TemplatesHandler(Vertx vertx, TemplateLibrary library, Supplier<GatewayState> state, PromptEstimator estimator, AdminAudit audit) {
    this.vertx = vertx;
    this.library = library;
    this.state = state;
    this.estimator = estimator;
    this.audit = audit;
  }

  void create(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, EXAMPLE);
    if (body == null) return;
    TemplateLibrary.Draft draft;
    try {
      for (var it = body.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) throw new IllegalArgumentException("unknown field '" + f + "'; a template has " + String.join(", ", FIELDS));
      }
      draft = new TemplateLibrary.Draft(ReportsHandler.text(body, "name"), ReportsHandler.text(body, "workload_class"),
          ReportsHandler.text(body, "description"), ReportsHandler.text(body, "body"), ReportsHandler.whole(body, "expected_output_tokens"));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    GatewayState s = state.get();
    String actor = AdminAuth.principal(ctx).actor();
    AdminAudit.Change change = audit.begin(ctx, "template");
    ReportsHandler.blocking(vertx, ctx, () -> {
      var created = library.create(draft, actor, s.policy().classes().keySet());
      created.ifPresent(t -> change.record(t.name(), null, json(t, s)));
      return created;
    }, created -> created.ifPresentOrElse(
        t -> AdminJson.send(ctx, 201, json(t, s)),
        () -> AdminJson.error(ctx, 409, "conflict", "A template '" + draft.name() + "' exists already; "
            + "DELETE /admin/v1/templates/" + draft.name() + " first to replace it.")));
  }

  void list(RoutingContext ctx) {
    GatewayState s = state.get();
    ReportsHandler.blocking(vertx, ctx, library::list, all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      all.forEach(t -> data.add(json(t, s)));
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    GatewayState s = state.get();
    ReportsHandler.blocking(vertx, ctx, () -> library.find(name), found -> found.ifPresentOrElse(
        t -> AdminJson.send(ctx, 200, json(t, s)), () -> notFound(ctx, name)));
  }

  void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    GatewayState s = state.get();
    AdminAudit.Change change = audit.begin(ctx, "template");
    ReportsHandler.blocking(vertx, ctx, () -> {
      var before = library.find(name);
      boolean deleted = library.delete(name);
      if (deleted) change.record(name, before.map(t -> json(t, s)).orElse(null), null);
      return deleted;
    }, deleted -> {
      if (deleted) ctx.response().setStatusCode(204).end();
      else notFound(ctx, name);
    });
  }

  private static void notFound(RoutingContext ctx, String name) {
    AdminJson.error(ctx, 404, "not_found", "No template '" + name + "'; GET /admin/v1/templates lists them.");
  }

  private ObjectNode json(PromptTemplate t, GatewayState s) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("name", t.name()).put("workload_class", t.workloadClass()).put("description", t.description()).put("body", t.body())
        .put("expected_output_tokens", t.expectedOutputTokens()).put("created_at", t.createdAt().toString())
        .put("created_by", t.createdBy());
    ArrayNode costs = n.putArray("models");
    for (var c : TemplateCosting.costs(t, models(t, s), this::promptTokens)) {
      ObjectNode m = costs.addObject().put("model", c.model()).put("tier", c.tier())
          .put("input_tokens", c.inputTokens()).put("output_tokens", c.outputTokens());
      AdminJson.usd(m, "cost_per_call_usd", c.costPerCall());
    }
    return n;
  }

  /** A template's prompt as one user message, counted like a request's prompt. */
  private long promptTokens(String upstream, String text) {
    ObjectNode body = AdminJson.JSON.createObjectNode();
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return estimator.promptTokens(upstream, body);
  }

  /** The models the template's class allows (every model when it names no class, or its class is gone). */
  private static List<TemplateCosting.PricedModel> models(PromptTemplate t, GatewayState s) {
    WorkloadClass cls = t.workloadClass() == null ? null : s.policy().classes().get(t.workloadClass());
    List<TemplateCosting.PricedModel> out = new ArrayList<>();
    for (ModelRoute m : s.models().values()) {
      if (cls != null && !cls.permits(m.name(), m.tier())) continue;
      out.add(new TemplateCosting.PricedModel(m.name(), m.upstream(), m.tier(), m.price()));
    }
    return out;
  }
}
