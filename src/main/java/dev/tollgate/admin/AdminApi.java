package dev.tollgate.admin;

import dev.tollgate.config.GatewayConfig;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.service.BudgetNotices;
import dev.tollgate.service.BudgetService;
import dev.tollgate.service.KeyService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The admin API under {@code /admin/v1}. Every route takes the bootstrap bearer token (deny by
 * default: with no token configured the admin API answers 401 to everyone). Handlers parse, call
 * one service, render; database work runs on worker threads, never on the event loop.
 */
public final class AdminApi {

  private final Supplier<GatewayConfig> config;
  private final KeysHandler keys;
  private final UsageHandler usage;
  private final PricesHandler prices;
  private final BudgetsHandler budgets;
  private final PolicyHandler policy;
  private final ExceptionsHandler exceptions;
  private final AlertsHandler alerts;

  public AdminApi(Vertx vertx, Supplier<GatewayConfig> config, KeyService keyService, UsageQuery usageQuery,
      PricesHandler prices, BudgetService budgetService, BudgetNotices notices, Clock clock,
      dev.tollgate.pipeline.Pipeline pipeline, Supplier<dev.tollgate.pipeline.GatewayState> state,
      dev.tollgate.service.ExceptionService exceptionService, dev.tollgate.service.AlertService alertService) {
    this.config = config;
    this.keys = new KeysHandler(vertx, keyService, config);
    this.usage = new UsageHandler(vertx, usageQuery, config, clock);
    this.prices = prices;
    this.budgets = new BudgetsHandler(vertx, budgetService, notices, config);
    this.policy = new PolicyHandler(vertx, pipeline, state, keyService, clock);
    this.exceptions = new ExceptionsHandler(vertx, exceptionService, clock);
    this.alerts = new AlertsHandler(alertService);
  }

  public void mount(Router router) {
    router.route("/admin/v1/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    router.route("/admin/v1/*").handler(this::authorize);
    router.get("/admin/v1/openapi.json").handler(this::openApi);
    router.post("/admin/v1/keys").handler(keys::create);
    router.get("/admin/v1/keys").handler(keys::list);
    router.get("/admin/v1/keys/:id").handler(keys::get);
    router.post("/admin/v1/keys/:id/revoke").handler(keys::revoke);
    router.delete("/admin/v1/keys/:id").handler(keys::revoke);
    router.get("/admin/v1/budgets").handler(budgets::list);
    router.post("/admin/v1/budgets").handler(budgets::create);
    router.post("/admin/v1/budgets/from-template").handler(budgets::createFromTemplate);
    router.get("/admin/v1/budgets/status").handler(budgets::status);
    router.get("/admin/v1/budgets/notifications").handler(budgets::notifications);
    router.get("/admin/v1/budgets/:id").handler(budgets::get);
    router.put("/admin/v1/budgets/:id").handler(budgets::update);
    router.delete("/admin/v1/budgets/:id").handler(budgets::delete);
    router.get("/admin/v1/alerts").handler(alerts::list);
    router.post("/admin/v1/alerts/:id/ack").handler(alerts::ack);
    router.post("/admin/v1/alerts/:id/resolve").handler(alerts::resolve);
    router.post("/admin/v1/exceptions").handler(exceptions::create);
    router.get("/admin/v1/exceptions").handler(exceptions::list);
    router.get("/admin/v1/exceptions/review").handler(exceptions::review);
    router.get("/admin/v1/exceptions/notifications").handler(exceptions::notifications);
    router.get("/admin/v1/exceptions/:id").handler(exceptions::get);
    router.post("/admin/v1/exceptions/:id/approve").handler(exceptions::approve);
    router.post("/admin/v1/exceptions/:id/deny").handler(exceptions::deny);
    router.post("/admin/v1/exceptions/:id/revoke").handler(exceptions::revoke);
    router.post("/admin/v1/exceptions/:id/renew").handler(exceptions::renew);
    router.post("/admin/v1/exceptions/:id/notes").handler(exceptions::note);
    router.post("/admin/v1/policy/simulate").handler(policy::simulate);
    router.get("/admin/v1/workload-classes").handler(policy::classes);
    router.get("/admin/v1/usage").handler(usage::aggregate);
    router.get("/admin/v1/ledger").handler(usage::recent);
    router.get("/admin/v1/prices").handler(prices::list);
    router.get("/admin/v1/prices/:model").handler(prices::get);
    router.route("/admin/v1/*").handler(ctx ->
        AdminJson.error(ctx, 404, "not_found", "No admin route " + ctx.request().method() + " " + ctx.request().path()
            + ". GET /admin/v1/openapi.json lists them."));
  }

  private void authorize(RoutingContext ctx) {
    String token = config.get().admin() == null ? null : config.get().admin().token();
    String auth = ctx.request().getHeader("authorization");
    String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (token == null || presented == null || !MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
      AdminJson.error(ctx, 401, "invalid_admin_token", token == null
          ? "The admin API is off: set admin.token in the config file."
          : "Send the admin token as 'Authorization: Bearer <admin.token>'.");
      return;
    }
    ctx.next();
  }

  private void openApi(RoutingContext ctx) {
    try (InputStream in = AdminApi.class.getResourceAsStream("/openapi.json")) {
      ctx.response().putHeader("content-type", "application/json").end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      AdminJson.error(ctx, 500, "internal_error", "The OpenAPI document is missing from this build.");
    }
  }
}
