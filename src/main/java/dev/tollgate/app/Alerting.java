package dev.tollgate.app;

import dev.tollgate.config.AlertRules;
import dev.tollgate.config.AlertsConfig;
import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.domain.alert.Restrictions;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.AlertChannel;
import dev.tollgate.port.BudgetNotifier;
import dev.tollgate.report.WorkflowStage;
import dev.tollgate.service.AlertFeed;
import dev.tollgate.service.AlertService;
import dev.tollgate.service.AuditLog;
import dev.tollgate.service.BudgetService;
import dev.tollgate.service.ForecastAlerts;
import dev.tollgate.store.sql.Storage;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Puts the alerts together: the service with its history in the database, the restrictions the
 * request path reads, the detectors' own thread fed from ledger rows, the spend baselines seeded from
 * the ledger, the periodic forecast check, and the audit of what alerts do by themselves.
 */
final class Alerting implements AutoCloseable {

  /** How long a workflow's standing (registered in production, producing outcomes) is trusted before it is read again. */
  private static final Duration SANCTION_TTL = Duration.ofMinutes(5);
  /** Outcomes recorded this recently count as a workflow doing its job. */
  private static final Duration OUTCOMES_WITHIN = Duration.ofDays(7);

  final Restrictions restrictions = new Restrictions();
  final AlertService service;
  final AlertFeed feed;
  private final Vertx vertx;
  private final Clock clock;
  private final ForecastAlerts forecasts;
  private final Map<String, Entry<Instant, Boolean>> sanctioned = new ConcurrentHashMap<>();
  private volatile Duration forecastEvery = AlertRules.defaults().forecast().checkEvery();
  private volatile Instant lastForecast;

  Alerting(Vertx vertx, Clock clock, Storage storage, AuditLog audit) {
    this.vertx = vertx;
    this.clock = clock;
    this.service = new AlertService(clock, null, storage.alertStore(), restrictions);
    this.feed = new AlertFeed(service, 100_000);
    this.forecasts = new ForecastAlerts(service, clock);
    // Restrictions are made on the detectors' thread (or a worker, for budget alerts): the audit write may block there.
    service.onRestricted(r -> audit.recordSystem("alerts", r.kind() == Restriction.Kind.SUSPEND ? "SUSPEND" : "THROTTLE",
        "alert_restriction", r.subject(), null, AuditLog.restrictionJson(r)));
    var workflows = new dev.tollgate.store.sql.report.SqlWorkflowStore(storage.database());
    var outcomes = new dev.tollgate.store.sql.report.SqlOutcomeStore(storage.database());
    service.detectors().sanctionedWorkflows(name -> {
      Instant now = clock.instant();
      Entry<Instant, Boolean> known = sanctioned.get(name);
      if (known != null && known.getKey().isAfter(now)) return known.getValue();
      boolean ok = workflows.find(name).filter(w -> w.stage() == WorkflowStage.PRODUCTION).isPresent()
          && !outcomes.list(now.minus(OUTCOMES_WITHIN), now.plusSeconds(1), Map.of("workflow", name), 1).isEmpty();
      sanctioned.put(name, Map.entry(now.plus(SANCTION_TTL), ok));
      return ok;
    });
  }

  /** A budget notifier that keeps {@code notices} at once and opens the alert on the detectors' thread (it writes to the database). */
  BudgetNotifier budgetNotifier(BudgetNotifier notices) {
    return (budget, subject, span, threshold, used) -> {
      notices.thresholdCrossed(budget, subject, span, threshold, used);
      feed.run("budget threshold alert", () -> service.thresholdCrossed(budget, subject, span, threshold, used));
    };
  }

  void configure(AlertsConfig ac, List<AlertChannel> channels) {
    AlertRules rules = ac.rules();
    forecastEvery = rules.forecast().checkEvery();
    service.configure(new AlertService.Settings(ac.cooldown(), ac.runawayMinRuns(), ac.runawayMinPeriod(), ac.runawayTolerance(),
        action(ac.runawayAction(), rules.runawayThrottlePerMinute()), ac.errorWindowMinutes(), ac.errorMinCalls(), ac.errorThreshold(),
        rules.spendSpike().enabled(), rules.spendSpike().factor().doubleValue(), rules.spendSpike().weeks(),
        Money.ofUsd(rules.spendSpike().minBaselineUsd()).nanos(), action(rules.spendSpike().action(), rules.spendSpike().throttlePerMinute()),
        rules.retryStorm().enabled(), rules.retryStorm().count(), rules.retryStorm().window(),
        action(rules.retryStorm().action(), rules.retryStorm().throttlePerMinute()), rules.forecast().enabled()), channels);
  }

  private static AlertService.Action action(String wire, int perMinute) {
    Restriction.Kind kind = Restriction.Kind.fromWire(wire);
    return kind == Restriction.Kind.NONE ? AlertService.Action.NONE
        : new AlertService.Action(kind, kind == Restriction.Kind.THROTTLE ? perMinute : 0);
  }

  /**
   * Reads the restrictions from the database every 10 s, so that one made or lifted by another
   * replica (or its acknowledgement) holds here too within that time.
   */
  void syncRestrictions(Storage storage) {
    vertx.setPeriodic(10_000, t -> feed.run("reading the alert restrictions",
        () -> restrictions.syncTo(storage.alertStore().restrictions())));
  }

  /** Seeds the spend baselines from the ledger (rows up to now; later ones are told live), on the detectors' thread. */
  void seed(Storage storage, ZoneId zone) {
    Instant until = clock.instant();
    feed.run("seeding the spend-spike baselines", () -> service.detectors().seed(storage.usageQuery(), zone, until));
  }

  /**
   * Looks at the budgets' projections every {@code alerts.forecast.check_every} by the gateway's clock;
   * a one-minute timer asks whether that much time has passed.
   */
  void startForecasts(Supplier<BudgetService> budgets, Supplier<ZoneId> zone) {
    vertx.setPeriodic(60_000, t -> checkForecasts(budgets, zone, false));
  }

  /** Checks the forecasts now, or when their interval has passed ({@code force} false). */
  void checkForecasts(Supplier<BudgetService> budgets, Supplier<ZoneId> zone, boolean force) {
    Instant now = clock.instant();
    if (!force && lastForecast != null && now.isBefore(lastForecast.plus(forecastEvery))) return;
    lastForecast = now;
    feed.run("the budget forecast check", () -> forecasts.check(budgets.get().status(zone.get()), zone.get()));
  }

  @Override
  public void close() {
    feed.close();
  }
}
