package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.money.Money;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpendForecastTest {

  static final long USD = 1_000_000_000L;

  static long[] flat(int days, long perDay) {
    long[] d = new long[days];
    Arrays.fill(d, perDay);
    return d;
  }

  @Test
  void aSteadySpendProjectsTheMonthEndTheQuarterAndTheDayTheBudgetRunsOut() {
    LocalDate today = LocalDate.of(2026, 11, 10);
    LocalDate first = today.minusDays(40);
    var p = SpendForecast.project(first, flat(40, 100 * USD), 40 * USD, today, 2_000 * USD);

    assertThat(p.method()).isEqualTo(Forecaster.Method.HOLT_WINTERS_WEEKLY);
    assertThat(p.monthToDate()).isEqualTo(Money.ofNanos(940 * USD));           // 9 full days + 40 today
    assertThat(p.restOfMonth()).hasSize(21).first().satisfies(d -> {
      assertThat(d.date()).isEqualTo(today);
      assertThat(d.cost()).as("today: the larger of forecast and actual").isEqualTo(Money.ofNanos(100 * USD));
    });
    assertThat(p.monthEnd()).isEqualTo(Money.ofNanos(3_000 * USD));
    assertThat(p.restOfMonth().stream().mapToLong(d -> d.cost().nanos()).sum() + 900 * USD)
        .as("the days listed add up to the month end").isEqualTo(p.monthEnd().nanos());
    assertThat(p.nextQuarterStart()).isEqualTo(LocalDate.of(2027, 1, 1));
    assertThat(p.nextQuarterEnd()).isEqualTo(LocalDate.of(2027, 3, 31));
    assertThat(p.nextQuarter()).isEqualTo(Money.ofNanos(90 * 100 * USD));
    assertThat(p.budgetExhaustedOn()).as("$100 a day reaches $2000 on the 20th").isEqualTo(LocalDate.of(2026, 11, 20));
    assertThat(p.backtest().mapePct()).isZero();
  }

  @Test
  void aBudgetAlreadySpentNamesTheDayItRanOut() {
    LocalDate today = LocalDate.of(2026, 11, 10);
    var p = SpendForecast.project(today.minusDays(9), flat(9, 100 * USD), 0, today, 250 * USD);
    assertThat(p.budgetExhaustedOn()).isEqualTo(LocalDate.of(2026, 11, 3));
    var none = SpendForecast.project(today.minusDays(9), flat(9, 100 * USD), 0, today, 1_000_000 * USD);
    assertThat(none.budgetExhaustedOn()).isNull();
    assertThat(SpendForecast.project(today.minusDays(9), flat(9, 1), 0, today, null).monthlyBudget()).isNull();
  }

  @Test
  void noHistoryProjectsWhatTodayHasSpent() {
    LocalDate today = LocalDate.of(2026, 11, 30);
    var p = SpendForecast.project(today, new long[0], 7, today, null);
    assertThat(p.method()).isEqualTo(Forecaster.Method.NAIVE);
    assertThat(p.monthEnd()).isEqualTo(Money.ofNanos(7));
    assertThat(p.historyDays()).isZero();
  }

  @Test
  void theSeriesMustEndTheDayBeforeToday() {
    assertThatThrownBy(() -> SpendForecast.project(LocalDate.of(2026, 11, 1), new long[3], 0, LocalDate.of(2026, 11, 5), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
