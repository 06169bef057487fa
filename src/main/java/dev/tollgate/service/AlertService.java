package dev.tollgate.service;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.CadenceDetector;
import dev.tollgate.domain.alert.ErrorRateWindow;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.AlertChannel;
import dev.tollgate.port.BudgetNotifier;
import dev.tollgate.port.UsageObserver;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices what people must hear about, tells them once, and can act:
 *
 * <ul>
 *   <li>budget thresholds (from admission's warnings);
 *   <li>runaway automation — a key, agent or workflow firing on a fixed period with nobody in the loop
 *       ({@link CadenceDetector}); optionally the key is suspended until someone acknowledges;
 *   <li>error-rate spikes per provider ({@link ErrorRateWindow});
 *   <li>exceptions about to expire (fed by the exception service).
 * </ul>
 *
 * One incident, one alert: while an alert for a kind and subject is open, new triggers count up and
 * are sent again only after the cooldown. Alerts live in memory (the last 1,000), with acknowledge
 * and resolve through the admin API.
 */
public final class AlertService implements UsageObserver, BudgetNotifier {

  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  private static final int KEEP = 1000;
  private static final String SUSPENDED = "suspended key ";
  /** Why a runaway's key is suspended (what its callers and the audit log are told). */
  public static final String RUNAWAY_REASON = "runaway automation detected";

  private final Clock clock;
  private final BudgetNotifier next;
  private final Map<String, Alert> open = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
  private final Deque<Alert> history = new ArrayDeque<>();
  private final Map<String, CadenceDetector> cadences = new ConcurrentHashMap<>();
  private final Map<String, ErrorRateWindow> errorRates = new ConcurrentHashMap<>();
  private volatile Settings settings = Settings.quiet();
  private volatile List<AlertChannel> channels = List.of();
  private volatile Consumer<String> suspendKey = k -> {};
  private volatile Consumer<String> resumeKey = k -> {};

  /** Thresholds of the detectors and what to do about a runaway. */
  public record Settings(Duration cooldown, int runawayMinRuns, Duration runawayMinPeriod, double runawayTolerance,
      boolean suspendRunaways, int errorWindowMinutes, int errorMinCalls, double errorThreshold) {
    static Settings quiet() {
      return new Settings(Duration.ofMinutes(30), 8, Duration.ofMinutes(5), 0.1, false, 5, 20, 0.2);
    }
  }

  /** @param next the notifier that keeps the budget warnings list (warnings go there too) */
  public AlertService(Clock clock, BudgetNotifier next) {
    this.clock = clock;
    this.next = next;
  }

  public void configure(Settings s, List<AlertChannel> channels) {
    this.settings = s;
    this.channels = List.copyOf(channels);
    cadences.clear();
  }

  /** How to suspend and resume a key (by name) when a runaway is found and later acknowledged. */
  public void keyActions(Consumer<String> suspend, Consumer<String> resume) {
    this.suspendKey = suspend;
    this.resumeKey = resume;
  }

  @Override
  public void thresholdCrossed(Budget budget, String subject, BudgetWindow.Span span, BigDecimal threshold, long used) {
    next.thresholdCrossed(budget, subject, span, threshold, used);
    String pct = threshold.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    // Who may see it: the team of a team budget, the user of a user budget; other scopes belong to no team.
    String team = subject.startsWith("team:") ? subject.substring(5) : null;
    String user = subject.startsWith("user:") ? subject.substring(5) : null;
    trigger("budget_threshold", subject + "|" + budget.id() + "|" + span.key() + "|" + pct, team, user,
        threshold.compareTo(BigDecimal.ONE) >= 0 ? "critical" : "warning",
        subject + " has used " + pct + " of " + budget.describe() + (span.end() == null ? "" : " (period ends " + span.end() + ")"),
        null);
  }

  @Override
  public void observe(UsageRecord r) {
    Settings s = settings;
    if (r.provider() != null && r.servedModel() != null) {
      ErrorRateWindow w = errorRates.computeIfAbsent(r.provider(), p -> new ErrorRateWindow(s.errorWindowMinutes()));
      w.record(r.startedAt(), r.status() == RequestStatus.ERROR && !"client_disconnected".equals(r.errorCode()));
      long[] t = w.totals(r.startedAt());
      if (t[0] >= s.errorMinCalls() && t[1] > s.errorThreshold() * t[0]) {
        trigger("error_rate", "provider:" + r.provider(), null, null, "critical", "Provider " + r.provider() + " failed " + t[1] + " of "
            + t[0] + " calls in the last " + s.errorWindowMinutes() + " minutes", null);
      }
    }
    if (r.status() == RequestStatus.BLOCKED || r.keyName() == null) return;
    cadence("key:" + r.keyName(), r, r.keyName());
    if (r.attribution().agent() != null) cadence("agent:" + r.attribution().agent(), r, null);
    if (r.attribution().workflow() != null) cadence("workflow:" + r.attribution().workflow(), r, null);
  }

  private void cadence(String subject, UsageRecord r, String keyName) {
    Settings s = settings;
    Duration period = cadences.computeIfAbsent(subject, k -> new CadenceDetector(s.runawayMinRuns(), s.runawayMinPeriod(),
        s.runawayTolerance())).arrived(r.startedAt());
    if (period == null) return;
    String action = keyName != null && s.suspendRunaways() ? SUSPENDED + keyName : null;
    trigger("runaway_automation", subject, r.attribution().team(), null, "critical", subject + " has run every " + human(period) + " for the last "
        + s.runawayMinRuns() + " calls with nobody in the loop" + (action == null ? "" : "; the key is suspended until someone acknowledges this alert"),
        action == null ? null : () -> suspendKey.accept(keyName));
    if (action != null) open.computeIfPresent(key("runaway_automation", subject), (k, a) -> a.action() == null ? a.withAction(action) : a);
  }

  /** Opens an alert that belongs to no team (seen by admins, finance and auditors only). */
  public void trigger(String kind, String subject, String severity, String message, Runnable act) {
    trigger(kind, subject, null, null, severity, message, act);
  }

  /**
   * Opens an alert, or counts up an open one; sends it unless it was sent within the cooldown.
   *
   * @param team the team whose leads may see it, or null
   * @param user the ledger user who may see it, or null
   */
  public void trigger(String kind, String subject, String team, String user, String severity, String message, Runnable act) {
    Instant now = clock.instant();
    String key = key(kind, subject);
    boolean[] fresh = {false};
    Alert alert = open.compute(key, (k, existing) -> {
      if (existing != null) return existing.triggeredAgain(now, message);
      fresh[0] = true;
      return new Alert("alr_" + Long.toString(now.toEpochMilli(), 36) + Integer.toString(Math.abs(key.hashCode()) % 1296, 36),
          kind, subject, team, user, severity, message, now, now, 1, "open", null, null);
    });
    if (fresh[0]) {
      synchronized (history) {
        history.addFirst(alert);
        while (history.size() > KEEP) history.removeLast();
      }
      if (act != null) act.run();
    }
    Instant sent = lastSent.get(key);
    if (sent != null && Duration.between(sent, now).compareTo(settings.cooldown()) < 0) return;
    lastSent.put(key, now);
    log.warn("alert {}: {}", kind, message);
    for (AlertChannel c : channels) {
      try {
        c.send(alert);
      } catch (RuntimeException e) {
        log.warn("alert channel {} failed: {}", c.name(), e.toString());
      }
    }
  }

  private static String key(String kind, String subject) {
    return kind + "|" + subject;
  }

  /** Every alert kept, newest first, with its current state. */
  public List<Alert> list() {
    List<Alert> out = new ArrayList<>();
    synchronized (history) {
      for (Alert a : history) out.add(current(a));
    }
    return out;
  }

  private Alert current(Alert a) {
    Alert live = open.get(key(a.kind(), a.subject()));
    return live != null && live.id().equals(a.id()) ? live : a;
  }

  /**
   * What acknowledging or resolving did: the alert before and after, and the key whose suspension it
   * lifted (null if none). {@code before} equals {@code after} when there was nothing to change (an
   * alert already resolved).
   */
  public record Transition(Alert before, Alert after, String resumedKey) {
    public boolean changed() {
      return !before.equals(after);
    }
  }

  /** Acknowledges an alert: it stays open to count, and a suspension it made is lifted. */
  public Optional<Transition> acknowledge(String id, String by) {
    return change(id, "acknowledged", by);
  }

  /** Resolves an alert: closed; the next trigger opens a new incident. */
  public Optional<Transition> resolve(String id, String by) {
    return change(id, "resolved", by);
  }

  /**
   * Resolves, as {@code by}, every open alert of this kind whose subject no longer applies — e.g. an
   * approval reminder once the exception was decided. Returns how many it resolved.
   */
  public int resolveWhere(String kind, java.util.function.Predicate<String> subjectGone, String by) {
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
      String resumed = null;
      if (changed.action() != null && changed.action().startsWith(SUSPENDED)) {
        resumeKey.accept(changed.action().substring(SUSPENDED.length()));
        // Only the first acknowledgement lifts the suspension; later changes find the key running.
        if (before.open()) resumed = changed.action().substring(SUSPENDED.length());
      }
      if (state.equals("resolved")) {
        open.remove(e.getKey());
        lastSent.remove(e.getKey());
        cadences.remove(changed.subject());
      } else {
        open.put(e.getKey(), changed);
      }
      synchronized (history) {
        List<Alert> all = new ArrayList<>(history);
        history.clear();
        for (Alert a : all) history.addLast(a.id().equals(id) ? changed : a);
      }
      return Optional.of(new Transition(before, changed, resumed));
    }
    return list().stream().filter(a -> a.id().equals(id)).findFirst().map(a -> new Transition(a, a, null));
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }
}
