package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.report.SpendForecast;
import dev.tollgate.report.WhatIf;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/forecast?scope=team:support[&budget_usd=…]}: month-end and next-quarter
 * projections from the scope's daily cost, the back-test error, and the day its monthly USD budget
 * runs out; {@code POST /admin/v1/forecast/what-if}: the monthly cost of a planned workload.
 */
final class ReportsForecastHandler {

  private static final String WHAT_IF_EXAMPLE = "{\"model\":\"gpt-4o-mini\",\"calls_per_day\":5000,\"input_tokens\":1200,"
      + "\"output_tokens\":300,\"days\":30}";
  private static final List<String> WHAT_IF_FIELDS = List.of("model", "calls_per_day", "input_tokens", "cached_input_tokens",
      "output_tokens", "reasoning_tokens", "days");

  private final Vertx vertx;
  private final UsageQuery usage;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ReportsForecastHandler(Vertx vertx, UsageQuery usage, Supplier<GatewayConfig> config, Supplier<GatewayState> state,
      Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void forecast(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    BudgetScope scope;
    Map<String, String> equals;
    Long budget;
    String budgetSource;
    try {
      scope = BudgetScope.parse(params.contains("scope") ? params.get("scope") : "org");
      equals = SpendForecast.filterFor(scope);
      if (params.contains("budget_usd")) {
        budget = Money.ofUsd(params.get("budget_usd")).nanos();
        if (budget <= 0) throw new IllegalArgumentException("'budget_usd' must be greater than zero");
        budgetSource = "request";
      } else {
        Optional<Budget> monthly = state.get().budgets().budgets().stream()
            .filter(b -> b.scope().equals(scope) && b.window().kind() == WindowKind.MONTH && b.unit() == BudgetUnit.USD)
            .findFirst();
        budget = monthly.map(Budget::limit).orElse(null);
        budgetSource = monthly.map(Budget::id).orElse(null);
      }
    } catch (NumberFormatException e) {
      AdminJson.error(ctx, 400, "invalid_request", "'budget_usd' must be a USD amount such as 8000");
      return;
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.blocking(vertx, ctx, () -> SpendForecast.fromLedger(usage, equals, zone, clock.instant(), budget), p -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("scope", scope.toString()).put("time_zone", zone.getId()).put("today", p.today().toString());
      ObjectNode method = root.putObject("method").put("name", p.method().wire()).put("history_days", p.historyDays());
      if (!Double.isNaN(p.alpha())) method.put("alpha", p.alpha()).put("beta", p.beta()).put("gamma", p.gamma());
      ObjectNode backtest = root.putObject("backtest").put("method", p.backtest().method().wire())
          .put("days", p.backtest().days());
      if (p.backtest().mapePct() == null) {
        backtest.putNull("mape_pct").put("note", "too little history (or only zero days) to hold a week out");
      } else {
        backtest.put("mape_pct", Math.round(p.backtest().mapePct() * 100) / 100.0);
      }
      ObjectNode month = root.putObject("month").put("start", p.today().withDayOfMonth(1).toString())
          .put("end", p.today().withDayOfMonth(p.today().lengthOfMonth()).toString());
      AdminJson.usd(month, "to_date_usd", p.monthToDate());
      AdminJson.usd(month, "projected_usd", p.monthEnd());
      ObjectNode quarter = root.putObject("next_quarter").put("start", p.nextQuarterStart().toString())
          .put("end", p.nextQuarterEnd().toString());
      AdminJson.usd(quarter, "projected_usd", p.nextQuarter());
      ObjectNode b = root.putObject("budget");
      ReportsHandler.usdOrNull(b, "monthly_limit_usd", p.monthlyBudget());
      b.put("source", budgetSource).put("exhausted_on", p.budgetExhaustedOn() == null ? null : p.budgetExhaustedOn().toString());
      if (p.monthlyBudget() == null) {
        b.put("message", "No monthly USD budget covers " + scope + "; pass budget_usd to test one.");
      } else if (p.budgetExhaustedOn() != null) {
        b.put("message", scope + (p.budgetExhaustedOn().isAfter(p.today()) ? " is projected to exhaust" : " exhausted")
            + " its monthly budget on " + p.budgetExhaustedOn() + ".");
      } else {
        b.put("message", scope + " stays within its monthly budget this month at the projected pace.");
      }
      ArrayNode days = root.putArray("rest_of_month");
      for (SpendForecast.Day d : p.restOfMonth()) AdminJson.usd(days.addObject().put("date", d.date().toString()), "usd", d.cost());
      AdminJson.send(ctx, 200, root);
    });
  }

  void whatIf(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, WHAT_IF_EXAMPLE);
    if (body == null) return;
    WhatIf.Plan plan;
    try {
      for (var it = body.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!WHAT_IF_FIELDS.contains(f)) throw new IllegalArgumentException("unknown field '" + f + "'; a plan has " + WHAT_IF_FIELDS);
      }
      for (String required : List.of("model", "calls_per_day", "input_tokens", "output_tokens")) {
        if (!body.hasNonNull(required)) throw new IllegalArgumentException("'" + required + "' is required, e.g. " + WHAT_IF_EXAMPLE);
      }
      Long days = ReportsHandler.whole(body, "days");
      plan = new WhatIf.Plan(ReportsHandler.text(body, "model"), ReportsHandler.whole(body, "calls_per_day"),
          ReportsHandler.whole(body, "input_tokens"), orZero(ReportsHandler.whole(body, "cached_input_tokens")),
          ReportsHandler.whole(body, "output_tokens"), orZero(ReportsHandler.whole(body, "reasoning_tokens")),
          days == null ? 30 : (int) Math.min(Integer.MAX_VALUE, days));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ModelRoute configured = state.get().models().get(plan.model());
    Price price;
    String source;
    if (configured != null) {
      price = configured.price();
      source = "configured model";
    } else {
      var catalog = ReportsHandler.catalog(config.get());
      Optional<CatalogEntry> entry = catalog.find(plan.model());
      if (entry.isEmpty()) {
        AdminJson.error(ctx, 404, "model_not_found", "No price for '" + plan.model() + "'. Closest: "
            + String.join(", ", catalog.closestNames(plan.model(), 5)) + ".");
        return;
      }
      price = entry.get().price();
      source = "catalog: " + entry.get().model();
    }
    WhatIf.Estimate e;
    try {
      e = WhatIf.estimate(plan, price);
    } catch (ArithmeticException overflow) {
      AdminJson.error(ctx, 400, "invalid_request", "That plan costs more than Tollgate can count (about $9.2 billion).");
      return;
    }
    ObjectNode root = AdminJson.JSON.createObjectNode();
    root.put("model", plan.model()).put("price_source", source + " (" + price.source() + ")");
    root.put("calls_per_day", plan.callsPerDay()).put("input_tokens", plan.inputTokens())
        .put("cached_input_tokens", plan.cachedInputTokens()).put("output_tokens", plan.outputTokens())
        .put("reasoning_tokens", plan.reasoningTokens()).put("days", plan.days());
    PricesHandler.price(root.putObject("price"), price);
    AdminJson.usd(root, "per_call_usd", e.perCall());
    AdminJson.usd(root, "per_day_usd", e.perDay());
    AdminJson.usd(root, "total_usd", e.total());
    AdminJson.send(ctx, 200, root);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
