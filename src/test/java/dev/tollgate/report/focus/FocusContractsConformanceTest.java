package dev.tollgate.report.focus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.contract.Contract;
import dev.tollgate.report.ContractedCosts;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The FOCUS export with contracts on: negotiated prices and effective costs, still passing every static rule. */
class FocusContractsConformanceTest {

  static final LocalDate FIRST = FocusConformanceTest.NOV3;
  static final LocalDate END = FIRST.plusDays(2);
  static final List<Contract> CONTRACTS = List.of(
      // 20 % off, 0.0005 USD committed a month (2 of 30 days: 33,333 nano-dollars), overage at 10 % off
      new Contract("openai-2026", "openai", null, LocalDate.of(2026, 1, 1), null,
          new Contract.Negotiated(BigDecimal.valueOf(20), 500_000, 0, 0, BigDecimal.TEN)),
      // the local GPU box: 0.01 USD an hour, its whole cost spread over the tokens it served
      new Contract("gpu-box", "local", null, LocalDate.of(2026, 11, 1), null, new Contract.SelfHosted(10_000_000, null)));

  static FocusExporter.Result result;
  static String csv;

  @BeforeAll
  static void export() {
    result = FocusExporter.export(FocusConformanceTest.fixture(), FocusConformanceTest.pricing(),
        new FocusExporter.Context("acme", Map.of("support", "CC-100"), CONTRACTS, FIRST, END));
    csv = FocusCsv.toString(result.rows());
  }

  @Test
  void theExportWithContractsPassesEveryStaticRuleOfTheFocus12Validator() {
    FocusValidator validator = FocusValidator.load();
    var report = validator.validate(CsvTable.parse(csv), FocusConformanceTest.CRITERIA);
    assertThat(report.failures()).as("MUST rules failed").isEmpty();
    assertThat(report.warnings()).as("SHOULD rules failed").isEmpty();
    assertThat(report.checked()).hasSizeGreaterThan(250);
    var any = validator.validate(CsvTable.parse(csv), FocusConformanceTest.CRITERIA, FocusValidator.Applicability.ANY);
    assertThat(any.failures()).isEmpty();
  }

  @Test
  void aNegotiatedDiscountLowersTheContractedPriceButNotTheListPrice() {
    FocusRow input = result.rows().stream().filter(r -> r.get("SkuId").equals("gpt-4o-mini:input")).findFirst().orElseThrow();
    assertThat(input.get("ListUnitPrice")).isEqualTo("0.15");
    assertThat(input.get("ContractedUnitPrice")).isEqualTo("0.12");
    assertThat(input.get("PricingCurrencyContractedUnitPrice")).isEqualTo("0.12");
    assertThat(new BigDecimal(input.get("ContractedCost"))).isEqualByComparingTo(new BigDecimal(input.get("ListCost"))
        .multiply(new BigDecimal("0.8")));
    FocusRow claude = result.rows().stream().filter(r -> r.get("SkuId").startsWith("claude")).findFirst().orElseThrow();
    assertThat(claude.get("ContractedUnitPrice")).as("no contract with anthropic").isEqualTo(claude.get("ListUnitPrice"));
    assertThat(claude.get("EffectiveCost")).isEqualTo(claude.get("BilledCost"));
  }

  @Test
  void effectiveAndBilledCostAddUpToTheContractsEffectiveTotalToTheNanoDollar() {
    var applied = ContractedCosts.apply(FocusConformanceTest.fixture(), FocusConformanceTest.pricing(), CONTRACTS, FIRST, END);
    BigDecimal effective = sum("EffectiveCost");
    assertThat(effective).isEqualByComparingTo(BigDecimal.valueOf(applied.effectiveNanos(), 9));
    assertThat(sum("BilledCost")).isEqualByComparingTo(effective);
    assertThat(result.billedCostNanos()).isEqualTo(applied.effectiveNanos());
    assertThat(result.ledgerCostNanos()).isEqualTo(applied.listNanos());
    assertThat(applied.effectiveNanos()).isLessThan(applied.listNanos() + 480_000_000L);
    // the self-hosted rows carry the box's two days: 0.48 USD, whatever their list price
    BigDecimal selfHosted = result.rows().stream().filter(r -> r.get("SkuId").startsWith("fast-local:"))
        .map(r -> new BigDecimal(r.get("EffectiveCost"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(selfHosted).isEqualByComparingTo("0.48");
  }

  private static BigDecimal sum(String column) {
    return result.rows().stream().map(r -> new BigDecimal(r.get(column))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
