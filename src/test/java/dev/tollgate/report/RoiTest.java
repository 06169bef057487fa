package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoiTest {

  static Money usd(String s) {
    return Money.ofUsd(s);
  }

  @Test
  void costPerOutcomeAndRoiPerWorkflow() {
    Workflow triage = new Workflow("triage", "ana", "route tickets", "tickets resolved", usd("5000"),
        WorkflowStage.PRODUCTION, "support", Instant.EPOCH, Instant.EPOCH);
    var report = Roi.build(
        List.of(new Roi.Cost("triage", 100, 1000, usd("30")), new Roi.Cost("drafts", 10, 100, usd("12.5")),
            new Roi.Cost(null, 1, 1, usd("0.000000001"))),
        List.of(new OutcomeStore.Total("triage", "ticket_resolved", 120, usd("600")),
            new OutcomeStore.Total("triage", "escalation_avoided", 30, usd("150")),
            new OutcomeStore.Total("campaign", "deal_closed", 2, usd("4000"))),
        Map.of("triage", triage));

    assertThat(report.lines()).extracting(Roi.Line::workflow).containsExactly("triage", "drafts", null, "campaign");
    Roi.Line t = report.lines().get(0);
    assertThat(t.registered()).isEqualTo(triage);
    assertThat(t.outcomeCount()).isEqualTo(150);
    assertThat(t.value()).isEqualTo(usd("750"));
    assertThat(t.costPerOutcome()).isEqualByComparingTo("0.2");
    assertThat(t.outcomes()).extracting(Roi.TypeLine::type, Roi.TypeLine::costPerOutcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("escalation_avoided", new BigDecimal("1.000000000")),
            org.assertj.core.groups.Tuple.tuple("ticket_resolved", new BigDecimal("0.250000000")));
    assertThat(t.roi()).isEqualByComparingTo("24"); // (750 - 30) / 30
    Roi.Line drafts = report.lines().get(1);
    assertThat(drafts.costPerOutcome()).isNull();
    assertThat(drafts.roi()).isEqualByComparingTo("-1");
    assertThat(report.lines().get(3).roi()).as("no cost: no ratio").isNull();
    assertThat(report.cost()).isEqualTo(usd("42.500000001"));
    assertThat(report.value()).isEqualTo(usd("4750"));
    assertThat(report.lines().stream().map(Roi.Line::cost).reduce(Money.ZERO, Money::plus)).isEqualTo(report.cost());
  }

  @Test
  void beforeAndAfterAreComparedPerDaySoPeriodsOfDifferentLengthCompare() {
    Instant d = Instant.parse("2026-10-01T00:00:00Z");
    var baseline = new Roi.Period(d, d.plusSeconds(10 * 86_400), 1000, 0, usd("100"), 50, Money.ZERO);
    var after = new Roi.Period(d.plusSeconds(10 * 86_400), d.plusSeconds(15 * 86_400), 600, 0, usd("40"), 50, Money.ZERO);
    var c = Roi.compare(baseline, after);
    assertThat(baseline.costPerDay()).isEqualByComparingTo("10");
    assertThat(after.costPerDay()).isEqualByComparingTo("8");
    assertThat(c.costPerDayChangePct()).isEqualByComparingTo("-20");
    assertThat(c.costPerOutcomeChangePct()).isEqualByComparingTo("-60");   // 2.00 → 0.80
    assertThat(c.outcomesPerDayChangePct()).isEqualByComparingTo("100");   // 5/day → 10/day
    assertThat(c.costPerRequestChangePct()).isEqualByComparingTo("-33.33"); // 0.1 → 0.0666…
  }
}
