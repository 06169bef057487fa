package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.report.Rankings;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Ledger reports over one dimension: {@code /reports/top} (top-N with the rest summed),
 * {@code /reports/growth} (month over month), {@code /reports/fastest-growing}, and
 * {@code /reports/workflows} (every workflow seen or registered, unregistered traffic marked).
 * Every answer's rows add up to its totals, to the nano-dollar.
 */
final class ReportsUsageHandler {

  private static final List<String> TOP_PARAMS = List.of("dimension", "n", "metric", "from", "to");
  private static final List<String> GROWTH_PARAMS = List.of("dimension", "n", "month");

  private final Vertx vertx;
  private final UsageQuery usage;
  private final WorkflowRegistry registry;
  private final Supplier<GatewayConfig> config;
  private final Clock clock;

  ReportsUsageHandler(Vertx vertx, UsageQuery usage, WorkflowRegistry registry, Supplier<GatewayConfig> config, Clock clock) {
    this.vertx = vertx;
    this.usage = usage;
    this.registry = registry;
    this.config = config;
    this.clock = clock;
  }

  private record TopQuery(String dimension, int n, Rankings.Metric metric, ReportsHandler.Period period,
      Map<String, String> filters) {}

  private record Ranked(Rankings.Top top, Map<String, Workflow> registered) {}

  /** {@code GET /admin/v1/reports/top?dimension=workflow&n=10&metric=cost&from=…&to=…&team=support}. */
  void top(RoutingContext ctx) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    TopQuery q;
    try {
      q = new TopQuery(ReportsHandler.dimension(params.contains("dimension") ? params.get("dimension") : "team"),
          ReportsHandler.integer(params, "n", 10, 1, 1_000),
          params.contains("metric") ? Rankings.Metric.fromWire(params.get("metric")) : Rankings.Metric.COST,
          ReportsHandler.period(params, "from", "to", zone, clock), ReportsHandler.filters(params, TOP_PARAMS));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    ReportsHandler.blocking(vertx, ctx, () -> new Ranked(
        Rankings.top(lines(usage.aggregate(ReportsHandler.filter(q.period(), q.filters(), List.of(q.dimension()), zone)),
            q.dimension()), q.n(), q.metric()),
        q.dimension().equals("workflow") ? registered() : null), ranked -> {
      Rankings.Top top = ranked.top();
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("dimension", q.dimension()).put("metric", q.metric().name().toLowerCase(java.util.Locale.ROOT))
          .put("from", q.period().from().toString()).put("to", q.period().to().toString()).put("time_zone", zone.getId());
      root.set("filters", AdminJson.JSON.valueToTree(q.filters()));
      ArrayNode rows = root.putArray("rows");
      for (Rankings.Line l : top.rows()) {
        ObjectNode row = line(rows.addObject().put("value", l.value()), l, top.total());
        if (ranked.registered() != null) workflow(row, l.value(), ranked.registered());
      }
      line(root.putObject("others").put("values", top.othersCount()), top.others(), top.total());
      line(root.putObject("total"), top.total(), top.total());
      AdminJson.send(ctx, 200, root);
    });
  }

  /** {@code GET /admin/v1/reports/growth?dimension=team&month=2026-11}: this month against the one before. */
  void growth(RoutingContext ctx) {
    growth(ctx, false);
  }

  /** {@code GET /admin/v1/reports/fastest-growing?dimension=workflow&n=5&month=2026-11}: the largest increases. */
  void fastestGrowing(RoutingContext ctx) {
    growth(ctx, true);
  }

  private record GrowthQuery(String dimension, int n, YearMonth month, Map<String, String> filters) {}

  private void growth(RoutingContext ctx, boolean fastestOnly) {
    var params = ctx.queryParams();
    ZoneId zone = config.get().org().timeZone();
    GrowthQuery q;
    try {
      q = new GrowthQuery(ReportsHandler.dimension(params.contains("dimension") ? params.get("dimension")
          : fastestOnly ? "workflow" : "team"), ReportsHandler.integer(params, "n", fastestOnly ? 5 : 1_000, 1, 1_000),
          ReportsHandler.month(params, zone, clock), ReportsHandler.filters(params, GROWTH_PARAMS));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    String dimension = q.dimension();
    int n = q.n();
    ReportsHandler.Period[] periods = periods(q.month(), zone);
    Map<String, String> equals = q.filters();
    ReportsHandler.blocking(vertx, ctx, () -> Rankings.growth(
        lines(usage.aggregate(ReportsHandler.filter(periods[0], equals, List.of(dimension), zone)), dimension),
        lines(usage.aggregate(ReportsHandler.filter(periods[1], equals, List.of(dimension), zone)), dimension)), rows -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("dimension", dimension).put("time_zone", zone.getId());
      period(root.putObject("current"), periods[0]);
      period(root.putObject("previous"), periods[1]);
      root.put("like_for_like", !periods[0].to().equals(ReportsHandler.of(q.month(), zone).to()));
      ArrayNode data = root.putArray("rows");
      Money current = Money.ZERO;
      Money previous = Money.ZERO;
      int shown = 0;
      for (Rankings.Growth g : rows) {
        current = current.plus(g.current());
        previous = previous.plus(g.previous());
        if (shown >= n || (fastestOnly && g.change().nanos() <= 0)) continue;
        shown++;
        ObjectNode row = data.addObject().put("value", g.value());
        AdminJson.usd(row, "current_usd", g.current());
        AdminJson.usd(row, "previous_usd", g.previous());
        AdminJson.usd(row, "change_usd", g.change());
        ReportsHandler.decimalOrNull(row, "change_pct", g.changePct());
        row.put("current_requests", g.currentRequests()).put("previous_requests", g.previousRequests());
      }
      ObjectNode totals = root.putObject("totals");
      AdminJson.usd(totals, "current_usd", current);
      AdminJson.usd(totals, "previous_usd", previous);
      AdminJson.usd(totals, "change_usd", current.minus(previous));
      ReportsHandler.decimalOrNull(totals, "change_pct", Rankings.percent(current.minus(previous).nanos(), previous.nanos()));
      AdminJson.send(ctx, 200, root);
    });
  }

  /**
   * The month and the one before. For the month in progress both are cut to the same length
   * (month start up to now, and the previous month's first as many days and hours), like for like.
   */
  private ReportsHandler.Period[] periods(YearMonth month, ZoneId zone) {
    ReportsHandler.Period current = ReportsHandler.of(month, zone);
    ReportsHandler.Period previous = ReportsHandler.of(month.minusMonths(1), zone);
    Instant now = clock.instant();
    if (now.isAfter(current.from()) && now.isBefore(current.to())) {
      Duration elapsed = Duration.between(current.from(), now);
      Instant cut = previous.from().plus(elapsed);
      current = new ReportsHandler.Period(current.from(), now);
      previous = new ReportsHandler.Period(previous.from(), cut.isBefore(previous.to()) ? cut : previous.to());
    }
    return new ReportsHandler.Period[] {current, previous};
  }

  /**
   * {@code GET /admin/v1/reports/workflows?from&to}: each workflow the ledger saw or the registry
   * knows, with its registration; totals split into registered, unregistered and no workflow.
   */
  void workflows(RoutingContext ctx) {
    ZoneId zone = config.get().org().timeZone();
    ReportsHandler.Period period;
    try {
      period = ReportsHandler.period(ctx.queryParams(), "from", "to", zone, clock);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    record Seen(List<Rankings.Line> lines, Map<String, Workflow> registered) {}
    ReportsHandler.blocking(vertx, ctx, () -> new Seen(Rankings.merge(lines(usage.aggregate(
        ReportsHandler.filter(period, Map.of(), List.of("workflow"), zone)), "workflow")), registered()), seen -> {
      List<Rankings.Line> lines = seen.lines();
      Map<String, Workflow> registered = seen.registered();
      Map<String, Rankings.Line> byName = new HashMap<>();
      lines.forEach(l -> byName.put(l.value(), l));
      Set<String> names = new LinkedHashSet<>(new TreeMap<>(registered).keySet());
      lines.stream().map(Rankings.Line::value).filter(v -> v != null).sorted().forEach(names::add);
      ObjectNode root = AdminJson.JSON.createObjectNode();
      period(root, period);
      ArrayNode data = root.putArray("rows");
      Money reg = Money.ZERO;
      Money unreg = Money.ZERO;
      for (String name : names) {
        Rankings.Line l = byName.getOrDefault(name, Rankings.Line.ZERO);
        ObjectNode row = data.addObject().put("workflow", name);
        workflow(row, name, registered);
        row.put("requests", l.requests());
        AdminJson.usd(row, "cost_usd", l.cost());
        if (registered.containsKey(name)) reg = reg.plus(l.cost());
        else unreg = unreg.plus(l.cost());
      }
      Rankings.Line none = byName.getOrDefault(null, Rankings.Line.ZERO);
      ObjectNode totals = root.putObject("totals");
      AdminJson.usd(totals, "registered_usd", reg);
      AdminJson.usd(totals, "unregistered_usd", unreg);
      AdminJson.usd(totals, "no_workflow_usd", none.cost());
      AdminJson.usd(totals, "total_usd", reg.plus(unreg).plus(none.cost()));
      totals.put("no_workflow_requests", none.requests());
      AdminJson.send(ctx, 200, root);
    });
  }

  private Map<String, Workflow> registered() {
    Map<String, Workflow> byName = new HashMap<>();
    registry.list().forEach(w -> byName.put(w.name(), w));
    return byName;
  }

  /** Registration fields of a workflow row; for rows naming no workflow, {@code registered} is null. */
  private static void workflow(ObjectNode row, String name, Map<String, Workflow> registered) {
    Workflow w = name == null ? null : registered.get(name);
    if (name == null) row.putNull("registered");
    else row.put("registered", w != null);
    row.put("stage", w == null ? null : w.stage().wire()).put("owner", w == null ? null : w.owner());
    if (name != null && w == null) row.put("note", "unregistered: POST /admin/v1/workflows to register it");
  }

  private static List<Rankings.Line> lines(List<UsageAggregate> rows, String dimension) {
    List<Rankings.Line> out = new ArrayList<>(rows.size());
    rows.forEach(a -> out.add(Rankings.Line.of(a, dimension)));
    return out;
  }

  private static ObjectNode line(ObjectNode n, Rankings.Line l, Rankings.Line total) {
    n.put("requests", l.requests()).put("input_tokens", l.inputTokens()).put("output_tokens", l.outputTokens());
    AdminJson.usd(n, "cost_usd", l.cost());
    ReportsHandler.decimalOrNull(n, "share_pct", Rankings.percent(l.cost().nanos(), total.cost().nanos()));
    return n;
  }

  private static void period(ObjectNode n, ReportsHandler.Period p) {
    n.put("from", p.from().toString()).put("to", p.to().toString());
  }
}
