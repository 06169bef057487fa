package dev.tollgate.report;

import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.ScopeKind;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.port.UsageQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a scope's spend is heading: the month-end total, the next calendar quarter, and the day a
 * monthly budget runs out — from its daily cost series, by {@link Forecaster}.
 *
 * <p>The series is the complete days before today (today is still running, so it is not fitted);
 * today counts as the larger of what it has spent so far and its forecast. Forecast days are turned
 * into whole nano-dollars once, and every total is a sum of those, so the days listed add up to the
 * totals stated.
 */
public final class SpendForecast {

  /** How far back the series reaches: 26 weeks, enough for a season to settle, short enough to stay current. */
  public static final int LOOKBACK_DAYS = 182;

  private SpendForecast() {}

  /**
   * The ledger filter for a forecast scope: {@code org}, {@code team:support}, {@code workflow:triage},
   * {@code tag:env=prod}… (one subject; "each one separately" scopes such as {@code user:*} are refused).
   */
  public static Map<String, String> filterFor(BudgetScope scope) {
    if (scope.kind() == ScopeKind.ORG) return Map.of();
    if (BudgetScope.EACH.equals(scope.value()) || scope.value().endsWith("=" + BudgetScope.EACH)) {
      throw new IllegalArgumentException("a forecast is for one subject; name it instead of '*' (e.g. team:support)");
    }
    if (scope.kind() == ScopeKind.TAG) {
      int eq = scope.value().indexOf('=');
      return Map.of("tag:" + scope.value().substring(0, eq), scope.value().substring(eq + 1));
    }
    return Map.of(scope.kind().wire(), scope.value());
  }

  /**
   * The projection for the ledger rows matching {@code equals}, from the daily costs of the last
   * {@link #LOOKBACK_DAYS} days (starting at the first day with any) in {@code zone}.
   */
  public static Projection fromLedger(UsageQuery ledger, Map<String, String> equals, ZoneId zone, Instant now,
      Long monthlyBudget) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant from = today.minusDays(LOOKBACK_DAYS).atStartOfDay(zone).toInstant();
    Instant to = today.plusDays(1).atStartOfDay(zone).toInstant();
    Map<LocalDate, Long> byDay = new TreeMap<>();
    for (UsageAggregate a : ledger.aggregate(new UsageFilter(from, to, equals, List.of(), UsageFilter.Granularity.DAY, zone))) {
      byDay.merge(a.bucketStart().atZone(zone).toLocalDate(), a.cost().nanos(), Long::sum);
    }
    LocalDate first = byDay.keySet().stream().filter(d -> d.isBefore(today)).findFirst().orElse(today);
    long[] complete = new long[(int) ChronoUnit.DAYS.between(first, today)];
    for (int i = 0; i < complete.length; i++) complete[i] = byDay.getOrDefault(first.plusDays(i), 0L);
    return project(first, complete, byDay.getOrDefault(today, 0L), today, monthlyBudget);
  }

  /** One day of the rest of the month: its forecast, or (today) the larger of actual and forecast. */
  public record Day(LocalDate date, Money cost) {}

  /**
   * @param historyDays complete days the method was fitted on
   * @param nextQuarterStart the first day of the calendar quarter after today's
   * @param nextQuarterEnd its last day (inclusive)
   * @param budgetExhaustedOn the day cumulative spend reaches the monthly budget (past or projected),
   *     or null when it does not within the month or no budget was given
   */
  public record Projection(Forecaster.Method method, double alpha, double beta, double gamma, int historyDays,
      LocalDate today, Money monthToDate, Money monthEnd, LocalDate nextQuarterStart, LocalDate nextQuarterEnd,
      Money nextQuarter, Forecaster.Backtest backtest, Money monthlyBudget, LocalDate budgetExhaustedOn,
      List<Day> restOfMonth) {}

  /**
   * @param firstDay the day {@code completeDays[0]} is
   * @param completeDays nano-dollars per day from {@code firstDay} to the day before {@code today}
   * @param todaySoFar what today has spent until now
   * @param monthlyBudget the monthly USD budget in nano-dollars, or null
   * @throws IllegalArgumentException if the days do not end the day before today
   */
  public static Projection project(LocalDate firstDay, long[] completeDays, long todaySoFar, LocalDate today,
      Long monthlyBudget) {
    if (!firstDay.plusDays(completeDays.length).equals(today)) {
      throw new IllegalArgumentException("the series must run from " + firstDay + " to the day before " + today);
    }
    LocalDate monthStart = today.withDayOfMonth(1);
    LocalDate monthEnd = monthStart.plusMonths(1).minusDays(1);
    LocalDate quarterStart = today.withDayOfMonth(1).withMonth(((today.getMonthValue() - 1) / 3) * 3 + 1);
    LocalDate nextQuarterStart = quarterStart.plusMonths(3);
    LocalDate nextQuarterEnd = nextQuarterStart.plusMonths(3).minusDays(1);

    double[] y = new double[completeDays.length];
    for (int i = 0; i < y.length; i++) y[i] = completeDays[i] / 1e9;
    int horizon = (int) ChronoUnit.DAYS.between(today, nextQuarterEnd) + 1;
    Forecaster.Fit fit = Forecaster.forecast(y, horizon);
    long[] ahead = new long[horizon];
    for (int h = 0; h < horizon; h++) ahead[h] = Math.round(fit.forecast()[h] * 1e9);
    ahead[0] = Math.max(ahead[0], todaySoFar);

    long monthToDate = todaySoFar;
    List<Long> monthActual = new ArrayList<>();
    for (LocalDate d = monthStart; d.isBefore(today); d = d.plusDays(1)) {
      int i = (int) ChronoUnit.DAYS.between(firstDay, d);
      long v = i >= 0 ? completeDays[i] : 0;
      monthActual.add(v);
      monthToDate = Math.addExact(monthToDate, v);
    }
    List<Day> rest = new ArrayList<>();
    long projectedEnd = monthToDate - todaySoFar;
    for (LocalDate d = today; !d.isAfter(monthEnd); d = d.plusDays(1)) {
      long v = ahead[(int) ChronoUnit.DAYS.between(today, d)];
      rest.add(new Day(d, Money.ofNanos(v)));
      projectedEnd = Math.addExact(projectedEnd, v);
    }
    long quarter = 0;
    for (LocalDate d = nextQuarterStart; !d.isAfter(nextQuarterEnd); d = d.plusDays(1)) {
      quarter = Math.addExact(quarter, ahead[(int) ChronoUnit.DAYS.between(today, d)]);
    }

    LocalDate exhausted = null;
    if (monthlyBudget != null) {
      long cumulative = 0;
      LocalDate d = monthStart;
      for (long v : monthActual) {
        cumulative += v;
        if (cumulative >= monthlyBudget) {
          exhausted = d;
          break;
        }
        d = d.plusDays(1);
      }
      if (exhausted == null) {
        for (Day day : rest) {
          cumulative += day.cost().nanos();
          if (cumulative >= monthlyBudget) {
            exhausted = day.date();
            break;
          }
        }
      }
    }
    return new Projection(fit.method(), fit.alpha(), fit.beta(), fit.gamma(), completeDays.length, today,
        Money.ofNanos(monthToDate), Money.ofNanos(projectedEnd), nextQuarterStart, nextQuarterEnd, Money.ofNanos(quarter),
        Forecaster.backtest(y), monthlyBudget == null ? null : Money.ofNanos(monthlyBudget), exhausted, List.copyOf(rest));
  }
}
