package dev.tollgate.report.focus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FOCUS export against the static rules of the FOCUS 1.2 validator model, with exact decimals.
 * The mutation cases prove the checker can fail: each breaks one rule and expects that rule named.
 */
class FocusConformanceTest {

  static final Set<String> CRITERIA = FocusValidator.TOLLGATE_CRITERIA;

  static final LocalDate NOV3 = LocalDate.of(2026, 11, 3);

  static FocusValidator validator;
  static FocusExporter.Result result;
  static String csv;

  static SkuUsage usage(LocalDate day, String model, String served, String provider, String team, Map<String, String> tags,
      int bucket, long in, long read, long write, long out, long reasoning, long nanos) {
    return new SkuUsage(day, model, served, provider, "acme", team, "helpdesk", "triage", "bot", "classification", tags,
        bucket, in, read, write, out, reasoning, 3, nanos);
  }

  static ModelPricing pricing() {
    return new ModelPricing(List.of(
        new ModelPricing.Configured("gpt-4o-mini", new Price(new Rates(150_000_000, 75_000_000, 187_500_000, 600_000_000,
            600_000_000), List.of(), "catalog"), List.of(new ModelPricing.Placement("openai", "openai", "gpt-4o-mini"))),
        new ModelPricing.Configured("big", new Price(Rates.of(1_250_000_000, 10_000_000_000L),
            List.of(new PriceTier(200_000, Rates.of(2_500_000_000L, 15_000_000_000L))), "config"),
            List.of(new ModelPricing.Placement("vertex", "gemini", "gemini-2.5-pro"))),
        new ModelPricing.Configured("fast-local", Price.flat(Rates.of(50_000_000, 50_000_000), "config"),
            List.of(new ModelPricing.Placement("local", "openai-compatible", "llama-3.1-8b"))),
        new ModelPricing.Configured("sim", Price.flat(Rates.of(0, 0), "config"),
            List.of(new ModelPricing.Placement("sim", "simulator", "sim-1")))),
        PriceCatalog.of(List.of(new CatalogEntry("claude-sonnet-4", "anthropic", "chat",
            Price.flat(Rates.of(3_000_000_000L, 15_000_000_000L), "catalog"), null, null))));
  }

  static List<SkuUsage> fixture() {
    Map<String, String> tricky = Map.of("customer", "Zürich, \"AG\"", "env", "prod");
    return List.of(
        usage(NOV3, "gpt-4o-mini", "gpt-4o-mini", "openai", "support", tricky, 0, 1_234_567, 20_000, 3_000, 45_678, 9_999, 1_023_456),
        usage(NOV3, "gpt-4o-mini", "gpt-4o-mini", "openai", "sales", Map.of(), 0, 7, 0, 0, 1, 0, 2),
        usage(NOV3.plusDays(1), "gpt-4o-mini", "gpt-4o-mini", "openai", "support", tricky, 0, 10, 0, 0, 3, 0, 3),
        usage(NOV3, "big", "gemini-2.5-pro", "gemini", "support", Map.of(), 1, 250_000, 0, 0, 2_000, 0, 655_000_000),
        usage(NOV3, "big", "gemini-2.5-pro", "gemini", "support", Map.of(), 0, 1_000, 0, 0, 10, 0, 1_350_000),
        usage(NOV3, "fast-local", "llama-3.1-8b", "openai-compatible", null, Map.of(), 0, 333, 0, 0, 77, 0, 20_500),
        usage(NOV3, "sim", "sim-1", "simulator", "qa", Map.of(), 0, 5, 0, 0, 5, 0, 0),
        usage(NOV3, "claude-sonnet-4", "claude-sonnet-4-20250514", "anthropic", "legal", Map.of(), 0, 900, 0, 100, 50, 0, 3_450_000),
        usage(NOV3, "mystery", "mystery-1", "openai-compatible", "support", Map.of(), 0, 100, 0, 0, 100, 0, 777),
        usage(NOV3, "gpt-4o-mini", "gpt-4o-mini", "openai", "support", Map.of(), 0, 0, 0, 0, 0, 0, 5));
  }

  @BeforeAll
  static void export() {
    validator = FocusValidator.load();
    result = FocusExporter.export(fixture(), pricing(), new FocusExporter.Context("acme", Map.of("support", "CC-100")));
    csv = FocusCsv.toString(result.rows());
  }

  @Test
  void theExportPassesEveryStaticMustRuleOfTheFocus12Validator() {
    var report = validator.validate(CsvTable.parse(csv), CRITERIA);
    assertThat(report.failures()).as("MUST rules failed").isEmpty();
    assertThat(report.warnings()).as("SHOULD rules failed").isEmpty();
    assertThat(report.checked()).as("static rules actually evaluated").hasSizeGreaterThan(250);
    System.out.printf("FOCUS 1.2 static rules: %d checked, %d dynamic (no machine check), %d not applicable, "
        + "%d for absent optional columns%n", report.checked().size(), report.dynamic().size(), report.notApplicable().size(),
        report.absentColumn().size());
  }

  @Test
  void theExportAlsoPassesWhenApplicabilityIsReadAsTheReferenceValidatorReadsIt() {
    var report = validator.validate(CsvTable.parse(csv), CRITERIA, FocusValidator.Applicability.ANY);
    assertThat(report.failures()).as("MUST rules failed").isEmpty();
    assertThat(report.warnings()).as("SHOULD rules failed").isEmpty();
  }

  @Test
  void everyCheckFunctionTheModelUsesIsImplemented() {
    assertThat(FocusValidator.IMPLEMENTED).containsAll(validator.functionsUsed());
  }

  @Test
  void everyTokenKindIsAPricedRowOfItsOwnPerDayAndTheBilledCostReconcilesToTheLedger() {
    List<FocusRow> mini = result.rows().stream()
        .filter(r -> r.get("ChargePeriodStart").equals("2026-11-03T00:00:00Z") && r.get("SkuId").startsWith("gpt-4o-mini:")
            && r.get("Tags") != null && r.get("Tags").contains("customer"))
        .toList();
    assertThat(mini).extracting(r -> r.get("SkuId")).containsExactly("gpt-4o-mini:input", "gpt-4o-mini:cache-read",
        "gpt-4o-mini:cache-write", "gpt-4o-mini:output", "gpt-4o-mini:reasoning");
    FocusRow input = mini.get(0);
    assertThat(input.get("ConsumedQuantity")).isEqualTo("1234567");
    assertThat(input.get("PricingQuantity")).isEqualTo("1.234567");
    assertThat(input.get("PricingUnit")).isEqualTo("1000000 Tokens");
    assertThat(input.get("ListUnitPrice")).isEqualTo("0.15");
    assertThat(input.get("ListCost")).isEqualTo("0.18518505");
    assertThat(input.get("ChargePeriodEnd")).isEqualTo("2026-11-04T00:00:00Z");
    assertThat(input.get("BillingPeriodStart")).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(input.get("BillingPeriodEnd")).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(input.get("ServiceCategory")).isEqualTo("AI and Machine Learning");
    assertThat(input.get("ServiceProviderName")).isEqualTo("OpenAI");
    assertThat(input.get("Tags")).isEqualTo("{\"customer\":\"Z\\u00fcrich, \\\"AG\\\"\",\"env\":\"prod\",\"tollgate/agent\":\"bot\","
        + "\"tollgate/cost_center\":\"CC-100\",\"tollgate/org\":\"acme\",\"tollgate/project\":\"helpdesk\",\"tollgate/team\":\"support\","
        + "\"tollgate/workflow\":\"triage\",\"tollgate/workload_class\":\"classification\"}");
    assertThat(result.rows()).anySatisfy(r -> {
      assertThat(r.get("SkuPriceId")).isEqualTo("big:input:above-200000-input-tokens");
      assertThat(r.get("ListUnitPrice")).isEqualTo("2.5");
    });
    assertThat(result.rows()).anySatisfy(r -> {
      assertThat(r.get("ProviderName")).as("self-hosted: the org itself").isEqualTo("acme");
      assertThat(r.get("ServiceName")).isEqualTo("Self-hosted models");
      assertThat(r.get("PublisherName")).isEqualTo("Meta");
    });
    BigDecimal billed = result.rows().stream().map(r -> new BigDecimal(r.get("BilledCost"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    long ledger = fixture().stream().mapToLong(SkuUsage::costNanos).sum();
    assertThat(billed).isEqualByComparingTo(BigDecimal.valueOf(ledger, 9));
    assertThat(result.billedCostNanos()).isEqualTo(ledger);
    assertThat(result.warnings()).singleElement().asString().contains("mystery-1");
  }

  static Stream<Arguments> brokenExports() {
    return Stream.of(
        Arguments.of("a list cost one nano-dollar off", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("ListCost", new BigDecimal(rows.get(0).get("ListCost")).add(new BigDecimal("0.000000001")).toPlainString()),
            "ListCost-C-009-C"),
        Arguments.of("a contracted cost that is not unit price × quantity", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(1).put("ContractedCost", "999"), "ContractedUnitPrice-C-011-C"),
        Arguments.of("fractional seconds", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("ChargePeriodStart", "2026-11-03T00:00:00.000Z"), "ChargePeriodStart-C-002-M"),
        Arguments.of("an offset instead of Z", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("BillingPeriodEnd", "2026-12-01T00:00:00+00:00"), "BillingPeriodEnd-C-002-M"),
        Arguments.of("E notation", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(2).put("BilledCost", "1.5E-7"), "BilledCost-C-002-M"),
        Arguments.of("a lower-case currency", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("BillingCurrency", "usd"), "BillingCurrency-C-006-M"),
        Arguments.of("a non-ASCII SKU", (Consumer<List<Map<String, String>>>) rows -> rows.get(0).put("SkuId", "gpt-4o-mïni"),
            "SkuId-C-002-M"),
        Arguments.of("tags that are not a JSON object", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("Tags", "team=support"), "Tags-C-001-M"),
        Arguments.of("a null billed cost", (Consumer<List<Map<String, String>>>) rows -> rows.get(3).put("BilledCost", null),
            "BilledCost-C-003-M"),
        Arguments.of("an unknown charge category", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("ChargeCategory", "Tokens"), "ChargeCategory-C-003-M"),
        Arguments.of("a SkuPriceId under two SkuIds", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(1).put("SkuPriceId", rows.get(0).get("SkuPriceId")), "SkuPriceId-C-008-M"),
        Arguments.of("a negative unit price", (Consumer<List<Map<String, String>>>) rows -> {
          rows.get(0).put("ListUnitPrice", "-0.15");
          rows.get(0).put("ListCost", new BigDecimal(rows.get(0).get("ListCost")).negate().toPlainString());
        }, "ListUnitPrice-C-008-M"),
        Arguments.of("a usage row without a SKU", (Consumer<List<Map<String, String>>>) rows -> rows.get(0).put("SkuId", null),
            "SkuId-C-005-C"),
        Arguments.of("ConsumedUnit without ConsumedQuantity", (Consumer<List<Map<String, String>>>) rows ->
            rows.get(0).put("ConsumedQuantity", null), "ConsumedUnit-C-005-C"));
  }

  @ParameterizedTest(name = "{0} breaks {2}")
  @MethodSource("brokenExports")
  void theCheckerNamesTheRuleABrokenExportBreaks(String what, Consumer<List<Map<String, String>>> breakIt, String rule) {
    CsvTable table = CsvTable.parse(csv);
    List<Map<String, String>> rows = new ArrayList<>();
    table.rows().forEach(r -> rows.add(new LinkedHashMap<>(r)));
    breakIt.accept(rows);
    var report = validator.validate(new CsvTable(table.header(), rows), CRITERIA);
    assertThat(report.failures()).extracting(FocusValidator.Finding::ruleId).contains(rule);
  }

  @Test
  void aMissingMandatoryColumnIsNamed() {
    CsvTable table = CsvTable.parse(csv);
    List<String> header = new ArrayList<>(table.header());
    header.remove("ChargeClass");
    var report = validator.validate(new CsvTable(header, table.rows()), CRITERIA);
    assertThat(report.failures()).extracting(FocusValidator.Finding::ruleId).contains("CostAndUsage-D-026-M");
  }
}
