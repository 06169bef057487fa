package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.report.efficiency.EfficiencyLedger;
import dev.tollgate.report.efficiency.PriceBook;
import dev.tollgate.report.efficiency.PromptCaching;
import dev.tollgate.report.efficiency.Savings;
import dev.tollgate.report.efficiency.WasteSignals;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The token-efficiency reports (see docs/efficiency.md), each for one team with {@code team=} (a team
 * lead's own team is forced by the access rules):
 *
 * <ul>
 *   <li>{@code GET /admin/v1/reports/efficiency?from&to&by=workflow|agent|user|template} — waste signals and a score;
 *   <li>{@code GET /admin/v1/reports/prompt-caching?from&to} — cached input, what it saved, who would gain;
 *   <li>{@code GET /admin/v1/reports/savings?month=2026-11} — cache, routing and switching, reconciled with the ledger.
 * </ul>
 */
final class ReportsEfficiencyHandler {

  private final Vertx vertx;
  private final EfficiencyLedger ledger;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ReportsEfficiencyHandler(Vertx vertx, EfficiencyLedger ledger, Supplier<GatewayConfig> config, Supplier<GatewayState> state,
      Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void efficiency(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period period;
    WasteSignals.By by;
    try {
      period = ReportsHandler.period(params, "from", "to", zone, clock);
      by = params.contains("by") ? WasteSignals.By.fromWire(params.get("by")) : WasteSignals.By.WORKFLOW;
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    String team = params.get("team");
    ReportsHandler.blocking(vertx, ctx, () -> WasteSignals.of(ledger.rows(period.from(), period.to(), team), by), groups -> {
      ObjectNode root = head(period, team);
      root.put("by", by.name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode data = root.putArray("data");
      for (WasteSignals.Group g : groups) {
        ObjectNode n = data.addObject().put(root.get("by").asText(), g.name()).put("score", g.score())
            .put("requests", g.requests()).put("upstream_calls", g.upstreamCalls());
        AdminJson.usd(n, "cost_usd", g.cost());
        AdminJson.usd(n, "waste_usd", g.waste());
        n.put("duplicates", g.duplicates());
        AdminJson.usd(n, "duplicate_cost_usd", g.duplicateCost());
        n.put("retries", g.retries());
        AdminJson.usd(n, "retry_cost_usd", g.retryCost());
        n.put("long_prompt_tiny_output", g.longPromptTinyOutput()).put("with_max_tokens", g.withMaxTokens())
            .put("oversized_max_tokens", g.oversizedMaxTokens()).put("unused_max_tokens", g.unusedMaxTokens());
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void promptCaching(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period period;
    try {
      period = ReportsHandler.period(params, "from", "to", zone, clock);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    String team = params.get("team");
    PriceBook prices = priceBook(state.get());
    ReportsHandler.blocking(vertx, ctx, () -> PromptCaching.of(ledger.rows(period.from(), period.to(), team), prices), rows -> {
      ObjectNode root = head(period, team);
      ArrayNode data = root.putArray("data");
      for (PromptCaching.Workflow w : rows) {
        ObjectNode n = data.addObject().put("workflow", w.workflow()).put("calls", w.calls())
            .put("input_tokens", w.inputTokens()).put("cached_input_tokens", w.cachedInputTokens())
            .put("cached_share", BigDecimal.valueOf(w.cachedShare()).setScale(4, RoundingMode.HALF_UP));
        AdminJson.usd(n, "saved_usd", w.saved());
        n.put("repeated_prefixes", w.repeatedPrefixes()).put("repeated_prefix_calls", w.repeatedPrefixCalls());
        AdminJson.usd(n, "estimated_gain_usd", w.estimatedGain());
        n.put("unpriced_calls", w.unpricedCalls());
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void savings(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    YearMonth month;
    try {
      month = ReportsHandler.month(params, zone, clock);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.Period period = ReportsHandler.of(month, zone);
    String team = params.get("team");
    PriceBook prices = priceBook(state.get());
    ReportsHandler.blocking(vertx, ctx, () -> Savings.of(ledger.rows(period.from(), period.to(), team), prices), s -> {
      ObjectNode root = head(period, team);
      root.put("month", month.toString()).put("requests", s.requests());
      AdminJson.usd(root, "spent_usd", s.spent());
      ObjectNode cache = root.putObject("cache").put("hits", s.cacheHits());
      AdminJson.usd(cache, "saved_usd", s.cacheSaved());
      ObjectNode routing = root.putObject("routing");
      AdminJson.usd(routing, "saved_usd", s.routingSaved());
      ArrayNode reasons = routing.putArray("by_reason");
      for (Savings.Routing r : s.routing()) {
        ObjectNode n = reasons.addObject().put("route_reason", r.reason()).put("calls", r.calls());
        AdminJson.usd(n, "saved_usd", r.saved());
      }
      ObjectNode switching = root.putObject("switching");
      AdminJson.usd(switching, "possible_saving_usd", s.switchingSaving());
      ArrayNode workflows = switching.putArray("workflows");
      for (Savings.Switch w : s.switching()) {
        ObjectNode n = workflows.addObject().put("workflow", w.workflow()).put("workload_class", w.workloadClass())
            .put("calls", w.calls());
        AdminJson.usd(n, "cost_usd", w.cost());
        n.put("cheapest_model", w.cheapestModel());
        AdminJson.usd(n, "cost_on_cheapest_usd", w.costOnCheapest());
        AdminJson.usd(n, "saving_usd", w.saving());
      }
      AdminJson.usd(root, "total_saved_usd", s.cacheSaved().plus(s.routingSaved()));
      root.put("unpriced_calls", s.unpricedCalls());
      AdminJson.send(ctx, 200, root);
    });
  }

  private static ObjectNode head(ReportsHandler.Period period, String team) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    root.put("from", period.from().toString()).put("to", period.to().toString()).put("team", team);
    return root;
  }

  /** Prices and class rules of the running configuration. */
  static PriceBook priceBook(GatewayState s) {
    Map<String, dev.tollgate.domain.pricing.Price> byName = new HashMap<>();
    Map<String, String> byServed = new HashMap<>();
    for (ModelRoute m : s.models().values()) {
      byName.put(m.name(), m.price());
      for (ModelRoute p : m.placements()) {
        byServed.putIfAbsent(PriceBook.servedKey(p.provider().type(), p.upstream()), m.name());
      }
    }
    Map<String, List<String>> allowed = new HashMap<>();
    java.util.Set<String> privateModels = new java.util.HashSet<>();
    java.util.Set<String> routePrivate = new java.util.HashSet<>();
    for (ModelRoute m : s.models().values()) if ("private".equals(m.tier())) privateModels.add(m.name());
    for (WorkloadClass c : s.policy().classes().values()) {
      if (c.pii() == dev.tollgate.domain.policy.PiiAction.ROUTE_PRIVATE) routePrivate.add(c.name());
      List<String> names = new ArrayList<>();
      for (ModelRoute m : s.models().values()) if (c.permits(m.name(), m.tier())) names.add(m.name());
      allowed.put(c.name(), names);
    }
    return new PriceBook(byName, byServed, allowed, privateModels, routePrivate);
  }
}
