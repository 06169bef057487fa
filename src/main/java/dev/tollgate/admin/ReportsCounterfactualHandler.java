package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.report.efficiency.Counterfactual;
import dev.tollgate.report.efficiency.EfficiencyLedger;
import dev.tollgate.report.efficiency.LedgerFacts;
import dev.tollgate.report.efficiency.PriceBook;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/reports/counterfactual?from&to&group_by=team,model&format=json|csv}: actual cost beside
 * what each request would have cost on its class's cheapest allowed model (docs/reports.md). Other query
 * parameters named like a dimension filter ({@code team=support}); a team lead's team and a member's user
 * are forced by the access rules.
 */
final class ReportsCounterfactualHandler {

  private final Vertx vertx;
  private final EfficiencyLedger ledger;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ReportsCounterfactualHandler(Vertx vertx, EfficiencyLedger ledger, Supplier<GatewayConfig> config, Supplier<GatewayState> state,
      Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void counterfactual(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period period;
    List<Counterfactual.Dimension> groupBy = new ArrayList<>();
    Map<Counterfactual.Dimension, String> filters = new LinkedHashMap<>();
    boolean csv;
    try {
      period = ReportsHandler.period(params, "from", "to", zone, clock);
      String group = params.contains("group_by") ? params.get("group_by") : "team";
      for (String g : group.split(",")) if (!g.isBlank()) groupBy.add(Counterfactual.Dimension.fromWire(g));
      for (Counterfactual.Dimension d : Counterfactual.Dimension.values()) {
        if (params.contains(d.wire())) filters.put(d, params.get(d.wire()));
      }
      String format = params.contains("format") ? params.get("format") : "json";
      if (!format.equals("json") && !format.equals("csv")) throw new IllegalArgumentException("'format' must be json or csv");
      csv = format.equals("csv");
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    String team = filters.get(Counterfactual.Dimension.TEAM);
    PriceBook prices = ReportsEfficiencyHandler.priceBook(state.get());
    ReportsHandler.blocking(vertx, ctx, () -> {
      // Team and user narrow the read itself (indexed); the other filters are applied to the rows.
      List<LedgerFacts> rows = ledger.rows(period.from(), period.to(), team, filters.get(Counterfactual.Dimension.USER)).stream()
          .filter(r -> filters.entrySet().stream().allMatch(f -> f.getValue().equals(Counterfactual.value(f.getKey(), r, prices))))
          .toList();
      return Counterfactual.of(rows, prices, groupBy);
    }, report -> {
      if (csv) {
        ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"tollgate-counterfactual.csv\"")
            .end(csv(report));
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("from", period.from().toString()).put("to", period.to().toString());
      ArrayNode by = root.putArray("group_by");
      groupBy.forEach(d -> by.add(d.wire()));
      ObjectNode filter = root.putObject("filters");
      filters.forEach((d, v) -> filter.put(d.wire(), v));
      ArrayNode data = root.putArray("data");
      for (Counterfactual.Line l : report.lines()) {
        ObjectNode n = data.addObject();
        for (int i = 0; i < groupBy.size(); i++) n.put(groupBy.get(i).wire(), l.group().get(i));
        line(n, l);
      }
      line(root.putObject("total"), report.total());
      AdminJson.usd(root, "ledger_usd", report.ledger());
      root.put("reconciles", report.reconciles()).put("unpriced_requests", report.unpriced());
      AdminJson.send(ctx, 200, root);
    });
  }

  private static void line(ObjectNode n, Counterfactual.Line l) {
    n.put("requests", l.requests()).put("repriced_requests", l.repriced());
    AdminJson.usd(n, "actual_usd", l.actual());
    AdminJson.usd(n, "counterfactual_usd", l.counterfactual());
    AdminJson.usd(n, "difference_usd", l.difference());
    ObjectNode models = n.putObject("cheapest_models");
    l.cheapestModels().forEach(models::put);
  }

  private static String csv(Counterfactual.Report report) {
    StringBuilder sb = new StringBuilder();
    for (Counterfactual.Dimension d : report.groupBy()) sb.append(d.wire()).append(',');
    sb.append("requests,repriced_requests,actual_usd,counterfactual_usd,difference_usd\n");
    for (Counterfactual.Line l : report.lines()) {
      for (String v : l.group()) sb.append(ReportsHandler.csv(v)).append(',');
      row(sb, l);
    }
    for (int i = 0; i < report.groupBy().size(); i++) sb.append(i == 0 ? "TOTAL" : "").append(',');
    row(sb, report.total());
    return sb.toString();
  }

  private static void row(StringBuilder sb, Counterfactual.Line l) {
    sb.append(l.requests()).append(',').append(l.repriced()).append(',').append(l.actual().toUsdString()).append(',')
        .append(l.counterfactual().toUsdString()).append(',').append(l.difference().toUsdString()).append('\n');
  }
}
