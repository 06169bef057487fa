package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.port.WorkloadClassStore.Stored;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every SQL store of API-made workload classes must do; run on SQLite and PostgreSQL by the subclasses. */
abstract class WorkloadClassStoreContract {

  /** A URL of an empty database for this test; the same URL on every call within one test. */
  abstract String storageUrl();

  private Database database;

  SqlWorkloadClassStore open() {
    if (database != null) database.close();
    database = Database.open(storageUrl(), Duration.ofSeconds(5));
    return new SqlWorkloadClassStore(database, java.time.Clock.systemUTC());
  }

  @AfterEach
  void close() {
    if (database != null) database.close();
  }

  @Test
  void classesAreStoredInTheOrderTheyWereMadeAndSurviveAReopen() {
    SqlWorkloadClassStore store = open();
    assertThat(store.insert("triage", "{\"allow\":[\"small\"]}")).isTrue();
    assertThat(store.insert("research", "{\"pii\":\"redact\"}")).isTrue();

    SqlWorkloadClassStore reopened = open();

    assertThat(reopened.list()).containsExactly(new Stored("triage", "{\"allow\":[\"small\"]}"),
        new Stored("research", "{\"pii\":\"redact\"}"));
    assertThat(reopened.find("research")).contains(new Stored("research", "{\"pii\":\"redact\"}"));
    assertThat(reopened.find("nope")).isEmpty();
  }

  @Test
  void aNameIsTakenOnceAndOnlyAStoredClassCanBeReplacedOrDeleted() {
    SqlWorkloadClassStore store = open();
    assertThat(store.insert("triage", "{}")).isTrue();
    assertThat(store.insert("triage", "{\"pii\":\"block\"}")).as("the name is taken").isFalse();
    assertThat(store.find("triage")).contains(new Stored("triage", "{}"));

    assertThat(store.update("triage", "{\"pii\":\"block\"}")).isTrue();
    assertThat(store.update("nope", "{}")).isFalse();
    assertThat(store.find("triage")).contains(new Stored("triage", "{\"pii\":\"block\"}"));

    assertThat(store.delete("triage")).isTrue();
    assertThat(store.delete("triage")).isFalse();
    assertThat(store.list()).isEmpty();
  }
}
