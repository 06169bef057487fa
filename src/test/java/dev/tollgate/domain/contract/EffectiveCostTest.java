package dev.tollgate.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EffectiveCostTest {

  private static final YearMonth NOV = YearMonth.of(2026, 11); // 30 days
  private static final long USD = 1_000_000_000L;

  private static Contract.Negotiated terms(String discount, long commitmentUsd, long includedUsd, long includedTokens,
      String overage) {
    return new Contract.Negotiated(new BigDecimal(discount), commitmentUsd * USD, includedUsd * USD, includedTokens,
        overage == null ? null : new BigDecimal(overage));
  }

  /** Included first, then the discounted drawdown, then overage — each row worked by hand in the comment. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
      // case, discount, commitment, included $, included tokens, overage, list $, tokens, included, drawdown, overage, shortfall, effective
      "discount only: 1000 at 20% off = 800,                   20, 0,    0,   0,       -,  1000, 1000, 0,   0,    0,    0,    800",
      "included 100 then 20% off: 900 x 0.8 = 720,             20, 0,    100, 0,       -,  1000, 1000, 100, 0,    0,    0,    720",
      "under the commitment: 800 drawn and 200 short,             20, 1000, 0,   0,       -,  1000, 1000, 0,   800,  0,    200,  800",
      "commitment used up exactly: 1250 x 0.8 = 1000,          20, 1000, 0,   0,       -,  1250, 1000, 0,   1000, 0,    0,    1000",
      "overage beyond 1250 list at 10% off: 750 x 0.9 = 675,   20, 1000, 0,   0,       10, 2000, 1000, 0,   1000, 675,  0,    1675",
      "overage at the contract discount when none given,       20, 1000, 0,   0,       -,  2000, 1000, 0,   1000, 600,  0,    1600",
      "included tokens: 250 of 1000 tokens free = 250 of list,  0, 0,    0,   250,     -,  1000, 1000, 250, 0,    0,    0,    750",
      "included beyond use: all free and the commitment all short,    20, 500,  0,   5000,    -,  1000, 1000, 1000, 0,   0,    500,  0",
      "included then commitment then overage,                50, 100,  100, 0,       0,  600,  1000, 100, 100,  300,  0,    400",
  })
  void includedUsageComesFirstThenTheCommitmentThenOverage(String name, String discount, long commitment, long includedUsd,
      long includedTokens, String overage, long listUsd, long tokens, long included, long drawdown, long over,
      long shortfall, long effective) {
    var r = EffectiveCost.of(terms(discount, commitment, includedUsd, includedTokens, overage), NOV, 30,
        List.of(new EffectiveCost.Line(listUsd * USD, tokens)));
    assertThat(r.includedNanos()).isEqualTo(included * USD);
    assertThat(r.drawdownNanos()).isEqualTo(drawdown * USD);
    assertThat(r.overageNanos()).isEqualTo(over * USD);
    assertThat(r.shortfallNanos()).isEqualTo(shortfall * USD);
    assertThat(r.effectiveNanos()).isEqualTo(effective * USD);
    assertThat(r.includedNanos() + r.discountNanos() + r.effectiveNanos()).isEqualTo(r.listNanos());
  }

  @Test
  void aPartialMonthGetsItsShareOfTheCommitmentAndAllowance() {
    // 15 of 30 days: commitment 1000 → 500, included 100 → 50
    var r = EffectiveCost.of(terms("0", 1000, 100, 0, null), NOV, 15, List.of(new EffectiveCost.Line(300 * USD, 10)));
    assertThat(r.commitmentNanos()).isEqualTo(500 * USD);
    assertThat(r.includedNanos()).isEqualTo(50 * USD);
    assertThat(r.drawdownNanos()).isEqualTo(250 * USD);
    assertThat(r.shortfallNanos()).isEqualTo(250 * USD);
  }

  @Test
  void oddAmountsRoundOnceToTheNanoDollarAndStillAddUp() {
    // 12.5 % off 7 nano-dollars = 6.125 → 6 (half-even); a third of a month of 1 USD commitment rounds down
    var r = EffectiveCost.of(terms("12.5", 0, 0, 0, null), NOV, 30, List.of(new EffectiveCost.Line(7, 3)));
    assertThat(r.effectiveNanos()).isEqualTo(6);
    assertThat(r.discountNanos()).isEqualTo(1);
    var third = EffectiveCost.of(new Contract.Negotiated(BigDecimal.valueOf(15), USD, 0, 0, null), NOV, 10,
        List.of(new EffectiveCost.Line(1_000_000_001L, 3)));
    assertThat(third.commitmentNanos()).isEqualTo(333_333_333L);
    assertThat(third.includedNanos() + third.discountNanos() + third.effectiveNanos()).isEqualTo(third.listNanos());
    // 15 % off: the commitment covers 333333333 / 0.85 = 392156862.35 → 392156862 of list; the rest at 15 % off
    assertThat(third.overageNanos()).isEqualTo(Math.round((1_000_000_001L - 392_156_862L) * 0.85));
  }

  @Test
  void selfHostedWithAStatedThroughputCostsHourlyOverTokensPerHourAndIdleTimeIsShortfall() {
    // 4.10 USD/h, 2,000,000 tokens/h: 2.05 USD per million tokens; 3 M tokens = 6.15 USD; a day is 98.40 USD
    var terms = new Contract.SelfHosted(4_100_000_000L, 2_000_000L);
    var r = EffectiveCost.of(terms, NOV, 1, List.of(new EffectiveCost.Line(0, 1_000_000), new EffectiveCost.Line(0, 2_000_000)));
    assertThat(r.effectiveNanos()).isEqualTo(6_150_000_000L);
    assertThat(r.shortfallNanos()).isEqualTo(98_400_000_000L - 6_150_000_000L);
    assertThat(r.discountNanos()).isEqualTo(-6_150_000_000L); // dearer than its list price of 0
    assertThat(EffectiveCost.selfHostedUsdPerMillionTokens(terms, 1, 3_000_000)).isEqualByComparingTo("2.05");
  }

  @Test
  void selfHostedMeasuredSpreadsTheWholeInfrastructureCostOverTheTokensServed() {
    var terms = new Contract.SelfHosted(1_000_000_000L, null); // 1 USD/h: 48 USD for two days
    var r = EffectiveCost.of(terms, NOV, 2, List.of(new EffectiveCost.Line(5, 4_000_000)));
    assertThat(r.effectiveNanos()).isEqualTo(48 * USD);
    assertThat(r.shortfallNanos()).isZero();
    assertThat(EffectiveCost.selfHostedUsdPerMillionTokens(terms, 2, 4_000_000)).isEqualByComparingTo("12");
    var idle = EffectiveCost.of(terms, NOV, 2, List.of());
    assertThat(idle.effectiveNanos()).isZero();
    assertThat(idle.shortfallNanos()).isEqualTo(48 * USD);
  }

  @Test
  void termsOutsideTheirRangeAreRefused() {
    assertThatThrownBy(() -> terms("101", 0, 0, 0, null)).hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> new Contract.Negotiated(BigDecimal.ONE, 0, 5, 5, null)).hasMessageContaining("not both");
    assertThatThrownBy(() -> EffectiveCost.of(terms("0", 0, 0, 0, null), NOV, 31, List.of())).hasMessageContaining("1 to 30");
  }
}
