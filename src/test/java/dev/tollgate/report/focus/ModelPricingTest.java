package dev.tollgate.report.focus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelPricingTest {

  static final Price FAST = Price.flat(Rates.of(1, 1), "config");
  static final Price SMART = Price.flat(Rates.of(2, 2), "config");
  static final ModelPricing PRICING = new ModelPricing(List.of(
      new ModelPricing.Configured("fast", FAST, List.of(new ModelPricing.Placement("azure-east", "azure", "gpt4o-prod"),
          new ModelPricing.Placement("openai", "openai", "gpt-4o"))),
      new ModelPricing.Configured("smart", SMART, List.of(new ModelPricing.Placement("openai", "openai", "o3")))),
      PriceCatalog.of(List.of(new CatalogEntry("claude-sonnet-4", "anthropic", "chat", Price.flat(Rates.of(3, 3), "catalog"),
          null, null))));

  @ParameterizedTest(name = "{0} served as {1} by {2} → {3} via {4}")
  @CsvSource(nullValues = "-", textBlock = """
      fast,            gpt-4o,          openai,    fast,            openai
      fast,            gpt4o-prod,      azure,     fast,            azure-east
      smart,           gpt-4o,          openai,    fast,            openai
      fast,            -,               -,         fast,            azure-east
      fast,            retired-id,      openai,    fast,            azure-east
      anything,        claude-sonnet-4, anthropic, claude-sonnet-4, anthropic
      claude-sonnet-4, -,               -,         claude-sonnet-4, anthropic
      """)
  void theRowIsPricedAtTheModelThatServedItElseTheCatalog(String requested, String served, String type, String model,
      String account) {
    var priced = PRICING.resolve(requested, served, type).orElseThrow();
    assertThat(priced.model()).isEqualTo(model);
    assertThat(priced.account()).isEqualTo(account);
  }

  @Test
  void aModelNowhereToBeFoundIsUnpriced() {
    assertThat(PRICING.resolve("mystery", "mystery-1", "openai")).isEmpty();
  }

  @Test
  void thresholdsAreEveryTierBoundaryAndTheBucketPicksTheTier() {
    Price tiered = new Price(Rates.of(1, 1), List.of(new PriceTier(200_000, Rates.of(2, 2))), "config");
    var pricing = new ModelPricing(List.of(new ModelPricing.Configured("g", tiered, List.of())), PriceCatalog.of(List.of(
        new CatalogEntry("x", "p", "chat", new Price(Rates.of(1, 1), List.of(new PriceTier(128_000, Rates.of(5, 5))), "c"),
            null, null))));
    long[] t = pricing.thresholds();
    assertThat(t).containsExactly(128_000, 200_000);
    assertThat(ModelPricing.tierIndex(tiered, 0, t)).isEqualTo(-1);
    assertThat(ModelPricing.tierIndex(tiered, 1, t)).as("above 128k, not above 200k").isEqualTo(-1);
    assertThat(ModelPricing.tierIndex(tiered, 2, t)).isZero();
  }
}
