package dev.tollgate.store.sql.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.Efficiency;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.report.efficiency.LedgerFacts;
import dev.tollgate.report.efficiency.PromptTemplate;
import java.util.List;
import java.util.Map;
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

  static UsageRecord row(String id, Instant at, String team, long costNanos, boolean hit, long savedNanos) {
    return row(id, at, team, "ana", costNanos, hit, savedNanos);
  }

  static UsageRecord row(String id, Instant at, String team, String user, long costNanos, boolean hit, long savedNanos) {
    Attribution a = new Attribution("acme", team, "helpdesk", "triage", "bot", user, null, null, "chat", Map.of());
    return new UsageRecord(id, at, at.plusMillis(5), "key-" + team, a, "openai", "big", "big-up", "premium", "requested",
        hit ? TokenUsage.NONE : new TokenUsage(1_000, 200, 0, 50, 0), Money.ofNanos(costNanos), RequestStatus.OK, null, 5, null,
        null, hit, false, true, 200, "header", Map.of(),
        new Efficiency(Money.ofNanos(savedNanos), "tpl", "hash-" + id, "prefix-" + id, 4096L));
  }

  @Test
  void theEfficiencyLedgerReadsAPeriodHalfOpenAndOneTeamExactly() {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    storage.ledgerWriter().append(row("before", t.minusNanos(1), "support", 1, false, 0));
    storage.ledgerWriter().append(row("a", t, "support", 123_456_789L, false, 0));
    storage.ledgerWriter().append(row("b", t.plusSeconds(60), "support", 0, true, 987_654_321L));
    storage.ledgerWriter().append(row("c", t.plusSeconds(30), "research", 5, false, 0));
    storage.ledgerWriter().append(row("after", t.plus(Duration.ofDays(30)), "support", 7, false, 0));
    storage.ledgerWriter().flush();
    var ledger = new SqlEfficiencyLedger(storage.database());

    List<LedgerFacts> all = ledger.rows(t, t.plus(Duration.ofDays(30)), null);
    assertThat(all).extracting(LedgerFacts::id).containsExactly("a", "c", "b");
    List<LedgerFacts> support = ledger.rows(t, t.plus(Duration.ofDays(30)), "support");
    assertThat(support).extracting(LedgerFacts::id).containsExactly("a", "b");
    LedgerFacts a = support.get(0);
    assertThat(a.usage()).isEqualTo(new TokenUsage(1_000, 200, 0, 50, 0));
    assertThat(a.cost()).isEqualTo(Money.ofNanos(123_456_789L));
    assertThat(a.promptHash()).isEqualTo("hash-a");
    assertThat(a.prefixHash()).isEqualTo("prefix-a");
    assertThat(a.maxTokens()).isEqualTo(4096L);
    assertThat(a.template()).isEqualTo("tpl");
    assertThat(a.workloadClass()).isEqualTo("chat");
    assertThat(a.servedUpstream()).isTrue();
    LedgerFacts b = support.get(1);
    assertThat(b.cacheHit()).isTrue();
    assertThat(b.costSaved()).isEqualTo(Money.ofNanos(987_654_321L));
  }

  @Test
  void theEfficiencyLedgerReadsOnePersonsRowsAndRefusesAPeriodTooLargeToHoldInMemory() {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    Instant end = t.plus(Duration.ofDays(30));
    storage.ledgerWriter().append(row("a", t, "support", "ana", 1, false, 0));
    storage.ledgerWriter().append(row("b", t.plusSeconds(10), "support", "ben", 2, false, 0));
    storage.ledgerWriter().append(row("c", t.plusSeconds(20), "research", "ana", 3, false, 0));
    storage.ledgerWriter().append(row("d", t.plusSeconds(30), "support", "ana", 4, false, 0));
    storage.ledgerWriter().flush();
    var ledger = new SqlEfficiencyLedger(storage.database(), 3);

    assertThat(ledger.rows(t, end, null, "ana")).extracting(LedgerFacts::id).containsExactly("a", "c", "d");
    assertThat(ledger.rows(t, end, "support", "ana")).extracting(LedgerFacts::id).containsExactly("a", "d");
    assertThatThrownBy(() -> ledger.rows(t, end, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 ledger rows")
        .hasMessageContaining("at most 3")
        .hasMessageContaining("shorter period");
    assertThat(ledger.rows(t, t.plusSeconds(25), null)).as("a shorter period is read").hasSize(3);
  }
}
