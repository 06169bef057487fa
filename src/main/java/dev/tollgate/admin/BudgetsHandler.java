package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.BudgetConfig;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.money.Money;
import dev.tollgate.service.BudgetNotices;
import dev.tollgate.service.BudgetService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/budgets}: list, make (also from a salary template), show, change, delete;
 * {@code /budgets/status} with use, holds, limit and projections; {@code /budgets/notifications}.
 */
final class BudgetsHandler {

  private final Vertx vertx;
  private final BudgetService budgets;
  private final BudgetNotices notices;
  private final Supplier<GatewayConfig> config;
  private final AdminAudit audit;

  BudgetsHandler(Vertx vertx, BudgetService budgets, BudgetNotices notices, Supplier<GatewayConfig> config, AdminAudit audit) {
    this.vertx = vertx;
    this.budgets = budgets;
    this.notices = notices;
    this.config = config;
    this.audit = audit;
  }

  /** The team a budget belongs to for a team lead's view: its scope's team, or none. */
  private static String teamOf(Budget b) {
    return b.scope().kind() == dev.tollgate.domain.budget.ScopeKind.TEAM ? b.scope().value() : null;
  }

  void list(RoutingContext ctx) {
    blocking(ctx, budgets::all, all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      AccessRules.Access access = AdminAuth.access(ctx);
      all.stream().filter(b -> access.permitsTeam(teamOf(b))).forEach(b -> data.add(budget(b)));
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AccessRules.Access access = AdminAuth.access(ctx);
    blocking(ctx, () -> budgets.find(id).filter(b -> access.permitsTeam(teamOf(b))), found -> found.ifPresentOrElse(b -> AdminJson.send(ctx, 200, budget(b)),
        () -> AdminJson.error(ctx, 404, "not_found", "No budget with id '" + id + "'.")));
  }

  void create(RoutingContext ctx) {
    create(ctx, ConfigLoader::budget);
  }

  void createFromTemplate(RoutingContext ctx) {
    create(ctx, ConfigLoader::salaryBudget);
  }

  private void create(RoutingContext ctx, Function<JsonNode, BudgetConfig> reader) {
    BudgetConfig cfg = read(ctx, reader);
    if (cfg == null) return;
    AdminAudit.Change change = audit.begin(ctx, "budget");
    blocking(ctx, () -> {
      Budget b = budgets.create(cfg);
      change.record(b.id(), null, budget(b));
      return b;
    }, b -> AdminJson.send(ctx, 201, budget(b)));
  }

  void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    BudgetConfig cfg = read(ctx, ConfigLoader::budget);
    if (cfg == null) return;
    AdminAudit.Change audited = audit.begin(ctx, "budget");
    blocking(ctx, () -> {
      var before = budgets.find(id).map(BudgetsHandler::budget).orElse(null);
      var change = budgets.update(id, cfg);
      if (change == BudgetService.Change.DONE) audited.record(id, before, budgets.find(id).map(BudgetsHandler::budget).orElse(null));
      return change;
    }, change -> answer(ctx, id, change));
  }

  void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AdminAudit.Change audited = audit.begin(ctx, "budget");
    blocking(ctx, () -> {
      var before = budgets.find(id).map(BudgetsHandler::budget).orElse(null);
      var change = budgets.delete(id);
      if (change == BudgetService.Change.DONE) audited.record(id, before, null);
      return change;
    }, change -> {
      if (change == BudgetService.Change.DONE) ctx.response().setStatusCode(204).end();
      else answer(ctx, id, change);
    });
  }

  private void answer(RoutingContext ctx, String id, BudgetService.Change change) {
    switch (change) {
      case DONE -> budgets.find(id).ifPresent(b -> AdminJson.send(ctx, 200, budget(b)));
      case NOT_FOUND -> AdminJson.error(ctx, 404, "not_found", "No budget with id '" + id + "' made through the API.");
      case DECLARED_IN_CONFIG -> AdminJson.error(ctx, 409, "conflict",
          "Budget '" + id + "' is written in the config file; change it there and the gateway reloads it.");
      case WHAT_IT_COUNTS_CHANGED -> AdminJson.error(ctx, 409, "conflict",
          "A budget's scope, window and unit cannot change (its counters hold use in those terms); "
              + "delete it and make a new one, or change only the limit, warn_at, on_exceed or note.");
    }
  }

  void status(RoutingContext ctx) {
    blocking(ctx, () -> budgets.status(config.get().org().timeZone()), rows -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("time_zone", config.get().org().timeZone().getId());
      ArrayNode data = root.putArray("data");
      AccessRules.Access access = AdminAuth.access(ctx);
      for (BudgetService.Status s : rows) {
        if (!access.permitsTeam(teamOf(s.budget()))) continue;
        ObjectNode n = data.addObject();
        Budget b = s.budget();
        n.put("budget_id", b.id()).put("scope", b.scope().toString()).put("subject", s.subject())
            .put("window", b.window().kind().wire()).put("unit", b.unit().wire()).put("on_exceed", b.action().wire())
            .put("hard", b.hard());
        amount(n, "limit", b.unit(), b.limit());
        amount(n, "used", b.unit(), s.used());
        amount(n, "reserved", b.unit(), s.reserved());
        amount(n, "remaining", b.unit(), s.remaining());
        n.put("utilisation", b.limit() == 0 ? 0 : Math.round(10_000.0 * (s.used() + s.reserved()) / b.limit()) / 10_000.0);
        n.put("period_start", s.periodStart() == null ? null : s.periodStart().toString());
        n.put("period_end", s.periodEnd() == null ? null : s.periodEnd().toString());
        if (s.projectedUse() != null) amount(n, "projected_use", b.unit(), s.projectedUse());
        else n.putNull("projected_use");
        n.put("projected_exhaustion", s.projectedExhaustion() == null ? null : s.projectedExhaustion().toString());
        n.put("review_date", b.reviewDate() == null ? null : b.reviewDate().toString());
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void notifications(RoutingContext ctx) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    AccessRules.Access access = AdminAuth.access(ctx);
    for (BudgetNotices.Notice n : notices.recent()) {
      if (!access.permitsTeam(n.subject() != null && n.subject().startsWith("team:") ? n.subject().substring(5) : null)) continue;
      data.addObject().put("at", n.at().toString()).put("budget_id", n.budgetId()).put("subject", n.subject())
          .put("window", n.window()).put("unit", n.unit()).put("threshold", n.threshold()).put("used", n.used())
          .put("limit", n.limit()).put("period_end", n.periodEnd() == null ? null : n.periodEnd().toString())
          .put("message", n.message());
    }
    AdminJson.send(ctx, 200, root);
  }

  static ObjectNode budget(Budget b) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("id", b.id()).put("scope", b.scope().toString()).put("window", b.window().kind().wire());
    if (b.window().customStart() != null) n.put("start", b.window().customStart().toString()).put("end", b.window().customEnd().toString());
    n.put("unit", b.unit().wire());
    amount(n, "limit", b.unit(), b.limit());
    n.put("on_exceed", b.action().wire()).put("hard", b.hard());
    n.set("warn_at", AdminJson.JSON.valueToTree(b.warnAt()));
    n.put("source", b.source()).put("review_date", b.reviewDate() == null ? null : b.reviewDate().toString()).put("note", b.note());
    return n;
  }

  /** USD as an exact decimal number, everything else as a whole number. */
  private static void amount(ObjectNode n, String field, BudgetUnit unit, long v) {
    if (unit == BudgetUnit.USD) AdminJson.usd(n, field, Money.ofNanos(v));
    else n.put(field, v);
  }

  private static BudgetConfig read(RoutingContext ctx, Function<JsonNode, BudgetConfig> reader) {
    JsonNode body;
    try {
      body = AdminJson.JSON.readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (Exception e) {
      AdminJson.error(ctx, 400, "invalid_request", "The body is not valid JSON: " + e.getMessage());
      return null;
    }
    if (body == null || !body.isObject()) {
      AdminJson.error(ctx, 400, "invalid_request",
          "Send a JSON object, e.g. {\"scope\":\"team:support\",\"window\":\"month\",\"usd\":8000,\"warn_at\":[0.8]}.");
      return null;
    }
    try {
      return reader.apply(body);
    } catch (ConfigException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage().replace("request: ", ""));
      return null;
    }
  }

  private <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.Consumer<T> render) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The budgets could not be read or saved: " + ar.cause().getMessage());
      else render.accept(ar.result());
    });
  }
}
