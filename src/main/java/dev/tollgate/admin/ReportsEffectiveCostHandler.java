package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.money.Money;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.report.ContractBook;
import dev.tollgate.report.ContractedCosts;
import dev.tollgate.report.EffectiveCostReport;
import dev.tollgate.report.focus.FocusUsageSource;
import dev.tollgate.report.focus.ModelPricing;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01&group_by=team,provider&format=json|csv}:
 * list and effective cost side by side under the contracts in force — the config's {@code contracts:} and
 * those of {@code /admin/v1/contracts} (docs/reports.md). Days are
 * UTC, as contracts' months are; the default is the current UTC month.
 */
final class ReportsEffectiveCostHandler {

  private final Vertx vertx;
  private final FocusUsageSource source;
  private final ContractBook contracts;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ReportsEffectiveCostHandler(Vertx vertx, FocusUsageSource source, ContractBook contracts, Supplier<GatewayConfig> config,
      Supplier<GatewayState> state, Clock clock) {
    this.vertx = vertx;
    this.source = source;
    this.contracts = contracts;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void effectiveCost(RoutingContext ctx) {
    var params = ctx.queryParams();
    ReportsHandler.Period period;
    List<String> groupBy = new ArrayList<>();
    boolean csv;
    try {
      period = ExportHandler.utcDays(params, clock);
      String format = params.contains("format") ? params.get("format") : "json";
      if (!format.equals("json") && !format.equals("csv")) throw new IllegalArgumentException("'format' must be json or csv");
      csv = format.equals("csv");
      for (String g : (params.contains("group_by") ? params.get("group_by") : "team").split(",")) {
        String name = g.trim();
        if (!ContractedCosts.DIMENSIONS.contains(name)) {
          throw new IllegalArgumentException("cannot group by '" + name + "'; allowed: " + String.join(", ",
              ContractedCosts.DIMENSIONS));
        }
        if (!groupBy.contains(name)) groupBy.add(name);
      }
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    GatewayConfig cfg = config.get();
    ModelPricing pricing = ReportsHandler.pricing(state.get(), cfg);
    ReportsHandler.blocking(vertx, ctx, () -> EffectiveCostReport.build(ContractedCosts.ofLedger(source, pricing,
        contracts.inForce(cfg), period.from(), period.to()), groupBy), report -> {
          if (csv) {
            String name = "tollgate-effective-cost-" + ExportHandler.utcDate(period.from()) + "-"
                + ExportHandler.utcDate(period.to()) + ".csv";
            ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
                .putHeader("content-disposition", "attachment; filename=\"" + name + "\"").end(EffectiveCostReport.csv(report));
          } else {
            AdminJson.send(ctx, 200, json(report, period));
          }
        });
  }

  private static ObjectNode json(EffectiveCostReport.Report r, ReportsHandler.Period period) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    root.put("from", period.from().toString()).put("to", period.to().toString());
    root.set("group_by", AdminJson.JSON.valueToTree(r.groupBy()));
    ArrayNode groups = root.putArray("groups");
    for (EffectiveCostReport.Group g : r.groups()) {
      ObjectNode n = groups.addObject();
      for (int i = 0; i < r.groupBy().size(); i++) n.put(r.groupBy().get(i), g.key().get(i));
      AdminJson.usd(n, "list_usd", g.list());
      AdminJson.usd(n, "effective_usd", g.effective());
      AdminJson.usd(n, "savings_usd", g.savings());
      AdminJson.usd(n, "commitment_shortfall_usd", g.shortfall());
      n.put("tokens", g.tokens());
    }
    ArrayNode contracts = root.putArray("contracts");
    for (ContractedCosts.Period p : r.contracts()) {
      Contract c = p.contract();
      var x = p.result();
      ObjectNode n = contracts.addObject().put("contract", c.name()).put("provider", c.provider()).put("model", c.model())
          .put("terms", c.terms() instanceof Contract.SelfHosted ? "self_hosted" : "negotiated")
          .put("month", p.month().toString()).put("days", p.days()).put("tokens", p.tokens());
      AdminJson.usd(n, "list_usd", Money.ofNanos(x.listNanos()));
      AdminJson.usd(n, "included_usd", Money.ofNanos(x.includedNanos()));
      AdminJson.usd(n, "discount_usd", Money.ofNanos(x.discountNanos()));
      AdminJson.usd(n, "commitment_usd", Money.ofNanos(x.commitmentNanos()));
      AdminJson.usd(n, "drawdown_usd", Money.ofNanos(x.drawdownNanos()));
      AdminJson.usd(n, "commitment_balance_usd", Money.ofNanos(x.commitmentNanos() - x.drawdownNanos()));
      AdminJson.usd(n, "overage_usd", Money.ofNanos(x.overageNanos()));
      AdminJson.usd(n, "shortfall_usd", Money.ofNanos(x.shortfallNanos()));
      AdminJson.usd(n, "effective_usd", Money.ofNanos(x.effectiveNanos()));
      AdminJson.usd(n, "payable_usd", Money.ofNanos(x.payableNanos()));
      if (c.terms() instanceof Contract.SelfHosted) {
        ReportsHandler.decimalOrNull(n, "effective_usd_per_million_tokens", p.selfHostedUsdPerMillionTokens());
      }
    }
    ObjectNode totals = root.putObject("totals");
    AdminJson.usd(totals, "list_usd", r.list());
    AdminJson.usd(totals, "effective_usd", r.effective());
    AdminJson.usd(totals, "savings_usd", r.list().minus(r.effective()));
    AdminJson.usd(totals, "commitment_shortfall_usd", r.shortfall());
    AdminJson.usd(totals, "unallocated_shortfall_usd", r.unallocatedShortfall());
    AdminJson.usd(totals, "payable_usd", r.payable());
    totals.put("reconciles", r.reconciles());
    return root;
  }
}
