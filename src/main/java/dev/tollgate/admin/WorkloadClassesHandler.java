package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.domain.policy.ClassRule;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.service.WorkloadClassService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/workload-classes}: the classes and classification rules in force (list, show), and
 * classes made, replaced and deleted through the API. A body uses the config file's keys and is
 * checked by the config validator; a class of the config file answers 409 to a change.
 */
final class WorkloadClassesHandler {

  private final Vertx vertx;
  private final WorkloadClassService classes;
  private final Supplier<GatewayState> state;
  private final AdminAudit audit;

  WorkloadClassesHandler(Vertx vertx, WorkloadClassService classes, Supplier<GatewayState> state, AdminAudit audit) {
    this.vertx = vertx;
    this.classes = classes;
    this.state = state;
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    GatewayState s = state.get();
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (WorkloadClass c : s.policy().classes().values()) data.add(render(c, s));
    root.put("default", s.policy().defaultClass());
    ArrayNode rules = root.putArray("rules");
    for (ClassRule r : s.policy().rules()) rules.addObject().put("class", r.className()).set("when", AdminJson.JSON.valueToTree(r.when()));
    ArrayNode notInForce = root.putArray("not_in_force");
    classes.problems().forEach((name, why) -> notInForce.addObject().put("name", name).put("problem", why));
    AdminJson.send(ctx, 200, root);
  }

  void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ObjectNode found = current(name);
    if (found != null) {
      AdminJson.send(ctx, 200, found);
    } else if (classes.problems().containsKey(name)) {
      AdminJson.error(ctx, 404, "not_found", "Workload class '" + name + "' is stored but not in force: "
          + classes.problems().get(name));
    } else {
      AdminJson.error(ctx, 404, "not_found", "No workload class named '" + name + "'.");
    }
  }

  void create(RoutingContext ctx) {
    JsonNode body = body(ctx, null);
    if (body == null) return;
    if (!body.path("name").isTextual()) {
      AdminJson.error(ctx, 400, "invalid_request", "name is required: the class's name, e.g. {\"name\":\"summaries\","
          + "\"allow\":[\"tier:economy\"],\"pii\":\"redact\"}.");
      return;
    }
    String name = body.get("name").asText();
    AdminAudit.Change audited = audit.begin(ctx, "workload_class");
    change(ctx, name, () -> {
      var outcome = classes.create(name, WorkloadClassService.withoutName(body));
      if (outcome.change() == WorkloadClassService.Change.DONE) audited.record(name, null, current(name));
      return outcome;
    }, 201);
  }

  void replace(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonNode body = body(ctx, name);
    if (body == null) return;
    AdminAudit.Change audited = audit.begin(ctx, "workload_class");
    change(ctx, name, () -> {
      ObjectNode before = current(name);
      var outcome = classes.replace(name, WorkloadClassService.withoutName(body));
      if (outcome.change() == WorkloadClassService.Change.DONE) audited.record(name, before, current(name));
      return outcome;
    }, 200);
  }

  void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    AdminAudit.Change audited = audit.begin(ctx, "workload_class");
    ObjectNode before = current(name);
    change(ctx, name, () -> {
      var outcome = classes.delete(name);
      if (outcome.change() == WorkloadClassService.Change.DONE) {
        audited.record(name, before != null ? before : storedOnly(name), null);
      }
      return outcome;
    }, 204);
  }

  /** Runs a change off the event loop and answers: {@code okStatus} with the class, or why not. */
  private void change(RoutingContext ctx, String name, Callable<WorkloadClassService.Outcome> work, int okStatus) {
    blocking(ctx, work, outcome -> {
      switch (outcome.change()) {
        case DONE -> {
          if (okStatus == 204) ctx.response().setStatusCode(204).end();
          else AdminJson.send(ctx, okStatus, current(name));
        }
        case NOT_FOUND -> AdminJson.error(ctx, 404, "not_found", "No workload class named '" + name + "' made through the API.");
        case EXISTS -> AdminJson.error(ctx, 409, "conflict",
            "A workload class named '" + name + "' exists already; change it with PUT /admin/v1/workload-classes/" + name + ".");
        case DECLARED_IN_CONFIG -> AdminJson.error(ctx, 409, "conflict",
            "Workload class '" + name + "' is written in the config file; change it there and the gateway reloads it.");
        case IN_USE -> AdminJson.error(ctx, 409, "conflict", "Workload class '" + name + "' is the default class of key(s) "
            + String.join(", ", outcome.keys()) + "; revoke them or make them without it first.");
      }
    });
  }

  /** The class in force under that name, as the API shows it, or null. */
  private ObjectNode current(String name) {
    GatewayState s = state.get();
    WorkloadClass c = s.policy().classes().get(name);
    return c == null ? null : render(c, s);
  }

  private ObjectNode storedOnly(String name) {
    ObjectNode n = AdminJson.JSON.createObjectNode().put("name", name).put("source", "api");
    classes.document(name).ifPresent(d -> n.set("definition", d));
    return n;
  }

  private ObjectNode render(WorkloadClass c, GatewayState s) {
    ObjectNode n = AdminJson.JSON.createObjectNode().put("name", c.name());
    boolean fromConfig = classes.declaredInConfig(c.name());
    n.put("source", fromConfig ? "config" : "api");
    n.set("allow", AdminJson.JSON.valueToTree(c.allow()));
    n.set("block", AdminJson.JSON.valueToTree(c.block()));
    n.put("prefer", c.prefer());
    n.set("fallback", AdminJson.JSON.valueToTree(c.fallback()));
    n.put("pii", c.pii().wire());
    n.put("max_cost_usd", c.maxCost() == null ? null : c.maxCost().toUsd().stripTrailingZeros());
    n.put("latency_target_ms", c.latencyTarget() == null ? null : c.latencyTarget().toMillis());
    n.put("sensitivity", c.sensitivity());
    n.set("exception_tiers", AdminJson.JSON.valueToTree(c.exceptionTiers()));
    n.put("output_guard", c.output().wire());
    n.put("prompt_logging", c.promptLogging());
    n.put("cache_ttl_s", c.cacheTtlSeconds());
    ArrayNode allowed = n.putArray("allowed_models");
    for (ModelRoute m : s.models().values()) {
      if (c.permits(m.name(), m.tier())) allowed.add(m.name());
    }
    if (!fromConfig) classes.document(c.name()).ifPresent(d -> n.set("definition", d));
    return n;
  }

  /** The JSON object of the body, or null after answering 400; {@code pathName} must match a {@code name} in it. */
  private static JsonNode body(RoutingContext ctx, String pathName) {
    JsonNode body;
    try {
      body = AdminJson.JSON.readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (Exception e) {
      AdminJson.error(ctx, 400, "invalid_request", "The body is not valid JSON: " + e.getMessage());
      return null;
    }
    if (body == null || !body.isObject()) {
      AdminJson.error(ctx, 400, "invalid_request", "Send a JSON object with the config file's keys, e.g. "
          + "{\"name\":\"summaries\",\"allow\":[\"tier:economy\"],\"prefer\":\"gpt-4o-mini\",\"pii\":\"redact\"}.");
      return null;
    }
    if (pathName != null && body.has("name") && !pathName.equals(body.get("name").asText())) {
      AdminJson.error(ctx, 400, "invalid_request", "The body names class '" + body.get("name").asText() + "' but the URL names '"
          + pathName + "'; a class cannot be renamed (make a new one and delete the old).");
      return null;
    }
    return body;
  }

  private <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> render) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ConfigException e) {
        AdminJson.error(ctx, 400, "invalid_request", e.getMessage().replace("request: ", ""));
      } else if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The workload classes could not be read or saved: " + ar.cause().getMessage());
      } else {
        render.accept(ar.result());
      }
    });
  }
}
