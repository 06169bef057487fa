package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowRegistry;
import dev.tollgate.report.adoption.Adoption;
import dev.tollgate.report.efficiency.EfficiencyLedger;
import dev.tollgate.report.efficiency.LedgerFacts;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/reports/adoption?from&to&team=}: active users, depth, what was built and shared,
 * advanced features and spend, per team and person (docs/reports.md). A team lead's team is forced by the
 * access rules.
 */
final class ReportsAdoptionHandler {

  private final Vertx vertx;
  private final EfficiencyLedger ledger;
  private final WorkflowRegistry workflows;
  private final Supplier<GatewayConfig> config;
  private final Clock clock;

  ReportsAdoptionHandler(Vertx vertx, EfficiencyLedger ledger, WorkflowRegistry workflows, Supplier<GatewayConfig> config, Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.workflows = workflows;
    this.config = config;
    this.clock = clock;
  }

  void adoption(RoutingContext ctx) {
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
    ReportsHandler.blocking(vertx, ctx, () -> {
      Instant monthBack = period.to().minus(Duration.ofDays(30));
      Instant readFrom = monthBack.isBefore(period.from()) ? monthBack : period.from();
      List<Workflow> registered = workflows.list().stream().filter(w -> team == null || team.equals(w.team())).toList();
      List<LedgerFacts> rows;
      try {
        rows = ledger.rows(readFrom, period.to(), team);
      } catch (IllegalArgumentException tooMany) {
        throw new IllegalArgumentException(tooMany.getMessage() + " Adoption always reads the 30 days before 'to' (for weekly"
            + " and monthly active people), so a shorter period does not help here" + (team == null ? "; ask for one team." : "."));
      }
      return Adoption.of(rows, registered, period.from(), period.to(), zone);
    }, report -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("from", period.from().toString()).put("to", period.to().toString()).put("team", team);
      figures(root.putObject("total"), report.total());
      ArrayNode teams = root.putArray("teams");
      for (Adoption.Team t : report.teams()) figures(teams.addObject().put("team", t.team()), t.figures());
      ArrayNode people = root.putArray("people");
      for (Adoption.Person p : report.people()) {
        ObjectNode n = people.addObject().put("user", p.user());
        p.teams().forEach(n.putArray("teams")::add);
        n.put("active_days", p.activeDays());
        figures(n, p.figures());
        n.remove(List.of("active_users", "daily_active_avg", "weekly_active", "monthly_active", "requests_per_active_user",
            "cost_per_active_user_usd"));
      }
      ArrayNode daily = root.putArray("daily_active");
      report.dailyActive().forEach((d, n) -> daily.addObject().put("day", d.toString()).put("users", n));
      root.putArray("not_recorded").add("tool use").add("messages per request");
      AdminJson.send(ctx, 200, root);
    });
  }

  private static void figures(ObjectNode n, Adoption.Figures f) {
    n.put("active_users", f.activeUsers()).put("daily_active_avg", f.dailyActiveAvg()).put("weekly_active", f.weeklyActive())
        .put("monthly_active", f.monthlyActive()).put("requests", f.requests()).put("active_requests", f.activeRequests())
        .put("requests_per_active_user", f.requestsPerActiveUser()).put("mean_prompt_tokens", f.meanPromptTokens())
        .put("conversations", f.conversations()).put("requests_per_conversation", f.requestsPerConversation());
    ObjectNode features = n.putObject("features");
    f.features().forEach((k, v) -> features.putObject(k.wire()).put("requests", v.requests()).put("users", v.users()));
    n.put("workflows_built", f.workflowsBuilt()).put("workflows_shared", f.workflowsShared()).put("agents", f.agents())
        .put("shared_agents", f.sharedAgents());
    AdminJson.usd(n, "cost_usd", f.cost());
    ReportsHandler.usdOrNull(n, "cost_per_active_user_usd", f.costPerActiveUser());
  }
}
