package dev.tollgate.store.sql.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.report.Outcome;
import dev.tollgate.report.OutcomeStore;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowStage;
import dev.tollgate.report.focus.FocusExporter;
import dev.tollgate.report.focus.ModelPricing;
import dev.tollgate.report.focus.SkuUsage;
import dev.tollgate.store.sql.Storage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the SQL report stores promise, run against SQLite and PostgreSQL alike. */
abstract class ReportStoreContract {

  static final Instant DAY1 = Instant.parse("2026-11-03T00:00:00Z");

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

  static UsageRecord row(String id, Instant at, String team, String model, TokenUsage usage, long nanos,
      Map<String, String> tags) {
    Attribution a = new Attribution("acme", team, "helpdesk", "triage", "bot", "ana", null, null, "classification", tags);
    return new UsageRecord(id, at, at.plusMillis(100), "key", a, "openai", model, model + "-upstream", "economy", "requested",
        usage, Money.ofNanos(nanos), RequestStatus.OK, null, 100, null, null, false, false, false, 200);
  }

  @Test
  void workflowsAreInsertedOnceFoundUpdatedListedByNameAndDeleted() {
    var store = new SqlWorkflowStore(storage.database());
    Instant t = Instant.parse("2026-11-01T10:00:00.123456789Z");
    var w = new Workflow("triage", "ana", "route tickets", "tickets/day", Money.ofUsd("1234.5"), WorkflowStage.PRODUCTION,
        "support", t, t);
    assertThat(store.insert(w)).isTrue();
    assertThat(store.insert(w)).as("a second insert of the name writes nothing").isFalse();
    assertThat(store.insert(new Workflow("alpha", null, null, null, null, WorkflowStage.EXPERIMENT, null, t, t))).isTrue();
    assertThat(store.find("triage")).contains(w);
    assertThat(store.list()).extracting(Workflow::name).containsExactly("alpha", "triage");
    var changed = new Workflow("triage", "bo", null, null, null, WorkflowStage.RETIRED, null, t, t.plusSeconds(5));
    assertThat(store.update(changed)).isTrue();
    assertThat(store.find("triage")).contains(changed);
    assertThat(store.update(new Workflow("nope", null, null, null, null, WorkflowStage.RETIRED, null, t, t))).isFalse();
    assertThat(store.delete("triage")).isTrue();
    assertThat(store.delete("triage")).isFalse();
    assertThat(store.find("triage")).isEmpty();
  }

  @Test
  void anOutcomeFromARequestKeepsItsUserKeyAndRequest() {
    var store = new SqlOutcomeStore(storage.database());
    Instant t = DAY1.plusSeconds(7_200);
    store.insert(new Outcome("req_r1", "ticket_resolved", 1, Money.ofUsd("12.50"), "triage", "closer", "support", t, t, null,
        "ana", "support-bot", "r1"));
    Outcome back = store.list(DAY1, DAY1.plusSeconds(86_400), Map.of("agent", "closer"), 10).get(0);
    assertThat(back.user()).isEqualTo("ana");
    assertThat(back.key()).isEqualTo("support-bot");
    assertThat(back.requestId()).isEqualTo("r1");
    assertThat(back.value()).isEqualTo(Money.ofUsd("12.50"));
  }

  @Test
  void outcomesAreListedAndSummedPerGroupAndType() {
    var store = new SqlOutcomeStore(storage.database());
    Instant t = DAY1.plusSeconds(3_600);
    assertThat(store.insert(new Outcome("o1", "ticket_resolved", 10, Money.ofUsd("50"), "triage", null, "support", t, t, null)))
        .isTrue();
    assertThat(store.insert(new Outcome("o1", "ticket_resolved", 99, Money.ZERO, "triage", null, null, t, t, null))).isFalse();
    store.insert(new Outcome("o2", "ticket_resolved", 5, Money.ofUsd("25.000000001"), "triage", "bot", null, t.plusSeconds(1),
        t, "note"));
    store.insert(new Outcome("o3", "deal_closed", 1, Money.ofUsd("1000"), "sales-assist", null, "sales", t.plusSeconds(2), t,
        null));
    store.insert(new Outcome("o4", "ticket_resolved", 7, Money.ZERO, null, null, "support", t.plusSeconds(3), t, null));
    store.insert(new Outcome("late", "ticket_resolved", 1, Money.ZERO, "triage", null, null, DAY1.plusSeconds(86_400), t, null));

    var listed = store.list(DAY1, DAY1.plusSeconds(86_400), Map.of("workflow", "triage"), 10);
    assertThat(listed).extracting(Outcome::id).containsExactly("o2", "o1");
    assertThat(listed.get(0).value()).isEqualTo(Money.ofUsd("25.000000001"));
    assertThat(listed.get(0).note()).isEqualTo("note");

    var totals = store.totals(DAY1, DAY1.plusSeconds(86_400), "workflow", Map.of());
    assertThat(totals).containsExactlyInAnyOrder(
        new OutcomeStore.Total("triage", "ticket_resolved", 15, Money.ofUsd("75.000000001")),
        new OutcomeStore.Total("sales-assist", "deal_closed", 1, Money.ofUsd("1000")),
        new OutcomeStore.Total(null, "ticket_resolved", 7, Money.ZERO));
    assertThat(store.totals(DAY1, DAY1.plusSeconds(86_400), "team", Map.of("type", "ticket_resolved")))
        .extracting(OutcomeStore.Total::group, OutcomeStore.Total::count)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(null, 5L),
            org.assertj.core.groups.Tuple.tuple("support", 17L));
    assertThatThrownBy(() -> store.totals(DAY1, DAY1, "note; DROP TABLE outcomes", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void focusUsageIsSummedPerUtcDayModelAttributionTagsAndPromptSizeBucket() {
    var ledger = storage.ledgerWriter();
    Map<String, String> prod = Map.of("env", "prod", "ticket", "ü-42");
    ledger.append(row("a", DAY1.plusSeconds(60), "support", "gpt-4o-mini", new TokenUsage(500, 100, 50, 80, 30), 1_000, prod));
    ledger.append(row("b", DAY1.plusSeconds(120), "support", "gpt-4o-mini", new TokenUsage(700, 0, 0, 20, 0), 2_000, prod));
    ledger.append(row("c", DAY1.plusSeconds(180), "support", "gpt-4o-mini", new TokenUsage(5_000, 0, 0, 10, 0), 3_000, prod));
    ledger.append(row("d", DAY1.plusSeconds(240), "support", "gpt-4o-mini", new TokenUsage(300_000, 0, 0, 1, 0), 4_000, prod));
    ledger.append(row("e", DAY1.plusSeconds(300), "sales", "gpt-4o-mini", new TokenUsage(10, 20, 0, 5, 9), 5, Map.of()));
    ledger.append(row("f", DAY1.plusSeconds(86_399), "support", "gpt-4o-mini", TokenUsage.NONE, 0, prod)); // blocked: nothing
    ledger.append(row("g", DAY1.plusSeconds(86_400), "support", "gpt-4o-mini", TokenUsage.of(1, 1), 7, prod));
    ledger.append(row("h", DAY1.minusNanos(1), "support", "gpt-4o-mini", TokenUsage.of(1, 1), 11, prod));
    ledger.flush();

    var usage = new SqlFocusUsage(storage.database()).usage(DAY1, DAY1.plusSeconds(2 * 86_400), new long[] {1_000, 200_000});
    assertThat(usage).extracting(SkuUsage::day, SkuUsage::team, SkuUsage::tierBucket, SkuUsage::requests)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 11, 3), "sales", 0, 1L),
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 11, 3), "support", 0, 3L), // the blocked row counts as a request
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 11, 3), "support", 1, 1L),
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 11, 3), "support", 2, 1L),
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 11, 4), "support", 0, 1L));
    SkuUsage small = usage.get(1);
    assertThat(small.uncachedInputTokens()).isEqualTo(350 + 700);
    assertThat(small.cacheReadTokens()).isEqualTo(100);
    assertThat(small.cacheWriteTokens()).isEqualTo(50);
    assertThat(small.plainOutputTokens()).isEqualTo(50 + 20);
    assertThat(small.reasoningTokens()).isEqualTo(30);
    assertThat(small.costNanos()).isEqualTo(3_000);
    assertThat(small.tags()).isEqualTo(prod);
    assertThat(small.workflow()).isEqualTo("triage");
    assertThat(small.servedModel()).isEqualTo("gpt-4o-mini-upstream");
    SkuUsage cachedMoreThanPrompt = usage.get(0);
    assertThat(cachedMoreThanPrompt.uncachedInputTokens()).as("never below zero per row").isZero();
    assertThat(cachedMoreThanPrompt.plainOutputTokens()).as("reasoning beyond output: never below zero").isZero();
    assertThat(usage.stream().mapToLong(SkuUsage::costNanos).sum()).isEqualTo(1_000 + 2_000 + 3_000 + 4_000 + 5 + 7);
  }

  @Test
  void theFocusFileReconcilesToTheLedgerTotalToTheNanoDollar() {
    var ledger = storage.ledgerWriter();
    java.util.Random random = new java.util.Random(5);
    long total = 0;
    String[] teams = {"support", "sales", null};
    String[] models = {"gpt-4o-mini", "big", "mystery"};
    for (int i = 0; i < 400; i++) {
      long nanos = random.nextLong(0, 90_000_000);
      total += nanos;
      long input = random.nextLong(0, 400_000);
      long output = random.nextLong(0, 5_000);
      ledger.append(row("r" + i, DAY1.plusSeconds(random.nextLong(0, 30L * 86_400)), teams[i % 3], models[i % 3],
          new TokenUsage(input, input / 4, input / 10, output, output / 3), nanos, i % 5 == 0 ? Map.of("env", "dev") : Map.of()));
    }
    ledger.flush();
    var pricing = new ModelPricing(List.of(
        new ModelPricing.Configured("gpt-4o-mini", Price.flat(Rates.of(150_000_000, 600_000_000), "catalog"),
            List.of(new ModelPricing.Placement("openai", "openai", "gpt-4o-mini-upstream"))),
        new ModelPricing.Configured("big", new Price(Rates.of(1_250_000_000, 10_000_000_000L),
            List.of(new PriceTier(200_000, Rates.of(2_500_000_000L, 15_000_000_000L))), "config"),
            List.of(new ModelPricing.Placement("gemini", "gemini", "big-upstream")))), PriceCatalog.EMPTY);
    var usage = new SqlFocusUsage(storage.database()).usage(DAY1, DAY1.plusSeconds(31L * 86_400), pricing.thresholds());
    var result = FocusExporter.export(usage, pricing, new FocusExporter.Context("acme", Map.of("support", "CC-1")));

    BigDecimal billed = result.rows().stream().map(r -> new BigDecimal(r.get("BilledCost"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed).isEqualByComparingTo(BigDecimal.valueOf(total, 9));
    assertThat(result.ledgerCostNanos()).isEqualTo(total);
    assertThat(result.warnings()).singleElement().asString().contains("mystery");
    assertThat(result.rows()).anySatisfy(r -> assertThat(r.get("SkuPriceId")).isEqualTo("big:input:above-200000-input-tokens"));
    for (var r : result.rows()) {
      assertThat(new BigDecimal(r.get("ListUnitPrice")).multiply(new BigDecimal(r.get("PricingQuantity"))))
          .isEqualByComparingTo(new BigDecimal(r.get("ListCost")));
    }
  }

  @Test
  void chargebackAndTopNFromTheSqlLedgerReconcileToTheNanoDollar() {
    var ledger = storage.ledgerWriter();
    java.util.Random random = new java.util.Random(9);
    String[] teams = {"support", "sales", "legal", null};
    String[] agents = {"kb", "bot", null};
    long total = 0;
    for (int i = 0; i < 300; i++) {
      long nanos = random.nextLong(0, 5_000_000_000L);
      total += nanos;
      Attribution a = new Attribution("acme", teams[random.nextInt(4)], null, null, agents[random.nextInt(3)], null, null, null,
          null, Map.of());
      Instant at = DAY1.plusSeconds(random.nextLong(0, 20L * 86_400));
      ledger.append(new UsageRecord("c" + i, at, at, "key", a, "openai", "m", "m", null, null,
          TokenUsage.of(random.nextLong(0, 10_000), random.nextLong(0, 1_000)), Money.ofNanos(nanos), RequestStatus.OK, null, 1,
          null, null, false, false, false, 200));
    }
    ledger.flush();
    var query = new dev.tollgate.store.sql.SqlUsageQuery(storage.database());
    var statement = dev.tollgate.report.Chargeback.fromLedger(query, DAY1, DAY1.plusSeconds(30L * 86_400),
        java.time.ZoneId.of("Asia/Kolkata"), Map.of("support", "CC-1", "sales", "CC-2"), dev.tollgate.report.Chargeback.Basis.TOKENS);
    assertThat(statement.ledgerTotal().nanos()).isEqualTo(total);
    assertThat(statement.teams().stream().mapToLong(t -> t.total().nanos()).sum()).isEqualTo(total);
    assertThat(statement.costCenters().stream().mapToLong(c -> c.total().nanos()).sum()).isEqualTo(total);
    assertThat(statement.sharedAgents()).extracting(dev.tollgate.report.Chargeback.SharedAgent::agent).containsExactly("bot", "kb");

    var lines = query.aggregate(new dev.tollgate.domain.usage.UsageFilter(DAY1, DAY1.plusSeconds(30L * 86_400), Map.of(),
        List.of("team"), null, null)).stream().map(x -> dev.tollgate.report.Rankings.Line.of(x, "team")).toList();
    var top = dev.tollgate.report.Rankings.top(lines, 2, dev.tollgate.report.Rankings.Metric.COST);
    assertThat(top.rows().stream().mapToLong(l -> l.cost().nanos()).sum() + top.others().cost().nanos()).isEqualTo(total);
  }
}
