package dev.tollgate.service;

import dev.tollgate.config.BudgetConfig;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.BudgetStore;
import dev.tollgate.port.CounterStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Budgets from both sources — the config file and the admin API — and their status. A change made
 * through the API is stored, then announced so that the gateway builds a new {@link BudgetBook}; the
 * counters survive because budget ids do not change.
 */
public final class BudgetService {

  private final BudgetStore store;
  private final CounterStore counters;
  private final Clock clock;
  private volatile List<Budget> fromConfig = List.of();
  private volatile Runnable onChange = () -> {};

  public BudgetService(BudgetStore store, CounterStore counters, Clock clock) {
    this.store = store;
    this.counters = counters;
    this.clock = clock;
  }

  /** Called after every change made through the API (the gateway rebuilds its budget book). */
  public void onChange(Runnable action) {
    this.onChange = action;
  }

  public void useConfig(GatewayConfig config) {
    List<Budget> out = new ArrayList<>();
    for (BudgetConfig b : config.budgets()) out.add(fromConfig(b, configId(b), "config"));
    fromConfig = List.copyOf(out);
  }

  public BudgetBook book(ZoneId zone) {
    return new BudgetBook(all(), zone);
  }

  /** Config budgets first, then API budgets in the order they were made. */
  public List<Budget> all() {
    List<Budget> out = new ArrayList<>(fromConfig);
    out.addAll(store.list());
    return out;
  }

  public Optional<Budget> find(String id) {
    return all().stream().filter(b -> b.id().equals(id)).findFirst();
  }

  public Budget create(BudgetConfig config) {
    Budget b = fromConfig(config, "bud_" + Long.toString(clock.millis(), 36)
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).substring(0, 6), "api");
    store.insert(b);
    onChange.run();
    return b;
  }

  public enum Change { DONE, NOT_FOUND, DECLARED_IN_CONFIG, WHAT_IT_COUNTS_CHANGED }

  /**
   * Changes a budget's limit, thresholds, action or note. What it counts (scope, window, unit) cannot
   * change: its counters hold use in those terms; make a new budget instead.
   */
  public Change update(String id, BudgetConfig config) {
    if (fromConfig.stream().anyMatch(b -> b.id().equals(id))) return Change.DECLARED_IN_CONFIG;
    Optional<Budget> old = store.find(id);
    if (old.isEmpty()) return Change.NOT_FOUND;
    Budget next = fromConfig(config, id, "api");
    if (!next.scope().equals(old.get().scope()) || !next.window().equals(old.get().window()) || next.unit() != old.get().unit()) {
      return Change.WHAT_IT_COUNTS_CHANGED;
    }
    if (!store.update(next)) return Change.NOT_FOUND;
    onChange.run();
    return Change.DONE;
  }

  public Change delete(String id) {
    if (fromConfig.stream().anyMatch(b -> b.id().equals(id))) return Change.DECLARED_IN_CONFIG;
    if (!store.delete(id)) return Change.NOT_FOUND;
    onChange.run();
    return Change.DONE;
  }

  /**
   * Where one budget stands for one subject in its current period.
   *
   * @param projectedUse use at the end of the period if it goes on at the pace so far (null without an end)
   * @param projectedExhaustion when the limit would be reached at that pace, if before the period ends
   */
  public record Status(Budget budget, String subject, Instant periodStart, Instant periodEnd, long used, long reserved,
      Long projectedUse, Instant projectedExhaustion) {
    public long remaining() {
      return Math.max(0, budget.limit() - used - reserved);
    }
  }

  public List<Status> status(ZoneId zone) {
    Instant now = clock.instant();
    List<Status> out = new ArrayList<>();
    for (Budget b : all()) {
      BudgetWindow.Span span = b.window().spanAt(now, zone);
      if (span == null || b.window().kind() == WindowKind.REQUEST) {
        out.add(new Status(b, b.scope().toString(), span == null ? null : span.start(), span == null ? null : span.end(), 0, 0, null, null));
        continue;
      }
      Map<String, CounterStore.State> states = counters.scan(b.id() + "|", now);
      boolean any = false;
      for (var e : states.entrySet()) {
        String[] parts = e.getKey().split("\\|");
        String periodKey = parts[parts.length - 1];
        if (!periodKey.equals(span.key())) continue; // an earlier period's counter
        String subject = e.getKey().substring(b.id().length() + 1, e.getKey().length() - periodKey.length() - 1);
        out.add(status(b, subject, span, e.getValue(), now));
        any = true;
      }
      if (!any && !b.scope().toString().contains(BudgetScope.EACH)) {
        out.add(status(b, b.scope().toString(), span, new CounterStore.State(0, 0), now));
      }
    }
    return out;
  }

  private static Status status(Budget b, String subject, BudgetWindow.Span span, CounterStore.State s, Instant now) {
    Long projected = null;
    Instant exhaustion = null;
    if (span.end() != null && b.window().kind() != WindowKind.MINUTE) {
      long elapsed = Duration.between(span.start(), now).toMillis();
      long length = Duration.between(span.start(), span.end()).toMillis();
      if (elapsed > 0 && s.used() > 0) {
        projected = BigDecimal.valueOf(s.used()).multiply(BigDecimal.valueOf(length))
            .divide(BigDecimal.valueOf(elapsed), 0, java.math.RoundingMode.HALF_UP).longValue();
        if (projected > b.limit()) {
          long toLimit = BigDecimal.valueOf(b.limit()).multiply(BigDecimal.valueOf(elapsed))
              .divide(BigDecimal.valueOf(s.used()), 0, java.math.RoundingMode.HALF_UP).longValue();
          exhaustion = span.start().plusMillis(toLimit);
        }
      }
    }
    return new Status(b, subject, span.start(), span.end(), s.used(), s.reserved(), projected, exhaustion);
  }

  static String configId(BudgetConfig b) {
    return "cfg:" + b.scope() + ":" + b.window() + (b.start() == null ? "" : "@" + b.start()) + ":" + b.unit();
  }

  /** The domain budget a config entry (from the file or an API body) describes. */
  static Budget fromConfig(BudgetConfig b, String id, String source) {
    BudgetUnit unit = BudgetUnit.fromWire(b.unit());
    long limit = unit == BudgetUnit.USD ? Money.ofUsd(b.limit()).nanos() : b.limit().longValueExact();
    BudgetAction action = b.onExceed() == null ? BudgetAction.BLOCK : BudgetAction.fromWire(b.onExceed());
    BudgetWindow window = new BudgetWindow(WindowKind.fromWire(b.window()), b.start(), b.end());
    return new Budget(id, BudgetScope.parse(b.scope()), window, unit, limit, action, b.warnAt(), source, b.reviewDate(), b.note());
  }
}
