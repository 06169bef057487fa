package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.port.AlertStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every SQL alert store must do; run on SQLite and PostgreSQL by the subclasses. */
abstract class AlertStoreContract {

  private static final Instant T0 = Instant.parse("2026-11-25T01:00:00.123456789Z");

  /** A URL of an empty database for this test; the same URL on every call within one test. */
  abstract String storageUrl();

  private Database database;

  SqlAlertStore open() {
    if (database != null) database.close();
    database = Database.open(storageUrl(), Duration.ofSeconds(5));
    return new SqlAlertStore(database);
  }

  @AfterEach
  void close() {
    if (database != null) database.close();
  }

  static Alert alert(String id, String kind, Instant at, String state) {
    return new Alert(id, kind, "key:nightly-sync", "data", null, "critical", "key:nightly-sync ran every 15 min", at, at, 1, state,
        null, null);
  }

  @Test
  void anOpenIncidentAndItsCooldownSurviveAReopenAndLaterTriggersReplaceTheRow() {
    SqlAlertStore store = open();
    Alert first = alert("alr_1", "runaway_automation", T0, "open");
    store.save(first, T0);
    Alert again = first.triggeredAgain(T0.plusSeconds(900), "still running").withAction("suspend key:nightly-sync");
    store.save(again, T0);
    store.save(alert("alr_2", "error_rate", T0.plusSeconds(5), "resolved"), T0.plusSeconds(5));

    SqlAlertStore reopened = open();

    assertThat(reopened.unresolved()).containsExactly(new AlertStore.Live(again, T0));
    assertThat(reopened.find("alr_1")).contains(again);
    assertThat(reopened.find("alr_2").orElseThrow().state()).isEqualTo("resolved");
    assertThat(reopened.find("nope")).isEmpty();
  }

  @Test
  void theHistoryIsListedNewestFirstFilteredAndPagedWithoutGapsOrRepeats() {
    SqlAlertStore store = open();
    for (int i = 0; i < 25; i++) {
      // Three alerts share each instant, so the page boundary falls between equal times too.
      Instant at = T0.plusSeconds(60L * (i / 3));
      store.save(alert(String.format("alr_%02d", i), i % 2 == 0 ? "spend_spike" : "retry_storm", at, i % 5 == 0 ? "resolved" : "open"),
          null);
    }

    List<String> paged = new ArrayList<>();
    AlertStore.Cursor cursor = null;
    for (int page = 0; page < 10; page++) {
      List<Alert> got = store.list(null, null, null, cursor, 7);
      got.forEach(a -> paged.add(a.id()));
      if (got.size() < 7) break;
      Alert last = got.get(got.size() - 1);
      cursor = new AlertStore.Cursor(last.firstAt(), last.id());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 24; i >= 0; i--) expected.add(String.format("alr_%02d", i));
    assertThat(paged).containsExactlyElementsOf(expected);

    assertThat(store.list("open", "spend_spike", null, null, 100)).extracting(Alert::id)
        .containsExactly("alr_24", "alr_22", "alr_18", "alr_16", "alr_14", "alr_12", "alr_08", "alr_06", "alr_04", "alr_02");
    assertThat(store.list(null, null, T0.plusSeconds(7 * 60), null, 100)).extracting(Alert::id)
        .containsExactly("alr_24", "alr_23", "alr_22", "alr_21");
  }

  @Test
  void restrictionsSurviveAReopenUntilTheirAlertLiftsThem() {
    SqlAlertStore store = open();
    Restriction suspend = new Restriction("key:nightly-sync", Restriction.Kind.SUSPEND, 0, "alr_1", "runaway automation", T0);
    Restriction throttle = new Restriction("agent:looper", Restriction.Kind.THROTTLE, 6, "alr_2", "retry storm", T0.plusSeconds(1));
    store.restrict(suspend);
    store.restrict(throttle);

    SqlAlertStore reopened = open();
    assertThat(reopened.restrictions()).containsExactly(suspend, throttle);

    reopened.lift("alr_1");
    assertThat(open().restrictions()).containsExactly(throttle);
  }
}
