package dev.tollgate.service;

import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.money.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Budgets heading over their limit: when a budget's use, projected to the end of its period at the
 * pace so far ({@link BudgetService.Status#projectedUse()}), is above its limit, one alert for that
 * budget, subject and period — "team:support is projected to exhaust the monthly USD budget of team:support on
 * Monday 23 November". Run periodically off the request path, not on every request.
 *
 * <p>A projection made in the first tenth of a period rests on too little to act on (a busy first
 * hour of the month is not a month), so it waits until a tenth has passed. A budget already used up
 * is left to the 100% budget-threshold alert.
 */
public final class ForecastAlerts {

  static final String KIND = "budget_forecast";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);

  private final AlertService alerts;
  private final Clock clock;

  public ForecastAlerts(AlertService alerts, Clock clock) {
    this.alerts = alerts;
    this.clock = clock;
  }

  /** Looks at every budget's status once; returns how many alerts it opened. */
  public int check(List<BudgetService.Status> statuses, ZoneId zone) {
    if (!alerts.settings().forecastEnabled()) return 0;
    Instant now = clock.instant();
    int opened = 0;
    for (BudgetService.Status s : statuses) {
      if (s.projectedUse() == null || s.periodEnd() == null || s.projectedExhaustion() == null) continue;
      long limit = s.budget().limit();
      if (s.projectedUse() <= limit || s.used() >= limit) continue;
      Duration length = Duration.between(s.periodStart(), s.periodEnd());
      if (Duration.between(s.periodStart(), now).compareTo(length.dividedBy(10)) < 0) continue;
      String subject = s.subject() + "|" + s.budget().id() + "|" + s.periodStart();
      // Once per budget window: not again after an acknowledgement or a resolution in the same period.
      if (alerts.toldSince(KIND, subject, s.periodStart())) continue;
      String team = s.subject().startsWith("team:") ? s.subject().substring(5) : null;
      String user = s.subject().startsWith("user:") ? s.subject().substring(5) : null;
      alerts.trigger(KIND, subject, team, user, "warning", s.subject() + " is projected to exhaust " + s.budget().describe()
          + " on " + DAY.format(s.projectedExhaustion().atZone(zone)) + ": " + amount(s, s.used()) + " used so far, "
          + amount(s, s.projectedUse()) + " by the period's end on " + DAY.format(s.periodEnd().atZone(zone)) + " at this pace",
          null);
      opened++;
    }
    return opened;
  }

  private static String amount(BudgetService.Status s, long v) {
    return s.budget().unit() == BudgetUnit.USD ? usd(v) + " of " + usd(s.budget().limit())
        : v + " of " + s.budget().limit() + " " + s.budget().unit().name().toLowerCase(Locale.ROOT);
  }

  private static String usd(long nanos) {
    return "$" + Money.ofNanos(nanos).toUsd().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }
}
