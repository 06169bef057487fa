package dev.tollgate.admin;

import dev.tollgate.config.GatewayConfig;
import dev.tollgate.port.UsageQuery;
import dev.tollgate.service.AdminTokenService;
import dev.tollgate.service.AuditLog;
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
 * The admin API under {@code /admin/v1}. Every route is behind {@link AdminAuth}: a bearer token (the
 * bootstrap {@code admin.token}, a personal admin token or an OIDC JWT) and a role that
 * {@link AccessRules} allows on the route (deny by default). Handlers parse, call one service, render;
 * database work runs on worker threads, never on the event loop. Every change is written to the
 * audit log ({@link AdminAudit}).
 */
public final class AdminApi {

  private final AdminAuth auth;
  private final TokensHandler tokens;
  private final AuditHandler auditLog;
  private final KeysHandler keys;
  private final UsageHandler usage;
  private final PricesHandler prices;
  private final BudgetsHandler budgets;
  private final PolicyHandler policy;
  private final WorkloadClassesHandler workloadClasses;
  private final WorkflowsHandler workflows;
  private final OutcomesHandler outcomes;
  private final ReportsUsageHandler reportsUsage;
  private final ReportsRoiHandler reportsRoi;
  private final ReportsChargebackHandler reportsChargeback;
  private final ReportsForecastHandler reportsForecast;
  private final ExportHandler export;
  private final ReportsEffectiveCostHandler reportsEffectiveCost;
  private final ContractsHandler contracts;
  private final ExceptionsHandler exceptions;
  private final AlertsHandler alerts;
  private final TemplatesHandler templates;
  private final ReportsEfficiencyHandler reportsEfficiency;
  private final ReportsCounterfactualHandler reportsCounterfactual;
  private final ReportsAdoptionHandler reportsAdoption;

  public AdminApi(Vertx vertx, Supplier<GatewayConfig> config, KeyService keyService, UsageQuery usageQuery,
      PricesHandler prices, BudgetService budgetService, BudgetNotices notices, Clock clock,
      dev.tollgate.pipeline.Pipeline pipeline, Supplier<dev.tollgate.pipeline.GatewayState> state,
      dev.tollgate.service.ExceptionService exceptionService, dev.tollgate.service.AlertService alertService,
      AuditLog auditLog, AdminTokenService tokenService,
      dev.tollgate.store.sql.Database database, dev.tollgate.service.WorkloadClassService workloadClassService) {
    AdminAudit audit = new AdminAudit(auditLog);
    this.auth = new AdminAuth(vertx, config, tokenService, new OidcVerifier(clock));
    this.tokens = new TokensHandler(vertx, tokenService, config, audit);
    this.auditLog = new AuditHandler(vertx, auditLog, config);
    this.keys = new KeysHandler(vertx, keyService, config, audit, name -> state.get().policy().classes().containsKey(name));
    this.usage = new UsageHandler(vertx, usageQuery, config, clock);
    this.prices = prices;
    this.budgets = new BudgetsHandler(vertx, budgetService, notices, config, audit);
    this.policy = new PolicyHandler(vertx, pipeline, state, keyService, clock);
    this.workloadClasses = new WorkloadClassesHandler(vertx, workloadClassService, state, audit);
    var workflowRegistry = new dev.tollgate.report.WorkflowRegistry(
        new dev.tollgate.store.sql.report.SqlWorkflowStore(database), clock);
    var outcomeStore = new dev.tollgate.store.sql.report.SqlOutcomeStore(database);
    this.workflows = new WorkflowsHandler(vertx, workflowRegistry, audit);
    this.outcomes = new OutcomesHandler(vertx, new dev.tollgate.report.OutcomeLog(outcomeStore, clock), outcomeStore, config, clock,
        audit);
    this.reportsUsage = new ReportsUsageHandler(vertx, usageQuery, workflowRegistry, config, clock);
    this.reportsRoi = new ReportsRoiHandler(vertx, usageQuery, outcomeStore, workflowRegistry, config, clock);
    var contractBook = new dev.tollgate.report.ContractBook(new dev.tollgate.store.sql.report.SqlContractStore(database), clock);
    this.reportsChargeback = new ReportsChargebackHandler(vertx, usageQuery, new dev.tollgate.store.sql.report.SqlFocusUsage(database),
        contractBook, config, state, clock);
    this.reportsForecast = new ReportsForecastHandler(vertx, usageQuery, config, state, clock);
    this.contracts = new ContractsHandler(vertx, contractBook, config, audit);
    this.export = new ExportHandler(vertx, new dev.tollgate.store.sql.report.SqlFocusUsage(database), contractBook, config, state,
        clock);
    this.reportsEffectiveCost = new ReportsEffectiveCostHandler(vertx, new dev.tollgate.store.sql.report.SqlFocusUsage(database),
        contractBook, config, state, clock);
    this.exceptions = new ExceptionsHandler(vertx, exceptionService, clock, audit);
    this.alerts = new AlertsHandler(vertx, alertService, audit);
    this.templates = new TemplatesHandler(vertx, new dev.tollgate.report.efficiency.TemplateLibrary(
        new dev.tollgate.store.sql.report.SqlTemplateStore(database), clock), state,
        new dev.tollgate.pipeline.PromptEstimator(new dev.tollgate.tokens.JtokkitTokenCounter()), audit);
    var efficiencyLedger = new dev.tollgate.store.sql.report.SqlEfficiencyLedger(database);
    this.reportsEfficiency = new ReportsEfficiencyHandler(vertx, efficiencyLedger, config, state, clock);
    this.reportsCounterfactual = new ReportsCounterfactualHandler(vertx, efficiencyLedger, config, state, clock);
    this.reportsAdoption = new ReportsAdoptionHandler(vertx, efficiencyLedger, workflowRegistry, config, clock);
  }

  public void mount(Router router) {
    router.route("/admin/v1/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    router.route("/admin/v1/*").handler(auth::handle);
    router.get("/admin/v1/openapi.json").handler(this::openApi);
    router.get("/admin/v1/whoami").handler(AdminAuth::whoami);
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
    router.get("/admin/v1/workload-classes").handler(workloadClasses::list);
    router.post("/admin/v1/workload-classes").handler(workloadClasses::create);
    router.get("/admin/v1/workload-classes/:name").handler(workloadClasses::get);
    router.put("/admin/v1/workload-classes/:name").handler(workloadClasses::replace);
    router.delete("/admin/v1/workload-classes/:name").handler(workloadClasses::delete);
    router.get("/admin/v1/usage").handler(usage::aggregate);
    router.get("/admin/v1/ledger").handler(usage::recent);
    router.get("/admin/v1/prices").handler(prices::list);
    router.get("/admin/v1/prices/:model").handler(prices::get);
    router.post("/admin/v1/tokens").handler(tokens::create);
    router.get("/admin/v1/tokens").handler(tokens::list);
    router.post("/admin/v1/tokens/:id/revoke").handler(tokens::revoke);
    router.delete("/admin/v1/tokens/:id").handler(tokens::revoke);
    router.get("/admin/v1/audit").handler(auditLog::list);
    router.get("/admin/v1/audit/export").handler(auditLog::export);
    router.get("/admin/v1/audit/verify").handler(auditLog::verify);
    router.get("/admin/v1/workflows").handler(workflows::list);
    router.post("/admin/v1/workflows").handler(workflows::create);
    router.get("/admin/v1/workflows/:name").handler(workflows::get);
    router.put("/admin/v1/workflows/:name").handler(workflows::update);
    router.delete("/admin/v1/workflows/:name").handler(workflows::delete);
    router.post("/admin/v1/outcomes").handler(outcomes::record);
    router.get("/admin/v1/outcomes").handler(outcomes::list);
    router.get("/admin/v1/reports/top").handler(reportsUsage::top);
    router.get("/admin/v1/reports/growth").handler(reportsUsage::growth);
    router.get("/admin/v1/reports/fastest-growing").handler(reportsUsage::fastestGrowing);
    router.get("/admin/v1/reports/workflows").handler(reportsUsage::workflows);
    router.get("/admin/v1/reports/roi").handler(reportsRoi::roi);
    router.get("/admin/v1/reports/compare").handler(reportsRoi::compare);
    router.get("/admin/v1/reports/chargeback").handler(reportsChargeback::chargeback);
    router.get("/admin/v1/reports/effective-cost").handler(reportsEffectiveCost::effectiveCost);
    router.get("/admin/v1/contracts").handler(contracts::list);
    router.post("/admin/v1/contracts").handler(contracts::create);
    router.get("/admin/v1/contracts/:name").handler(contracts::get);
    router.put("/admin/v1/contracts/:name").handler(contracts::replace);
    router.delete("/admin/v1/contracts/:name").handler(contracts::delete);
    router.get("/admin/v1/forecast").handler(reportsForecast::forecast);
    router.post("/admin/v1/forecast/what-if").handler(reportsForecast::whatIf);
    router.get("/admin/v1/export/focus").handler(export::focus);
    router.get("/admin/v1/templates").handler(templates::list);
    router.post("/admin/v1/templates").handler(templates::create);
    router.get("/admin/v1/templates/:name").handler(templates::get);
    router.delete("/admin/v1/templates/:name").handler(templates::delete);
    router.get("/admin/v1/reports/efficiency").handler(reportsEfficiency::efficiency);
    router.get("/admin/v1/reports/prompt-caching").handler(reportsEfficiency::promptCaching);
    router.get("/admin/v1/reports/savings").handler(reportsEfficiency::savings);
    router.get("/admin/v1/reports/counterfactual").handler(reportsCounterfactual::counterfactual);
    router.get("/admin/v1/reports/adoption").handler(reportsAdoption::adoption);
    router.route("/admin/v1/*").handler(ctx ->
        AdminJson.error(ctx, 404, "not_found", "No admin route " + ctx.request().method() + " " + ctx.request().path()
            + ". GET /admin/v1/openapi.json lists them."));
  }

  private void openApi(RoutingContext ctx) {
    try (InputStream in = AdminApi.class.getResourceAsStream("/openapi.json")) {
      ctx.response().putHeader("content-type", "application/json").end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      AdminJson.error(ctx, 500, "internal_error", "The OpenAPI document is missing from this build.");
    }
  }
}
