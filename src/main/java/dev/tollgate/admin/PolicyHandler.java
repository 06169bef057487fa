package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.money.Money;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.service.KeyService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code POST /admin/v1/policy/simulate} — what would happen to a request: its class and why, its
 * route and fallbacks, the guard's findings, every budget's verdict and the decision — computed by
 * the same stages as a real request, reserving nothing and calling no provider.
 */
final class PolicyHandler {

  private final Vertx vertx;
  private final Pipeline pipeline;
  private final Supplier<GatewayState> state;
  private final KeyService keys;
  private final Clock clock;

  PolicyHandler(Vertx vertx, Pipeline pipeline, Supplier<GatewayState> state, KeyService keys, Clock clock) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.state = state;
    this.keys = keys;
    this.clock = clock;
  }

  void simulate(RoutingContext ctx) {
    JsonNode req;
    try {
      req = AdminJson.JSON.readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (Exception e) {
      AdminJson.error(ctx, 400, "invalid_request", "The body is not valid JSON: " + e.getMessage());
      return;
    }
    if (req == null || !req.isObject() || !req.path("key").isTextual() || !req.path("body").isObject()) {
      AdminJson.error(ctx, 400, "invalid_request", "Send {\"key\": \"<key name or id>\", \"body\": {<chat request>}, "
          + "\"headers\": {\"X-Tollgate-Workflow\": \"…\"}}.");
      return;
    }
    String keyRef = req.get("key").asText();
    VirtualKey key = keys.all().stream().filter(k -> k.name().equals(keyRef) || k.id().equals(keyRef)).findFirst().orElse(null);
    if (key == null) {
      AdminJson.error(ctx, 404, "not_found", "No key named '" + keyRef + "'.");
      return;
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    req.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    byte[] body = req.get("body").toString().getBytes(StandardCharsets.UTF_8);
    Exchange x = new Exchange("sim_" + Long.toString(clock.millis(), 36), clock.instant(), System.nanoTime(),
        Endpoint.CHAT_COMPLETIONS, state.get(), headers::get, body);
    x.key(key);
    vertx.executeBlocking(() -> pipeline.simulate(x)).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The simulation failed: " + ar.cause().getMessage());
        return;
      }
      AdminJson.send(ctx, 200, render(x, ar.result()));
    });
  }

  private static ObjectNode render(Exchange x, Decision decision) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    root.put("decision", decision instanceof Decision.Stop ? "refuse" : "admit");
    if (decision instanceof Decision.Stop stop) {
      root.putObject("error").put("status", stop.error().httpStatus()).put("code", stop.error().kind().code())
          .put("message", stop.error().message());
    }
    ObjectNode cls = root.putObject("classification");
    cls.put("workload_class", x.workloadClass() == null ? null : x.workloadClass().name()).put("reason", x.classReason());
    ObjectNode attribution = root.putObject("attribution");
    AdminJson.attribution(attribution, x.attribution());
    root.set("guard_findings", AdminJson.JSON.valueToTree(x.findings()));
    if (x.route() != null) {
      ObjectNode route = root.putObject("route");
      route.put("requested_model", x.requestedModel()).put("model", x.route().name()).put("upstream", x.route().upstream())
          .put("provider", x.route().provider().name()).put("tier", x.route().tier()).put("reason", x.routeReason());
      ArrayNode fb = route.putArray("fallbacks");
      x.fallbacks().forEach(m -> fb.add(m.name()));
    }
    ArrayNode budgets = root.putArray("budgets");
    for (Exchange.BudgetCheck c : x.budgetChecks()) {
      var b = c.match().budget();
      ObjectNode n = budgets.addObject().put("budget_id", b.id()).put("subject", c.match().subject())
          .put("window", b.window().kind().wire()).put("unit", b.unit().wire()).put("on_exceed", b.action().wire());
      amount(n, "limit", b.unit(), b.limit());
      amount(n, "used", b.unit(), c.used());
      amount(n, "reserved", b.unit(), c.reserved());
      amount(n, "needed", b.unit(), c.needed());
      n.put("fits", c.fits());
    }
    return root;
  }

  private static void amount(ObjectNode n, String field, BudgetUnit unit, long v) {
    if (unit == BudgetUnit.USD) AdminJson.usd(n, field, Money.ofNanos(v));
    else n.put(field, v);
  }

}
