package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.AlertChannel;
import dev.tollgate.port.AlertStore;
import dev.tollgate.synthetic.SyntheticLedger;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Runaway automation in a realistic synthetic month (with its own steady loops and nightly batches):
 * a planted job firing every 15 minutes through one night is caught at the run that completes the
 * pattern and told once; a registered nightly batch in production that records outcomes is not; a
 * key shared with people is not named when its agent is the one on a period.
 */
class RunawayOnSyntheticMonthTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final Instant MONDAY = Instant.parse("2026-11-01T23:00:00Z");
  private static final Duration PERIOD = Duration.ofMinutes(15);
  private static final int MIN_RUNS = 8;

  private final MutableClock clock = new MutableClock(MONDAY);
  private final List<Alert> sent = new CopyOnWriteArrayList<>();

  private AlertService service(AlertStore store, Set<String> sanctioned) {
    return service(store, sanctioned, Duration.ofMinutes(30));
  }

  private AlertService service(AlertStore store, Set<String> sanctioned, Duration cooldown) {
    AlertService s = new AlertService(clock, null, store, new dev.tollgate.domain.alert.Restrictions());
    AlertService.Settings q = AlertService.Settings.quiet();
    s.configure(new AlertService.Settings(cooldown, MIN_RUNS, Duration.ofMinutes(5), 0.1, q.runawayAction(),
        q.errorWindowMinutes(), q.errorMinCalls(), q.errorThreshold(), false, 3.0, 4, 0, AlertService.Action.NONE, false, 20,
        Duration.ofMinutes(5), AlertService.Action.NONE, false), List.of(new AlertChannel() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public void send(Alert alert) {
            sent.add(alert);
          }
        }));
    s.detectors().sanctionedWorkflows(sanctioned::contains);
    return s;
  }

  @Test
  void aPlantedJobIsCaughtAtItsEighthRunAndTheRegisteredNightlyBatchIsNot() {
    List<UsageRecord> rows = month();
    // Night of the 12th: an unregistered sync job every 15 minutes from 22:00 to 06:00.
    Instant firstRun = MONDAY.atZone(ZONE).plusDays(11).withHour(22).toInstant();
    for (int i = 0; i < 33; i++) rows.add(row(firstRun.plus(PERIOD.multipliedBy(i)), "key-sync", "sync-agent", "crm-sync", "data"));
    rows.sort(Comparator.comparing(UsageRecord::startedAt));

    AlertService alerts = service(AlertStore.inMemory(), Set.of("etl-nightly"));
    feed(alerts, rows);

    List<Alert> runaways = alerts.list().stream().filter(a -> a.kind().equals("runaway_automation")).toList();
    assertThat(runaways).extracting(Alert::subject).containsExactly("key:key-sync");
    Alert caught = runaways.get(0);
    assertThat(caught.firstAt()).as("caught at the run that completes the pattern, not a period later")
        .isEqualTo(firstRun.plus(PERIOD.multipliedBy(MIN_RUNS - 1)));
    assertThat(caught.count()).as("every later run counts up the same incident").isEqualTo(33 - MIN_RUNS + 1);
    assertThat(caught.message()).contains("every 15 min").contains("crm-sync is not registered");
    assertThat(sent).filteredOn(a -> a.kind().equals("runaway_automation")).as("one incident: every notice (one per cooldown "
        + "while it runs) is the same alert").extracting(Alert::id).containsOnly(caught.id());
  }

  @Test
  void theSameNightlyBatchIsARunawayWhenItIsNotRegisteredOrRecordsNoOutcomes() {
    AlertService alerts = service(AlertStore.inMemory(), Set.of());
    feed(alerts, month());

    assertThat(alerts.list()).filteredOn(a -> a.kind().equals("runaway_automation")).extracting(Alert::subject)
        .containsExactly("key:key-etl");
  }

  @Test
  void anAgentOnAPeriodBehindAKeySharedWithPeopleIsNamedByItsAgent() {
    List<UsageRecord> rows = new ArrayList<>();
    Instant t = MONDAY.plus(Duration.ofHours(9));
    int[] humanGaps = {3, 41, 7, 19, 2, 55, 11, 30, 4, 23, 9, 60};
    Instant human = t;
    for (int g : humanGaps) {
      human = human.plus(Duration.ofMinutes(g));
      rows.add(row(human, "key-shared", null, null, "support"));
    }
    for (int i = 0; i < MIN_RUNS; i++) rows.add(row(t.plus(Duration.ofMinutes(10L * i)), "key-shared", "poller", null, "support"));
    rows.sort(Comparator.comparing(UsageRecord::startedAt));

    AlertService alerts = service(AlertStore.inMemory(), Set.of());
    feed(alerts, rows);

    assertThat(alerts.list()).filteredOn(a -> a.kind().equals("runaway_automation")).extracting(Alert::subject)
        .containsExactly("agent:poller");
  }

  @Test
  void anOpenIncidentAndItsCooldownSurviveARestartOfTheService() {
    AlertStore store = AlertStore.inMemory();
    List<UsageRecord> rows = new ArrayList<>();
    for (int i = 0; i < MIN_RUNS + 1; i++) rows.add(row(MONDAY.plus(PERIOD.multipliedBy(i)), "key-sync", null, null, "data"));
    Duration cooldown = Duration.ofHours(6);
    feed(service(store, Set.of(), cooldown), rows);
    assertThat(sent).hasSize(1);

    // A new process: the detectors start empty, the incident and its last notice come from the store.
    AlertService restarted = service(store, Set.of(), cooldown);
    List<UsageRecord> more = new ArrayList<>();
    for (int i = MIN_RUNS + 1; i < 2 * MIN_RUNS + 1; i++) more.add(row(MONDAY.plus(PERIOD.multipliedBy(i)), "key-sync", null, null, "data"));
    feed(restarted, more.subList(0, MIN_RUNS));

    assertThat(restarted.list()).filteredOn(a -> a.kind().equals("runaway_automation")).singleElement()
        .satisfies(a -> assertThat(a.count()).isEqualTo(3));
    assertThat(sent).as("within the cooldown of the notice sent before the restart: not told again").hasSize(1);
  }

  private void feed(AlertService alerts, List<UsageRecord> rows) {
    for (UsageRecord r : rows) {
      if (r.startedAt().isAfter(clock.instant())) clock.advance(Duration.between(clock.instant(), r.startedAt()));
      alerts.observe(r);
    }
  }

  /** Thirty days of the synthetic ledger (with its runaway loops) and a registered batch every 15 minutes each night. */
  private static List<UsageRecord> month() {
    List<UsageRecord> rows = new ArrayList<>();
    new SyntheticLedger(60_000, MONDAY, 30, ZONE, 11).forEach(rows::add);
    for (int day = 0; day < 30; day++) {
      ZonedDateTime night = MONDAY.atZone(ZONE).plusDays(day).withHour(1);
      for (int i = 0; i < 16; i++) rows.add(row(night.toInstant().plus(PERIOD.multipliedBy(i)), "key-etl", "etl-agent", "etl-nightly", "data"));
    }
    rows.sort(Comparator.comparing(UsageRecord::startedAt));
    return rows;
  }

  private static UsageRecord row(Instant at, String key, String agent, String workflow, String team) {
    Attribution a = new Attribution("acme", team, null, workflow, agent, null, "api", null, "batch", Map.of());
    return new UsageRecord(key + "-" + at.toEpochMilli() + "-" + agent, at, at.plusMillis(500), key, a, "openai", "gpt-4o-mini",
        "gpt-4o-mini", "economy", "class_preferred", new TokenUsage(500, 0, 0, 50, 0), Money.ofNanos(105_000), RequestStatus.OK,
        null, 500, null, null, false, false, false, 200);
  }
}
