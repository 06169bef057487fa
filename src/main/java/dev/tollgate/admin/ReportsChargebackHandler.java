package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.TeamConfig;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.money.Money;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.report.Chargeback;
import dev.tollgate.report.ContractBook;
import dev.tollgate.report.ContractedCosts;
import dev.tollgate.report.focus.FocusUsageSource;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/reports/chargeback?month=2026-11&format=json|csv&basis=tokens}: the monthly
 * statement per team and cost center ({@code teams.<t>.cost_center}), shared agents split by use,
 * reconciling exactly to the ledger at list price and to the effective-cost report under the contracts
 * in force. The month is a calendar month in the org's time zone.
 */
final class ReportsChargebackHandler {

  private final Vertx vertx;
  private final UsageQuery usage;
  private final FocusUsageSource source;
  private final ContractBook contracts;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ReportsChargebackHandler(Vertx vertx, UsageQuery usage, FocusUsageSource source, ContractBook contracts,
      Supplier<GatewayConfig> config, Supplier<GatewayState> state, Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.source = source;
    this.contracts = contracts;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void chargeback(RoutingContext ctx) {
    var params = ctx.queryParams();
    GatewayConfig cfg = config.get();
    ZoneId zone = cfg.org().timeZone();
    YearMonth month;
    Chargeback.Basis basis;
    boolean csv;
    try {
      month = ReportsHandler.month(params, zone, clock);
      basis = params.contains("basis") ? Chargeback.Basis.fromWire(params.get("basis")) : Chargeback.Basis.TOKENS;
      String format = params.contains("format") ? params.get("format") : "json";
      if (!format.equals("json") && !format.equals("csv")) throw new IllegalArgumentException("'format' must be json or csv");
      csv = format.equals("csv");
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.Period period = ReportsHandler.of(month, zone);
    GatewayState st = state.get();
    ReportsHandler.blocking(vertx, ctx, () -> {
      List<Contract> inForce = contracts.inForce(cfg);
      return statement(usage, cfg, period, zone, basis, inForce,
          () -> ContractedCosts.ofLedger(source, ReportsHandler.pricing(st, cfg), inForce, period.from(), period.to()));
    }, s -> {
      if (csv) {
        ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"tollgate-chargeback-" + month + ".csv\"")
            .end(Chargeback.csv(s, month.toString()));
      } else {
        AdminJson.send(ctx, 200, json(s, month, period, zone));
      }
    });
  }

  /**
   * The statement; with contracts in force the month is also priced under them ({@code applied}, the
   * effective-cost report's own path), else effective = list and the ledger is read once.
   */
  static Chargeback.Statement statement(UsageQuery usage, GatewayConfig cfg, ReportsHandler.Period period, ZoneId zone,
      Chargeback.Basis basis, List<Contract> inForce, Supplier<ContractedCosts.Applied> applied) {
    Map<String, String> centers = new HashMap<>();
    for (TeamConfig t : cfg.teams().values()) centers.put(t.name(), t.costCenter());
    if (inForce.isEmpty()) return Chargeback.fromLedger(usage, period.from(), period.to(), zone, centers, basis);
    return Chargeback.fromLedger(usage, applied.get(), period.from(), period.to(), zone, centers, basis);
  }

  private static ObjectNode json(Chargeback.Statement s, YearMonth month, ReportsHandler.Period period, ZoneId zone) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    root.put("month", month.toString()).put("from", period.from().toString()).put("to", period.to().toString())
        .put("time_zone", zone.getId()).put("basis", s.basis().wire());
    ArrayNode applied = root.putArray("contracts");
    for (String c : s.contracts()) applied.addObject().put("contract", c);
    ArrayNode teams = root.putArray("teams");
    for (Chargeback.TeamLine t : s.teams()) {
      ObjectNode n = teams.addObject().put("team", t.team()).put("cost_center", t.costCenter());
      if (t.team() == null) n.put("note", "rows naming no team and no shared agent");
      AdminJson.usd(n, "direct_usd", t.direct());
      AdminJson.usd(n, "shared_agents_usd", t.shared());
      AdminJson.usd(n, "total_usd", t.total());
      n.put("requests", t.requests());
      effective(n, t.effective(), t.savings(), t.shortfall());
    }
    ArrayNode centers = root.putArray("cost_centers");
    for (Chargeback.CostCenterLine c : s.costCenters()) {
      ObjectNode n = centers.addObject().put("cost_center", c.costCenter());
      AdminJson.usd(n, "total_usd", c.total());
      n.set("teams", AdminJson.JSON.valueToTree(c.teams()));
      effective(n, c.effective(), c.savings(), c.shortfall());
    }
    ArrayNode shared = root.putArray("shared_agents");
    for (Chargeback.SharedAgent a : s.sharedAgents()) {
      ObjectNode n = shared.addObject().put("agent", a.agent());
      AdminJson.usd(n, "pool_usd", a.pool());
      effective(n, a.effectivePool(), a.pool().minus(a.effectivePool()), a.shortfallPool());
      ArrayNode parts = n.putArray("allocations");
      for (Chargeback.Allocated x : s.allocations()) {
        if (!x.agent().equals(a.agent())) continue;
        ObjectNode p = parts.addObject().put("team", x.team()).put("usage", x.usage());
        ReportsHandler.decimalOrNull(p, "share_pct", x.sharePct());
        AdminJson.usd(p, "allocated_usd", x.amount());
        effective(p, x.effective(), x.amount().minus(x.effective()), x.shortfall());
      }
    }
    ObjectNode unallocated = root.putObject("unallocated_shortfall");
    unallocated.put("note", "unused commitments of contract months without usage: no team's usage carries them");
    AdminJson.usd(unallocated, "commitment_shortfall_usd", s.unallocatedShortfall());
    ObjectNode totals = root.putObject("totals");
    AdminJson.usd(totals, "ledger_usd", s.ledgerTotal());
    AdminJson.usd(totals, "statement_usd", s.total());
    AdminJson.usd(totals, "effective_usd", s.effective());
    AdminJson.usd(totals, "savings_usd", s.savings());
    AdminJson.usd(totals, "commitment_shortfall_usd", s.shortfall());
    AdminJson.usd(totals, "unallocated_shortfall_usd", s.unallocatedShortfall());
    AdminJson.usd(totals, "payable_usd", s.payable());
    AdminJson.usd(totals, "effective_report_usd", s.contractedEffective());
    AdminJson.usd(totals, "effective_report_shortfall_usd", s.contractedShortfall());
    totals.put("reconciles", s.reconciles());
    totals.putObject("reconciliation").put("list", s.listReconciles()).put("effective", s.effectiveReconciles())
        .put("shortfall", s.shortfallReconciles());
    return root;
  }

  private static void effective(ObjectNode n, Money effective, Money savings, Money shortfall) {
    AdminJson.usd(n, "effective_usd", effective);
    AdminJson.usd(n, "savings_usd", savings);
    AdminJson.usd(n, "commitment_shortfall_usd", shortfall);
  }
}
