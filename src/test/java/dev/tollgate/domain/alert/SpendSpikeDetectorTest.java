package dev.tollgate.domain.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.synthetic.SyntheticLedger;
import dev.tollgate.testing.MutableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spend-spike detector on five weeks of a realistic synthetic ledger (daily and weekly cycles,
 * 3% weekly growth, nightly batches) plus a report that runs every Monday morning: quiet on that
 * traffic, and one alert per scope for a planted spike.
 */
class SpendSpikeDetectorTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final Instant MONDAY = Instant.parse("2026-11-01T23:00:00Z"); // Monday 2 November, local midnight
  private static final int DAYS = 35;
  private static final long MIN_BASELINE = Money.ofUsd("0.25").nanos();

  @Test
  void normalTrafficWithCyclesGrowthAndAWeeklyMondayPeakRaisesNothing() {
    List<UsageRecord> rows = normalMonth();

    List<SpendSpikeDetector.Spike> spikes = feed(rows);

    assertThat(spikes).isEmpty();
  }

  @Test
  void aPlantedSpikeFiresOnceForEachScopeItLandsInDuringThatHour() {
    List<UsageRecord> rows = normalMonth();
    // Week five, Wednesday 14:00–15:00: one agent of the sales team loops over an expensive model.
    Instant spikeHour = MONDAY.atZone(ZONE).plusWeeks(4).plusDays(2).withHour(14).toInstant();
    for (int i = 0; i < 600; i++) {
      rows.add(row(spikeHour.plusSeconds(i * 6L), "sales", "sales-wf1", "sales-wf1-agent1", Money.ofUsd("0.05").nanos()));
    }
    rows.sort(Comparator.comparing(UsageRecord::startedAt));

    List<SpendSpikeDetector.Spike> spikes = feed(rows);

    assertThat(spikes).extracting(SpendSpikeDetector.Spike::scope).containsExactlyInAnyOrder("org", "team:sales",
        "workflow:sales-wf1", "agent:sales-wf1-agent1", "key:key-sales-wf1-agent1");
    assertThat(spikes).allSatisfy(s -> {
      assertThat(s.hourStart()).isEqualTo(spikeHour);
      assertThat(s.weeksKnown()).isEqualTo(4);
      assertThat(s.spent()).isGreaterThan(s.threshold());
      assertThat(s.threshold()).isGreaterThanOrEqualTo(3 * Math.max(s.baselineMedian(), MIN_BASELINE));
    });
  }

  @Test
  void theSameSpendIsASpikeAtNightButNotInTheWeekdayPeakItResembles() {
    List<UsageRecord> rows = normalMonth();
    // What team support spends on a normal Thursday at 10:00, added once at 03:00 and once at 10:00.
    ZonedDateTime thursday = MONDAY.atZone(ZONE).plusWeeks(4).plusDays(3);
    long peakHour = rows.stream().filter(r -> "support".equals(r.attribution().team()))
        .filter(r -> !r.startedAt().isBefore(thursday.minusWeeks(1).withHour(10).toInstant())
            && r.startedAt().isBefore(thursday.minusWeeks(1).withHour(11).toInstant()))
        .mapToLong(r -> r.cost().nanos()).sum();
    for (int hour : new int[] {3, 10}) {
      Instant at = thursday.withHour(hour).withMinute(20).toInstant();
      rows.add(row(at, "support", "support-wf1", "support-wf1-agent1", peakHour));
    }
    rows.sort(Comparator.comparing(UsageRecord::startedAt));

    List<SpendSpikeDetector.Spike> spikes = feed(rows);

    assertThat(spikes).filteredOn(s -> s.scope().equals("team:support")).extracting(SpendSpikeDetector.Spike::hourStart)
        .containsExactly(thursday.withHour(3).toInstant());
  }

  @Test
  void aScopeWithNoKnownWeekIsNotJudgedAndSeededHistoryNeverFires() {
    MutableClock clock = new MutableClock(MONDAY.plus(Duration.ofDays(7)));
    SpendSpikeDetector d = new SpendSpikeDetector(clock, ZONE, 3.0, 4, 0, MONDAY);
    d.seed("team:a", MONDAY.plusSeconds(60), 100);
    d.seed("team:new", clock.instant().minus(Duration.ofDays(2)), 100);

    assertThat(d.spent("team:new", clock.instant(), 1_000_000_000L)).as("a scope that first spent this week has no baseline").isNull();
    assertThat(d.spent("team:a", clock.instant(), 301)).as("more than 3 × last week's hour").isNotNull();
    assertThat(d.spent("team:a", clock.instant(), 1_000)).as("once per hour").isNull();
    assertThat(d.spent("team:a", clock.instant().minus(Duration.ofDays(1)), 1_000_000)).as("a past hour is history").isNull();
  }

  private static List<UsageRecord> normalMonth() {
    List<UsageRecord> rows = new ArrayList<>();
    new SyntheticLedger(300_000, MONDAY, DAYS, ZONE, 7, false).forEach(rows::add);
    // Every Monday 08:00–09:00 finance runs its weekly report: much more than the hour before, every week.
    for (ZonedDateTime monday = MONDAY.atZone(ZONE); monday.toInstant().isBefore(MONDAY.plus(Duration.ofDays(DAYS)));
        monday = monday.plusWeeks(1)) {
      assertThat(monday.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
      for (int i = 0; i < 120; i++) {
        rows.add(row(monday.withHour(8).toInstant().plusSeconds(i * 25L), "finance", "finance-wf1", "finance-wf1-agent1",
            Money.ofUsd("0.04").nanos()));
      }
    }
    rows.sort(Comparator.comparing(UsageRecord::startedAt));
    return rows;
  }

  /** Feeds rows as they happen: the clock stands at each row's start. */
  private static List<SpendSpikeDetector.Spike> feed(List<UsageRecord> rows) {
    MutableClock clock = new MutableClock(MONDAY);
    SpendSpikeDetector d = new SpendSpikeDetector(clock, ZONE, 3.0, 4, MIN_BASELINE, MONDAY);
    List<SpendSpikeDetector.Spike> spikes = new ArrayList<>();
    for (UsageRecord r : rows) {
      clock.advance(Duration.between(clock.instant(), r.startedAt()));
      for (String scope : SpendSpikeDetector.scopesOf(r)) {
        SpendSpikeDetector.Spike s = d.spent(scope, r.startedAt(), r.cost().nanos());
        if (s != null) spikes.add(s);
      }
    }
    return spikes;
  }

  private static UsageRecord row(Instant at, String team, String workflow, String agent, long nanos) {
    Attribution a = new Attribution("acme", team, team + "-core", workflow, agent, team + "-user1", "api", null, "chat",
        Map.of());
    return new UsageRecord("planted-" + at.toEpochMilli() + "-" + agent, at, at.plusMillis(800), "key-" + agent, a, "openai",
        "gpt-4o", "gpt-4o", "standard", "class_preferred", new TokenUsage(1_000, 0, 0, 300, 0), Money.ofNanos(nanos),
        RequestStatus.OK, null, 800, null, null, false, false, false, 200);
  }
}
