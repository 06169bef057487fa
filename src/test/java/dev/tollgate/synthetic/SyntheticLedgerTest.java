package dev.tollgate.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synthetic ledger has the distributions docs/performance.md promises. */
class SyntheticLedgerTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final Instant MONDAY = Instant.parse("2026-11-01T23:00:00Z"); // Monday 2 November, local midnight
  private static final int ROWS = 200_000;
  private static List<UsageRecord> rows;

  @BeforeAll
  static void generate() {
    rows = new ArrayList<>(ROWS);
    new SyntheticLedger(ROWS, MONDAY, 28, ZONE, 42).forEach(rows::add);
  }

  @Test
  void givesExactlyTheRowsAskedForWithUniqueIdsInsideTheSpanInTimeOrder() {
    assertThat(rows).hasSize(ROWS);
    Set<String> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.id()));
    assertThat(ids).hasSize(ROWS);
    Instant end = MONDAY.plus(Duration.ofDays(28));
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).startedAt()).isBetween(MONDAY, end.minusNanos(1));
      if (i > 0) assertThat(rows.get(i).startedAt()).isAfterOrEqualTo(rows.get(i - 1).startedAt());
    }
  }

  @Test
  void teamsAreSizedByZipfsLaw() {
    Map<String, Long> byTeam = count(r -> r.attribution().team());
    double harmonic = 0;
    for (int k = 1; k <= SyntheticLedger.TEAMS.size(); k++) harmonic += 1.0 / k;
    for (int k = 0; k < SyntheticLedger.TEAMS.size(); k++) {
      double expected = (1.0 / (k + 1)) / harmonic;
      // Bursts (3%) land on one team each, so allow them on top of sampling noise.
      assertThat(share(byTeam, SyntheticLedger.TEAMS.get(k))).as(SyntheticLedger.TEAMS.get(k))
          .isCloseTo(expected, within(0.035));
    }
  }

  @Test
  void workingHoursOnWeekdaysCarryTheTrafficAndWeekendsAQuarterOfIt() {
    long[] byLocalHour = new long[24];
    long weekday = 0;
    long weekend = 0;
    for (UsageRecord r : rows) {
      if (isBurst(r) || r.attribution().workloadClass().equals("batch")) continue;
      ZonedDateTime local = r.startedAt().atZone(ZONE);
      boolean isWeekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
      if (isWeekend) weekend++;
      else weekday++;
      if (!isWeekend) byLocalHour[local.getHour()]++;
    }
    assertThat((double) byLocalHour[10] / byLocalHour[3]).as("10:00 against 03:00 local").isGreaterThan(12);
    assertThat((double) byLocalHour[15] / byLocalHour[12]).as("the afternoon peak against lunch").isGreaterThan(1.2);
    double perWeekendDay = weekend / 8.0;
    double perWeekday = weekday / 20.0;
    // Interactive traffic falls to 0.2–0.25 of a weekday's at weekends (batch runs every night alike).
    assertThat(perWeekendDay / perWeekday).isBetween(0.18, 0.3);
  }

  @Test
  void batchWorkflowsRunAtNight() {
    for (UsageRecord r : rows) {
      if (isBurst(r) || !r.attribution().workloadClass().equals("batch")) continue;
      assertThat(r.startedAt().atZone(ZONE).getHour()).as(r.id()).isBetween(1, 4);
    }
  }

  @Test
  void runawayAgentsMakeAboutThreePercentOfTheRowsInBursts() {
    long burstRows = rows.stream().filter(SyntheticLedgerTest::isBurst).count();
    assertThat((double) burstRows / ROWS).isCloseTo(SyntheticLedger.BURST_SHARE, within(0.005));
  }

  @Test
  void outcomesAndModelMixFollowTheirShares() {
    Map<String, Long> byStatus = count(r -> r.status().wire());
    assertThat(share(byStatus, "ok")).isCloseTo(0.97, within(0.005));
    assertThat(share(byStatus, "error")).isCloseTo(0.02, within(0.003));
    assertThat(share(byStatus, "blocked")).isCloseTo(0.01, within(0.003));
    Map<String, Long> classification = new HashMap<>();
    rows.stream().filter(r -> r.attribution().workloadClass().equals("classification"))
        .forEach(r -> classification.merge(r.servedModel(), 1L, Long::sum));
    assertThat(share(classification, "gpt-4o-mini")).isCloseTo(0.8, within(0.03));
  }

  @Test
  void costIsTheModelsPriceTimesTheTokensExactly() {
    for (UsageRecord r : rows.subList(0, 5_000)) {
      SyntheticLedger.Model m = SyntheticLedger.MODELS.get(r.servedModel());
      var u = r.usage();
      long expected = (u.inputTokens() - u.cachedInputTokens()) * m.inputNanos() + u.cachedInputTokens() * m.cachedNanos()
          + (u.outputTokens() + u.reasoningTokens()) * m.outputNanos();
      assertThat(r.cost().nanos()).isEqualTo(expected);
      if (r.status() == RequestStatus.BLOCKED) assertThat(r.cost().nanos()).isZero();
    }
  }

  @Test
  void theSameSeedGivesTheSameLedgerAndAnotherSeedAnother() {
    List<UsageRecord> again = new ArrayList<>();
    for (UsageRecord r : new SyntheticLedger(ROWS, MONDAY, 28, ZONE, 42)) {
      again.add(r);
      if (again.size() == 1_000) break;
    }
    assertThat(again).isEqualTo(rows.subList(0, 1_000));
    UsageRecord other = new SyntheticLedger(ROWS, MONDAY, 28, ZONE, 43).iterator().next();
    assertThat(other).isNotEqualTo(rows.get(0));
  }

  /** A burst is one agent far above any usual rate: more than 1,000 of its rows in one hour (the busiest batch agent makes some 200). */
  private static boolean isBurst(UsageRecord r) {
    return burstCells().contains(cell(r));
  }

  private static Set<String> burstCells;

  private static synchronized Set<String> burstCells() {
    if (burstCells == null) {
      Map<String, Long> perCell = count(SyntheticLedgerTest::cell);
      burstCells = new HashSet<>();
      perCell.forEach((cell, n) -> {
        if (n > 1_000) burstCells.add(cell);
      });
    }
    return burstCells;
  }

  private static String cell(UsageRecord r) {
    return r.attribution().agent() + "@" + r.startedAt().getEpochSecond() / 3_600;
  }

  private static Map<String, Long> count(java.util.function.Function<UsageRecord, String> key) {
    Map<String, Long> counts = new HashMap<>();
    for (UsageRecord r : rows) counts.merge(key.apply(r), 1L, Long::sum);
    return counts;
  }

  private static double share(Map<String, Long> counts, String key) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return (double) counts.getOrDefault(key, 0L) / total;
  }
}
