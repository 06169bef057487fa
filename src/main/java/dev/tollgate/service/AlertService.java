package dev.tollgate.service;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.domain.alert.Restrictions;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.AlertChannel;
import dev.tollgate.port.AlertStore;
import dev.tollgate.port.BudgetNotifier;
import dev.tollgate.port.UsageObserver;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the incidents: opens an alert when a detector or a budget says so, tells the channels once,
 * acts on the key, agent or workflow when the rule says so, and lifts that on acknowledgement.
 *
 * <p>One incident, one alert: while an alert for a kind and subject is open (or acknowledged), new
 * triggers count up and are sent again only after the cooldown. Every change is written to the
 * {@link AlertStore}, and the open incidents, their cooldowns and the restrictions are read back at
 * start, so a restart neither repeats a notice nor lifts a suspension. The detectors on ledger rows
 * are in {@link UsageAlerts}; they call {@link #trigger}.
 */
public final class AlertService implements UsageObserver, BudgetNotifier {

  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  /** How many alerts {@link #list()} returns (the admin API pages through all of them). */
  private static final int RECENT = 1000;
  /** Why a runaway's key is suspended (what its callers and the audit log are told). */
  public static final String RUNAWAY_REASON = "runaway automation detected";

  private final Clock clock;
  private final BudgetNotifier next;
  private final AlertStore store;
  private final Restrictions restrictions;
  private final Map<String, Alert> open = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
  private final UsageAlerts detectors;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> openedByKind = new ConcurrentHashMap<>();
  /** The kinds of alert the gateway opens (for metrics). */
  public static final List<String> KINDS = List.of("budget_threshold", "budget_forecast", "spend_spike", "runaway_automation",
      "retry_storm", "error_rate", "exception_expiring", "exception_pending_approval");
  private volatile Settings settings = Settings.quiet();
  private volatile List<AlertChannel> channels = List.of();
  private volatile Consumer<Restriction> onRestricted = r -> {};

  /** What an alert rule does to the subject besides telling: none, throttle to a rate, or suspend. */
  public record Action(Restriction.Kind kind, int perMinute) {
    public static final Action NONE = new Action(Restriction.Kind.NONE, 0);

    public boolean none() {
      return kind == Restriction.Kind.NONE;
    }
  }

  /**
   * The detectors' thresholds and the rules' actions.
   *
   * @param spikeMinBaselineNanos the least hourly baseline a spend spike is measured against
   */
  public record Settings(Duration cooldown, int runawayMinRuns, Duration runawayMinPeriod, double runawayTolerance,
      Action runawayAction, int errorWindowMinutes, int errorMinCalls, double errorThreshold, boolean spikeEnabled,
      double spikeFactor, int spikeWeeks, long spikeMinBaselineNanos, Action spikeAction, boolean stormEnabled, int stormCount,
      Duration stormWindow, Action stormAction, boolean forecastEnabled) {
    static Settings quiet() {
      return new Settings(Duration.ofMinutes(30), 8, Duration.ofMinutes(5), 0.1, Action.NONE, 5, 20, 0.2, true, 3.0, 4,
          5_000_000_000L, Action.NONE, true, 20, Duration.ofMinutes(5), Action.NONE, true);
    }
  }

  /** What an alert asks to do when it opens: restrict {@code subject} as {@code action} says, for {@code reason}. */
  public record Planned(Action action, String subject, String reason) {}

  /** Alerts kept in memory only (tests and tools). */
  public AlertService(Clock clock, BudgetNotifier next) {
    this(clock, next, AlertStore.inMemory(), new Restrictions());
  }

  /**
   * Reads back the open incidents and the restrictions in force from {@code store}.
   *
   * @param next the notifier that keeps the budget warnings list (warnings go there too), or null
   * @param restrictions what the request path consults; filled from the store here
   */
  public AlertService(Clock clock, BudgetNotifier next, AlertStore store, Restrictions restrictions) {
    this.clock = clock;
    this.next = next;
    this.store = store;
    this.restrictions = restrictions;
    for (AlertStore.Live l : store.unresolved()) {
      String key = key(l.alert().kind(), l.alert().subject());
      open.put(key, l.alert());
      if (l.lastSentAt() != null) lastSent.put(key, l.lastSentAt());
    }
    store.restrictions().forEach(restrictions::put);
    this.detectors = new UsageAlerts(this, clock);
    detectors.configure(settings, settings);
  }

  public void configure(Settings s, List<AlertChannel> channels) {
    Settings old = this.settings;
    this.settings = s;
    this.channels = List.copyOf(channels);
    detectors.configure(old, s);
  }

  Settings settings() {
    return settings;
  }

  /** The detectors on ledger rows, for seeding their history and exempting sanctioned workflows. */
  public UsageAlerts detectors() {
    return detectors;
  }

  /** Told of every restriction an alert puts on (for the audit log, as {@code system:alerts}). */
  public void onRestricted(Consumer<Restriction> listener) {
    this.onRestricted = listener;
  }

  @Override
  public void thresholdCrossed(Budget budget, String subject, BudgetWindow.Span span, BigDecimal threshold, long used) {
    if (next != null) next.thresholdCrossed(budget, subject, span, threshold, used);
    String pct = threshold.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    // Who may see it: the team of a team budget, the user of a user budget; other scopes belong to no team.
    String team = subject.startsWith("team:") ? subject.substring(5) : null;
    String user = subject.startsWith("user:") ? subject.substring(5) : null;
    trigger("budget_threshold", subject + "|" + budget.id() + "|" + span.key() + "|" + pct, team, user,
        threshold.compareTo(BigDecimal.ONE) >= 0 ? "critical" : "warning",
        subject + " has used " + pct + " of " + budget.describe() + (span.end() == null ? "" : " (period ends " + span.end() + ")"),
        null);
  }

  /** Runs the detectors on one ledger row; call from one thread (see {@link AlertFeed}). */
  @Override
  public void observe(UsageRecord r) {
    detectors.observe(r);
  }

  /** Opens an alert that belongs to no team (seen by admins, finance and auditors only). */
  public void trigger(String kind, String subject, String severity, String message, Planned plan) {
    trigger(kind, subject, null, null, severity, message, plan);
  }

  /**
   * Opens an alert, or counts up an open one; sends it unless it was sent within the cooldown.
   *
   * @param team the team whose leads may see it, or null
   * @param user the ledger user who may see it, or null
   * @param plan what to restrict when the alert opens, or null
   * @return the alert as it stands
   */
  public Alert trigger(String kind, String subject, String team, String user, String severity, String message, Planned plan) {
    Instant now = clock.instant();
    String key = key(kind, subject);
    boolean[] fresh = {false};
    Alert alert = open.compute(key, (k, existing) -> {
      if (existing != null) return existing.triggeredAgain(now, message);
      fresh[0] = true;
      return new Alert(newId(now, key), kind, subject, team, user, severity, message, now, now, 1, "open", null, null);
    });
    if (fresh[0]) openedByKind.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    if (fresh[0] && plan != null && !plan.action().none()) {
      // Outside the map's compute: restricting writes to the store and tells the audit log.
      String taken = restrict(alert, plan, now).describe();
      String id = alert.id();
      Alert acted = open.computeIfPresent(key, (k, a) -> a.id().equals(id) ? a.withAction(taken) : a);
      if (acted != null) alert = acted;
    }
    Instant sent = lastSent.get(key);
    boolean send = sent == null || Duration.between(sent, now).compareTo(settings.cooldown()) >= 0;
    if (send) lastSent.put(key, now);
    save(alert, send ? now : sent);
    if (!send) return alert;
    if (fresh[0]) log.warn("alert {}: {}", kind, message);
    for (AlertChannel c : channels) {
      try {
        c.send(alert);
      } catch (RuntimeException e) {
        log.warn("alert channel {} failed: {}", c.name(), e.toString());
      }
    }
    return alert;
  }

  private Restriction restrict(Alert a, Planned plan, Instant now) {
    Restriction r = new Restriction(plan.subject(), plan.action().kind(), plan.action().perMinute(), a.id(), plan.reason(), now);
    restrictions.put(r);
    try {
      store.restrict(r);
    } catch (RuntimeException e) {
      log.error("the {} could not be stored; it holds until this process stops: {}", r.describe(), e.toString());
    }
    onRestricted.accept(r);
    return r;
  }

  /** Incidents of this kind opened since start. */
  public long opened(String kind) {
    var n = openedByKind.get(kind);
    return n == null ? 0 : n.get();
  }

  /** Incidents of this kind open or acknowledged now. */
  public long openNow(String kind) {
    return open.values().stream().filter(a -> a.kind().equals(kind)).count();
  }

  /** Whether an alert of this kind and subject is open or acknowledged now. */
  public boolean isOpen(String kind, String subject) {
    return open.containsKey(key(kind, subject));
  }

  /** Whether any alert of this kind (open, acknowledged or resolved) has this subject and was triggered since {@code since}. */
  boolean toldSince(String kind, String subject, Instant since) {
    if (isOpen(kind, subject)) return true;
    return store.list(null, kind, since, null, RECENT).stream().anyMatch(a -> a.subject().equals(subject));
  }

  private void save(Alert a, Instant sentAt) {
    try {
      store.save(a, sentAt);
    } catch (RuntimeException e) {
      log.error("alert {} could not be stored: {}", a.id(), e.toString());
    }
  }

  private static String newId(Instant now, String key) {
    return "alr_" + Long.toString(now.toEpochMilli(), 36) + Integer.toString(Math.floorMod(key.hashCode(), 46656), 36)
        + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1296), 36);
  }

  private static String key(String kind, String subject) {
    return kind + "|" + subject;
  }

  /** The latest alerts (at most 1,000), newest first, with their current state. */
  public List<Alert> list() {
    return store.list(null, null, null, null, RECENT);
  }

  /** One page of the history, as {@link AlertStore#list}, keeping only what {@code visible} lets the caller see. */
  public List<Alert> list(String state, String kind, Instant since, AlertStore.Cursor after, int limit, Predicate<Alert> visible) {
    List<Alert> out = new ArrayList<>();
    AlertStore.Cursor cursor = after;
    // A team lead's page may skip alerts of other teams: read on until it is full or the history ends.
    while (out.size() < limit) {
      List<Alert> batch = store.list(state, kind, since, cursor, limit);
      for (Alert a : batch) {
        if (visible.test(a) && out.size() < limit) out.add(a);
      }
      if (batch.size() < limit) break;
      Alert last = batch.get(batch.size() - 1);
      cursor = new AlertStore.Cursor(last.firstAt(), last.id());
    }
    return out;
  }

  /** What restrictions are in force. */
  public List<Restriction> restrictions() {
    return restrictions.all();
  }

  /**
   * What acknowledging or resolving did: the alert before and after, and the restrictions it lifted.
   * {@code before} equals {@code after} when there was nothing to change (an alert already resolved).
   */
  public record Transition(Alert before, Alert after, List<Restriction> lifted) {
    public boolean changed() {
      return !before.equals(after);
    }
  }

  /** Acknowledges an alert: it stays open to count, and a restriction it made is lifted. */
  public Optional<Transition> acknowledge(String id, String by) {
    return change(id, "acknowledged", by);
  }

  /** Resolves an alert: closed, and a restriction it made is lifted; the next trigger opens a new incident. */
  public Optional<Transition> resolve(String id, String by) {
    return change(id, "resolved", by);
  }

  /**
   * Resolves, as {@code by}, every open alert of this kind whose subject no longer applies — e.g. an
   * approval reminder once the exception was decided. Returns how many it resolved.
   */
  public int resolveWhere(String kind, Predicate<String> subjectGone, String by) {
    List<String> ids = open.values().stream().filter(a -> a.kind().equals(kind) && subjectGone.test(a.subject()))
        .map(Alert::id).toList();
    ids.forEach(id -> change(id, "resolved", by));
    return ids.size();
  }

  private synchronized Optional<Transition> change(String id, String state, String by) {
    for (Map.Entry<String, Alert> e : open.entrySet()) {
      if (!e.getValue().id().equals(id)) continue;
      Alert before = e.getValue();
      Alert changed = before.withState(state, by);
      // The database first: a replica (or this one) reading the restrictions back must not find it again.
      store.lift(id);
      List<Restriction> lifted = restrictions.liftFor(id);
      if (state.equals("resolved")) {
        open.remove(e.getKey());
        lastSent.remove(e.getKey());
        detectors.forget(changed.subject());
      } else {
        open.put(e.getKey(), changed);
      }
      save(changed, lastSent.get(e.getKey()));
      return Optional.of(new Transition(before, changed, lifted));
    }
    return store.find(id).map(a -> new Transition(a, a, List.of()));
  }
}
