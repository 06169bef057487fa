package dev.tollgate.service;

import dev.tollgate.domain.alert.CadenceDetector;
import dev.tollgate.domain.alert.ErrorRateWindow;
import dev.tollgate.domain.alert.RetryStormDetector;
import dev.tollgate.domain.alert.SpendSpikeDetector;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors fed by ledger rows: runaway automation per key, agent and workflow; error rate per
 * provider; spend spikes per org, team, workflow, agent and key; retry storms per key, workflow and
 * prompt. Fed from one thread ({@link AlertFeed}), never from an event loop; what they find goes to
 * {@link AlertService#trigger}.
 */
public final class UsageAlerts {

  private static final Logger log = LoggerFactory.getLogger(UsageAlerts.class);
  static final String RUNAWAY = "runaway_automation";
  static final String SPIKE = "spend_spike";
  static final String STORM = "retry_storm";

  private final AlertService alerts;
  private final Clock clock;
  private final Map<String, CadenceDetector> cadences = new ConcurrentHashMap<>();
  private final Map<String, ErrorRateWindow> errorRates = new ConcurrentHashMap<>();
  private volatile ZoneId zone = ZoneId.of("UTC");
  private volatile SpendSpikeDetector spikes;
  private volatile RetryStormDetector storms;
  private volatile Predicate<String> sanctionedWorkflow = w -> false;
  private long observed;

  UsageAlerts(AlertService alerts, Clock clock) {
    this.alerts = alerts;
    this.clock = clock;
  }

  synchronized void configure(AlertService.Settings old, AlertService.Settings s) {
    cadences.clear();
    boolean spikeChanged = spikes == null || old.spikeFactor() != s.spikeFactor() || old.spikeWeeks() != s.spikeWeeks()
        || old.spikeMinBaselineNanos() != s.spikeMinBaselineNanos();
    if (spikeChanged) {
      // A new baseline starts from what it is told from now on (and from the ledger when seeded).
      spikes = new SpendSpikeDetector(clock, zone, s.spikeFactor(), s.spikeWeeks(), s.spikeMinBaselineNanos(), clock.instant());
    }
    if (storms == null || old.stormCount() != s.stormCount() || !old.stormWindow().equals(s.stormWindow())) {
      storms = new RetryStormDetector(s.stormCount(), s.stormWindow());
    }
  }

  /**
   * Which workflows may run on a fixed period unattended: registered, in production and producing
   * outcomes (a nightly batch doing its job). Asked from the detectors' thread; may read a store.
   */
  public void sanctionedWorkflows(Predicate<String> sanctioned) {
    this.sanctionedWorkflow = sanctioned;
  }

  /**
   * Fills the spend-spike baselines from the ledger: hourly spend per scope over the baseline's weeks,
   * up to {@code until} (rows after it are told live). Replaces what the spike detector knew.
   */
  public synchronized void seed(UsageQuery ledger, ZoneId orgZone, Instant until) {
    AlertService.Settings s = alerts.settings();
    this.zone = orgZone;
    Instant from = until.minus(Duration.ofDays(7L * s.spikeWeeks() + 1));
    SpendSpikeDetector fresh = new SpendSpikeDetector(clock, orgZone, s.spikeFactor(), s.spikeWeeks(), s.spikeMinBaselineNanos(), from);
    long rows = 0;
    for (String dimension : List.of("org", "team", "workflow", "agent", "key")) {
      List<String> groupBy = dimension.equals("org") ? List.of() : List.of(dimension);
      for (UsageAggregate a : ledger.aggregate(new UsageFilter(from, until, Map.of(), groupBy, UsageFilter.Granularity.HOUR, orgZone))) {
        String value = dimension.equals("org") ? null : a.group().get(dimension);
        if (!dimension.equals("org") && value == null) continue;
        fresh.seed(dimension.equals("org") ? "org" : dimension + ":" + value, a.bucketStart(), a.cost().nanos());
        rows++;
      }
    }
    spikes = fresh;
    log.info("spend-spike baselines seeded from {} hourly sums of the ledger since {}", rows, from);
  }

  void forget(String subject) {
    cadences.remove(subject);
  }

  void observe(UsageRecord r) {
    AlertService.Settings s = alerts.settings();
    errorRate(r, s);
    if (r.status() == RequestStatus.BLOCKED) return;
    if (s.spikeEnabled()) spike(r, s);
    if (s.stormEnabled()) storm(r, s);
    if (r.keyName() != null) runaway(r, s);
    if (++observed % 100_000 == 0) spikes.forgetIdle();
  }

  private void errorRate(UsageRecord r, AlertService.Settings s) {
    if (r.provider() == null || r.servedModel() == null) return;
    ErrorRateWindow w = errorRates.computeIfAbsent(r.provider(), p -> new ErrorRateWindow(s.errorWindowMinutes()));
    w.record(r.startedAt(), r.status() == RequestStatus.ERROR && !"client_disconnected".equals(r.errorCode()));
    long[] t = w.totals(r.startedAt());
    if (t[0] >= s.errorMinCalls() && t[1] > s.errorThreshold() * t[0]) {
      alerts.trigger("error_rate", "provider:" + r.provider(), null, null, "critical", "Provider " + r.provider() + " failed " + t[1]
          + " of " + t[0] + " calls in the last " + s.errorWindowMinutes() + " minutes", null);
    }
  }

  /**
   * One runaway alert per automation: the row's key, agent and workflow may all show the cadence; the
   * narrowest one that does is named and acted on — the key first, since a restriction on it cannot
   * be side-stepped by a header and hits only that caller; an agent or workflow when the key is shared
   * with irregular traffic. An alert already open on any of them counts up instead of opening another.
   */
  private void runaway(UsageRecord r, AlertService.Settings s) {
    List<String> subjects = new ArrayList<>(3);
    subjects.add("key:" + r.keyName());
    if (r.attribution().agent() != null) subjects.add("agent:" + r.attribution().agent());
    if (r.attribution().workflow() != null) subjects.add("workflow:" + r.attribution().workflow());
    String found = null;
    Duration period = null;
    for (String subject : subjects) {
      Duration p = cadences.computeIfAbsent(subject, k -> new CadenceDetector(s.runawayMinRuns(), s.runawayMinPeriod(),
          s.runawayTolerance())).arrived(r.startedAt());
      if (p != null && found == null) {
        found = subject;
        period = p;
      }
    }
    if (found == null) return;
    String workflow = r.attribution().workflow();
    if (workflow != null && sanctionedWorkflow.test(workflow)) return;
    String subject = subjects.stream().filter(x -> alerts.isOpen(RUNAWAY, x)).findFirst().orElse(found);
    AlertService.Action action = s.runawayAction();
    alerts.trigger(RUNAWAY, subject, r.attribution().team(), null, "critical", subject + " has run every " + human(period)
        + " for the last " + s.runawayMinRuns() + " calls with nobody in the loop" + (workflow == null ? ""
        : " (workflow " + workflow + " is not registered in production with outcomes)") + actionNote(action, subject),
        action.none() ? null : new AlertService.Planned(action, subject, AlertService.RUNAWAY_REASON));
  }

  private void spike(UsageRecord r, AlertService.Settings s) {
    for (String scope : SpendSpikeDetector.scopesOf(r)) {
      SpendSpikeDetector.Spike spike = spikes.spent(scope, r.startedAt(), r.cost().nanos());
      if (spike == null) continue;
      boolean restrictable = scope.startsWith("key:") || scope.startsWith("agent:") || scope.startsWith("workflow:");
      AlertService.Action action = restrictable ? s.spikeAction() : AlertService.Action.NONE;
      String team = scope.equals("org") ? null : r.attribution().team();
      alerts.trigger(SPIKE, scope, team, null, "warning", scope + " spent " + usd(spike.spent()) + " in the hour from "
          + spike.hourStart().atZone(zone).toLocalDateTime() + " (" + zone + "), more than " + s.spikeFactor() + " × its usual "
          + usd(Math.max(spike.baselineMedian(), s.spikeMinBaselineNanos())) + " for that hour of the week (median of "
          + spike.weeksKnown() + " weeks)" + actionNote(action, scope),
          action.none() ? null : new AlertService.Planned(action, scope, "spend spike"));
    }
  }

  private void storm(UsageRecord r, AlertService.Settings s) {
    String hash = r.efficiency().promptHash();
    if (hash == null || r.cacheHit() || r.keyName() == null) return;
    RetryStormDetector.Storm storm = storms.arrived(r.keyName(), r.attribution().workflow(), hash, r.startedAt());
    if (storm == null) return;
    String subject = "key:" + r.keyName();
    AlertService.Action action = s.stormAction();
    alerts.trigger(STORM, subject, r.attribution().team(), null, "warning", subject + " sent the same prompt (prompt_hash "
        + hash + ") " + storm.copies() + " times since " + storm.since() + (storm.workflow() == null ? "" : " for workflow "
        + storm.workflow()) + ", not answered from the cache: a retry loop?" + actionNote(action, subject),
        action.none() ? null : new AlertService.Planned(action, subject, "retry storm"));
  }

  private static String actionNote(AlertService.Action action, String subject) {
    return switch (action.kind()) {
      case SUSPEND -> "; " + subject + " is suspended until someone acknowledges this alert";
      case THROTTLE -> "; " + subject + " is throttled to " + action.perMinute() + " requests a minute until someone acknowledges this alert";
      case NONE -> "";
    };
  }

  private static String usd(long nanos) {
    return "$" + Money.ofNanos(nanos).toUsd().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }
}
