package dev.tollgate.service;

import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.BudgetNotifier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget warnings ("support has used 80% of its monthly budget"): each threshold of each budget,
 * subject and period is told once — as a log line and in the list behind
 * {@code GET /admin/v1/budgets/notifications}. Alert channels (webhook, Slack, email) come with the
 * alerting work and will subscribe here.
 */
public final class BudgetNotices implements BudgetNotifier {

  private static final Logger log = LoggerFactory.getLogger(BudgetNotices.class);
  private static final int KEEP = 1000;

  private final Clock clock;
  private final Set<String> told = ConcurrentHashMap.newKeySet();
  private final Deque<Notice> recent = new ArrayDeque<>();

  public BudgetNotices(Clock clock) {
    this.clock = clock;
  }

  /** One warning as shown to people. */
  public record Notice(Instant at, String budgetId, String subject, String window, String unit, BigDecimal threshold,
      String used, String limit, Instant periodEnd, String message) {}

  @Override
  public void thresholdCrossed(Budget budget, String subject, BudgetWindow.Span span, BigDecimal threshold, long used) {
    if (!told.add(budget.id() + "|" + subject + "|" + span.key() + "|" + threshold)) return;
    String pct = threshold.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    String message = subject + " has used " + pct + " of " + budget.describe() + ": " + show(budget.unit(), used) + " of "
        + show(budget.unit(), budget.limit()) + (span.end() == null ? "" : ", period ends " + span.end());
    log.warn("budget threshold crossed: {}", message);
    synchronized (recent) {
      recent.addFirst(new Notice(clock.instant(), budget.id(), subject, budget.window().kind().wire(), budget.unit().wire(),
          threshold, show(budget.unit(), used), show(budget.unit(), budget.limit()), span.end(), message));
      while (recent.size() > KEEP) recent.removeLast();
    }
    if (told.size() > 100_000) told.clear(); // old periods' entries; at worst a warning is repeated once
  }

  public List<Notice> recent() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  private static String show(BudgetUnit unit, long v) {
    return unit == BudgetUnit.USD ? "$" + Money.ofNanos(v).toUsdString() : Long.toString(v);
  }
}
