package dev.tollgate.store.sql.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.report.efficiency.PromptTemplate;
import dev.tollgate.store.sql.Storage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the token-efficiency SQL stores promise, run against SQLite and PostgreSQL alike. */
abstract class EfficiencyStoreContract {

  Storage storage;

  abstract String storageUrl();

  @BeforeEach
  void open() {
    storage = Storage.open(storageUrl(), 100, Duration.ofMillis(20), 10_000);
  }

  @AfterEach
  void close() {
    if (storage != null) storage.close();
  }

  @Test
  void templatesRoundTripAndANameIsTakenOnce() {
    var store = new SqlTemplateStore(storage.database());
    Instant t = Instant.parse("2026-11-03T10:15:30.123456789Z");
    PromptTemplate summary = new PromptTemplate("ticket-summary", "classification", "two lines", "Summarise: {{ticket}}", 60, t, "admin-token");
    PromptTemplate bare = new PromptTemplate("alpha", null, null, "Hi", 0, t, null);
    assertThat(store.insert(summary)).isTrue();
    assertThat(store.insert(summary)).as("a second insert of the name writes nothing").isFalse();
    assertThat(store.insert(bare)).isTrue();
    assertThat(store.find("ticket-summary")).contains(summary);
    assertThat(store.list()).containsExactly(bare, summary);
    assertThat(store.delete("alpha")).isTrue();
    assertThat(store.delete("alpha")).isFalse();
    assertThat(store.find("alpha")).isEmpty();
  }
}
