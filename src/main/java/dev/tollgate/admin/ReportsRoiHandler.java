package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.report.OutcomeStore;
import dev.tollgate.report.Roi;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cost against results: {@code /reports/roi?from&to} (cost per outcome and ROI per workflow) and
 * {@code /reports/compare?baseline_from&baseline_to&from&to&workflow=…} (an initiative's before and after).
 */
final class ReportsRoiHandler {

  /** The dimensions both the ledger and outcomes carry: a comparison may be narrowed to one value of each. */
  private static final List<String> COMPARE_FILTERS = List.of("workflow", "agent", "team");

  private final Vertx vertx;
  private final UsageQuery usage;
  private final OutcomeStore outcomes;
  private final WorkflowRegistry registry;
  private final Supplier<GatewayConfig> config;
  private final Clock clock;

  ReportsRoiHandler(Vertx vertx, UsageQuery usage, OutcomeStore outcomes, WorkflowRegistry registry,
      Supplier<GatewayConfig> config, Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.outcomes = outcomes;
    this.registry = registry;
    this.config = config;
    this.clock = clock;
  }

  void roi(RoutingContext ctx) {
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period period;
    try {
      period = ReportsHandler.period(ctx.queryParams(), "from", "to", zone, clock);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.blocking(vertx, ctx, () -> {
      List<Roi.Cost> costs = new ArrayList<>();
      for (UsageAggregate a : usage.aggregate(ReportsHandler.filter(period, Map.of(), List.of("workflow"), zone))) {
        costs.add(new Roi.Cost(a.group().get("workflow"), a.requests(), a.inputTokens() + a.outputTokens(), a.cost()));
      }
      Map<String, Workflow> registered = new HashMap<>();
      registry.list().forEach(w -> registered.put(w.name(), w));
      return Roi.build(costs, outcomes.totals(period.from(), period.to(), "workflow", Map.of()), registered);
    }, report -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("from", period.from().toString()).put("to", period.to().toString());
      ArrayNode rows = root.putArray("rows");
      for (Roi.Line l : report.lines()) {
        ObjectNode row = rows.addObject().put("workflow", l.workflow());
        Workflow w = l.registered();
        row.put("registered", w != null).put("stage", w == null ? null : w.stage().wire())
            .put("owner", w == null ? null : w.owner()).put("kpi", w == null ? null : w.kpi());
        ReportsHandler.usdOrNull(row, "expected_value_usd", w == null ? null : w.expectedValue());
        row.put("requests", l.requests());
        AdminJson.usd(row, "cost_usd", l.cost());
        ArrayNode types = row.putArray("outcomes");
        for (Roi.TypeLine t : l.outcomes()) {
          ObjectNode tn = types.addObject().put("type", t.type()).put("count", t.count());
          AdminJson.usd(tn, "value_usd", t.value());
          ReportsHandler.decimalOrNull(tn, "cost_per_outcome_usd", t.costPerOutcome());
        }
        row.put("outcome_count", l.outcomeCount());
        AdminJson.usd(row, "value_usd", l.value());
        AdminJson.usd(row, "net_usd", l.net());
        ReportsHandler.decimalOrNull(row, "cost_per_outcome_usd", l.costPerOutcome());
        ReportsHandler.decimalOrNull(row, "roi", l.roi());
      }
      ObjectNode totals = root.putObject("totals");
      AdminJson.usd(totals, "cost_usd", report.cost());
      AdminJson.usd(totals, "value_usd", report.value());
      AdminJson.usd(totals, "net_usd", report.net());
      ReportsHandler.decimalOrNull(totals, "roi", report.roi());
      AdminJson.send(ctx, 200, root);
    });
  }

  void compare(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period baseline;
    ReportsHandler.Period after;
    Map<String, String> equals = new LinkedHashMap<>();
    try {
      baseline = ReportsHandler.requiredPeriod(params, "baseline_from", "baseline_to", zone);
      after = ReportsHandler.requiredPeriod(params, "from", "to", zone);
      for (String name : params.names()) {
        if (List.of("baseline_from", "baseline_to", "from", "to").contains(name)) continue;
        if (!COMPARE_FILTERS.contains(name)) {
          throw new IllegalArgumentException("a comparison is narrowed by workflow, agent or team; not '" + name + "'");
        }
        equals.put(name, params.get(name));
      }
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.blocking(vertx, ctx, () -> Roi.compare(measure(baseline, equals, zone), measure(after, equals, zone)), c -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.set("filters", AdminJson.JSON.valueToTree(equals));
      period(root.putObject("baseline"), c.baseline());
      period(root.putObject("after"), c.after());
      ObjectNode change = root.putObject("change");
      ReportsHandler.decimalOrNull(change, "cost_per_day_pct", c.costPerDayChangePct());
      ReportsHandler.decimalOrNull(change, "cost_per_request_pct", c.costPerRequestChangePct());
      ReportsHandler.decimalOrNull(change, "cost_per_outcome_pct", c.costPerOutcomeChangePct());
      ReportsHandler.decimalOrNull(change, "outcomes_per_day_pct", c.outcomesPerDayChangePct());
      AdminJson.send(ctx, 200, root);
    });
  }

  private Roi.Period measure(ReportsHandler.Period p, Map<String, String> equals, ZoneId zone) {
    long requests = 0;
    long tokens = 0;
    Money cost = Money.ZERO;
    for (UsageAggregate a : usage.aggregate(ReportsHandler.filter(p, equals, List.of(), zone))) {
      requests += a.requests();
      tokens += a.inputTokens() + a.outputTokens();
      cost = cost.plus(a.cost());
    }
    long count = 0;
    Money value = Money.ZERO;
    for (OutcomeStore.Total t : outcomes.totals(p.from(), p.to(), "workflow", equals)) {
      count += t.count();
      value = value.plus(t.value());
    }
    return new Roi.Period(p.from(), p.to(), requests, tokens, cost, count, value);
  }

  private static void period(ObjectNode n, Roi.Period p) {
    n.put("from", p.from().toString()).put("to", p.to().toString());
    n.put("days", p.days().stripTrailingZeros()).put("requests", p.requests()).put("tokens", p.tokens());
    AdminJson.usd(n, "cost_usd", p.cost());
    n.put("outcomes", p.outcomes());
    AdminJson.usd(n, "value_usd", p.value());
    ReportsHandler.decimalOrNull(n, "cost_per_day_usd", p.costPerDay());
    ReportsHandler.decimalOrNull(n, "cost_per_request_usd", p.costPerRequest());
    ReportsHandler.decimalOrNull(n, "cost_per_outcome_usd", p.costPerOutcome());
    ReportsHandler.decimalOrNull(n, "outcomes_per_day", p.outcomesPerDay());
  }
}
