package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.money.Money;
import dev.tollgate.testing.MutableClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "team:support exhausts its monthly budget on the 27th": told once per budget and period, at a pace worth trusting. */
class ForecastAlertsTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
  private static final Budget MONTHLY = new Budget("b-support", BudgetScope.parse("team:support"),
      new BudgetWindow(WindowKind.MONTH, null, null), BudgetUnit.USD, Money.ofUsd("8000").nanos(), BudgetAction.BLOCK,
      List.of(), "api", null, null);

  private final MutableClock clock = new MutableClock(NOV);
  private final AlertService alerts = new AlertService(clock, null);
  private final ForecastAlerts forecasts = new ForecastAlerts(alerts, clock);

  /** The status BudgetService reports at the clock's time: use projected at the pace so far. */
  private BudgetService.Status status(Instant start, Instant end, String usedUsd) {
    long used = Money.ofUsd(usedUsd).nanos();
    long elapsed = Duration.between(start, clock.instant()).toMillis();
    long length = Duration.between(start, end).toMillis();
    long projected = BigDecimal.valueOf(used).multiply(BigDecimal.valueOf(length))
        .divide(BigDecimal.valueOf(elapsed), 0, RoundingMode.HALF_UP).longValue();
    Instant exhaustion = projected > MONTHLY.limit()
        ? start.plusMillis(BigDecimal.valueOf(MONTHLY.limit()).multiply(BigDecimal.valueOf(elapsed))
            .divide(BigDecimal.valueOf(used), 0, RoundingMode.HALF_UP).longValue())
        : null;
    return new BudgetService.Status(MONTHLY, "team:support", start, end, used, 0, projected, exhaustion);
  }

  private List<Alert> told() {
    return alerts.list().stream().filter(a -> a.kind().equals(ForecastAlerts.KIND)).toList();
  }

  @Test
  void aBudgetHeadingOverItsLimitIsToldOncePerPeriodEvenAfterAcknowledgementAndResolution() {
    clock.advance(Duration.ofDays(9));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "2700")), UTC)).isEqualTo(1);
    Alert a = told().get(0);
    assertThat(a.team()).isEqualTo("support");
    assertThat(a.message()).contains("team:support is projected to exhaust the monthly USD budget of team:support on "
        + "Friday 27 November 2026").contains("$2700.00 of $8000.00 used so far").contains("$9000.00 of $8000.00 by the period's end");

    clock.advance(Duration.ofHours(1));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "2720")), UTC)).isZero();
    alerts.acknowledge(a.id(), "ana");
    clock.advance(Duration.ofDays(1));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "3100")), UTC)).isZero();
    alerts.resolve(a.id(), "ana");
    clock.advance(Duration.ofDays(1));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "3400")), UTC)).as("resolved, but told in this period already").isZero();
    assertThat(told()).hasSize(1);

    clock.advance(Duration.between(clock.instant(), DEC.plus(Duration.ofDays(5))));
    assertThat(forecasts.check(List.of(status(DEC, DEC.plus(Duration.ofDays(31)), "1500")), UTC)).as("a new period").isEqualTo(1);
    assertThat(told()).hasSize(2);
  }

  @Test
  void nothingIsToldOnAPaceWithinTheLimitTooEarlyInThePeriodOrOnceTheBudgetIsUsedUp() {
    clock.advance(Duration.ofDays(2));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "2000")), UTC)).as("two days of thirty: too early").isZero();
    clock.advance(Duration.ofDays(8));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "2000")), UTC)).as("on pace for $6,000").isZero();
    clock.advance(Duration.ofDays(10));
    assertThat(forecasts.check(List.of(status(NOV, DEC, "8000")), UTC)).as("used up: the 100% threshold alert says so").isZero();
    assertThat(told()).isEmpty();
  }
}
