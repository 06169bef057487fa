package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.report.focus.ModelPricing;
import dev.tollgate.report.focus.SkuUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contracts applied to ledger lines: which contract, which month, and exact sharing among teams. */
class ContractedCostsTest {

  static final ModelPricing PRICING = new ModelPricing(List.of(
      new ModelPricing.Configured("mini", Price.flat(Rates.of(1_000_000_000L, 1_000_000_000L), "config"),
          List.of(new ModelPricing.Placement("openai", "openai", "gpt-4o-mini"))),
      new ModelPricing.Configured("big", Price.flat(Rates.of(1_000_000_000L, 1_000_000_000L), "config"),
          List.of(new ModelPricing.Placement("openai", "openai", "gpt-4o")))), PriceCatalog.of(List.of()));

  static SkuUsage line(LocalDate day, String model, String team, long tokens, long nanos) {
    String served = model.equals("mini") ? "gpt-4o-mini" : "gpt-4o";
    return new SkuUsage(day, model, served, "openai", "acme", team, null, null, null, null, Map.of(), 0, tokens, 0, 0, 0, 0, 1,
        nanos);
  }

  static Contract negotiated(String name, String model, LocalDate from, LocalDate until, int discount, long commitment) {
    return new Contract(name, "openai", model, from, until,
        new Contract.Negotiated(BigDecimal.valueOf(discount), commitment, 0, 0, null));
  }

  static final LocalDate NOV1 = LocalDate.of(2026, 11, 1);
  static final LocalDate DEC1 = LocalDate.of(2026, 12, 1);

  @Test
  void aModelSpecificContractWinsOverTheProviderWideOne() {
    var wide = negotiated("wide", null, NOV1, null, 10, 0);
    var mini = negotiated("mini-deal", "mini", NOV1, null, 50, 0);
    var applied = ContractedCosts.apply(List.of(line(NOV1, "mini", "a", 10, 1000), line(NOV1, "big", "a", 10, 1000)), PRICING,
        List.of(wide, mini), NOV1, DEC1);
    assertThat(applied.lines()).extracting(l -> l.contract().name()).containsExactly("mini-deal", "wide");
    assertThat(applied.lines()).extracting(ContractedCosts.Line::effectiveNanos).containsExactly(500L, 900L);
  }

  @Test
  void theCommitmentShortfallIsSharedAmongTeamsByUsageToTheNanoDollar() {
    // 1000 nano-dollars committed; 3 teams spend 1, 1, 1 at list with no discount: 997 short, split 333/332/332
    var c = negotiated("c", null, NOV1, null, 0, 1000);
    var applied = ContractedCosts.apply(List.of(line(NOV1, "mini", "a", 1, 1), line(NOV1, "mini", "b", 1, 1),
        line(NOV1, "mini", "c", 1, 1)), PRICING, List.of(c), NOV1, DEC1);
    assertThat(applied.lines()).extracting(ContractedCosts.Line::shortfallNanos).containsExactly(333L, 332L, 332L);
    assertThat(applied.shortfallNanos()).isEqualTo(997);
    var report = EffectiveCostReport.build(applied, List.of("team"));
    assertThat(report.reconciles()).isTrue();
    assertThat(report.payable().nanos()).isEqualTo(1000);
  }

  @Test
  void eachMonthIsItsOwnPeriodAndAContractWithoutUsageStillOwesItsCommitment() {
    // valid from Nov 16: November has 15 of 30 days → half of 3000 committed; December whole, but unused
    var c = negotiated("c", "big", LocalDate.of(2026, 11, 16), null, 0, 3000);
    var applied = ContractedCosts.apply(List.of(line(LocalDate.of(2026, 11, 20), "big", "a", 5, 600),
        line(LocalDate.of(2026, 11, 10), "big", "a", 5, 400)), PRICING, List.of(c), NOV1, LocalDate.of(2027, 1, 1));
    assertThat(applied.periods()).extracting(p -> p.month().toString() + ":" + p.days() + ":" + p.result().commitmentNanos())
        .containsExactly("2026-11:15:1500", "2026-12:31:3000");
    assertThat(applied.lines().get(0).shortfallNanos()).isEqualTo(900);
    assertThat(applied.lines().get(1).contract()).as("before the contract: list price").isNull();
    assertThat(applied.lines().get(1).effectiveNanos()).isEqualTo(400);
    assertThat(applied.unallocatedShortfallNanos()).isEqualTo(3000);
    var report = EffectiveCostReport.build(applied, List.of("month", "contract"));
    assertThat(report.reconciles()).isTrue();
    assertThat(report.shortfall().nanos()).isEqualTo(3900);
    assertThat(EffectiveCostReport.csv(report)).contains("(contracts without usage),,0,0,0,0.000003,0\n");
  }

  @Test
  void aMonthInAnotherTimeZoneOwnsTheUtcDaysWhoseMidnightItHoldsSoEachCommitmentDayIsCountedOnce() {
    // Berlin's November runs from 31 Oct 23:00 UTC to 30 Nov 23:00 UTC; its first hour is on UTC day 31 Oct
    var c = negotiated("c", null, LocalDate.of(2026, 10, 1), null, 10, 3100);
    java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
    List<SkuUsage> ledger = List.of(line(LocalDate.of(2026, 10, 31), "mini", "a", 5, 100), line(NOV1.plusDays(14), "mini", "b", 5, 200),
        line(LocalDate.of(2026, 11, 30), "mini", "a", 5, 300));
    dev.tollgate.report.focus.FocusUsageSource source = (from, to, thresholds) -> ledger;
    var november = ContractedCosts.ofLedger(source, PRICING, List.of(c), NOV1.atStartOfDay(berlin).toInstant(),
        DEC1.atStartOfDay(berlin).toInstant());
    assertThat(november.periods()).extracting(p -> p.month() + ":" + p.days() + ":" + p.result().commitmentNanos())
        .containsExactly("2026-11:30:3100");
    assertThat(november.lines()).allSatisfy(l -> assertThat(l.contract()).isNotNull());
    assertThat(november.effectiveNanos()).as("every line priced, the early hour with November").isEqualTo(540);
    var october = ContractedCosts.ofLedger((from, to, thresholds) -> List.of(), PRICING, List.of(c),
        LocalDate.of(2026, 10, 1).atStartOfDay(berlin).toInstant(), NOV1.atStartOfDay(berlin).toInstant());
    assertThat(october.periods()).extracting(p -> p.month() + ":" + p.days()).containsExactly("2026-10:31");
    // UTC bounds: exactly those days, as the effective-cost report has always read them
    var utc = ContractedCosts.ofLedger((from, to, thresholds) -> ledger.subList(1, 3), PRICING, List.of(c),
        NOV1.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), DEC1.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    assertThat(utc.lines()).extracting(l -> l.usage().day()).containsExactly(NOV1.plusDays(14), LocalDate.of(2026, 11, 30));
    assertThat(utc.periods()).extracting(p -> p.month() + ":" + p.days()).containsExactly("2026-11:30");
  }
}
