package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.pricing.LitellmCatalogFormat.Result;
import dev.tollgate.pricing.LitellmCatalogFormat.SkipReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LitellmCatalogFormatTest {

  /** The public LiteLLM snapshot kept in this repository (see prices-source/PROVENANCE.md). */
  static final Path SNAPSHOT = Path.of("prices-source", "litellm_model_prices.json");

  private static Result snapshot;

  @BeforeAll
  static void readSnapshot() throws IOException {
    snapshot = LitellmCatalogFormat.read(SNAPSHOT);
  }

  private static CatalogEntry fromSnapshot(String model) {
    return snapshot.entries().stream().filter(e -> e.model().equals(model)).findFirst().orElseThrow();
  }

  private static Result read(String json) throws IOException {
    return LitellmCatalogFormat.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "inline");
  }

  private static CatalogEntry only(Result result) {
    assertThat(result.entries()).hasSize(1);
    return result.entries().get(0);
  }

  @Test
  void gpt4oMiniFromTheSnapshotIsPricedExactly() {
    CatalogEntry entry = fromSnapshot("gpt-4o-mini");

    // $0.15, $0.075 and $0.60 per million tokens, from 1.5e-07, 7.5e-08 and 6e-07 per token.
    assertThat(entry.price().base()).isEqualTo(new Rates(150_000_000, 75_000_000, 150_000_000, 600_000_000, 600_000_000));
    assertThat(entry.price().tiers()).isEmpty();
    assertThat(entry.provider()).isEqualTo("openai");
    assertThat(entry.mode()).isEqualTo("chat");
    assertThat(entry.maxInputTokens()).isEqualTo(128_000);
    assertThat(entry.maxOutputTokens()).isEqualTo(16_384);
    assertThat(entry.price().source()).isEqualTo("litellm_model_prices.json");
  }

  @Test
  void gemini25ProFromTheSnapshotCostsMoreAbove200kInputTokens() {
    CatalogEntry entry = fromSnapshot("gemini/gemini-2.5-pro");

    assertThat(entry.price().base())
        .isEqualTo(new Rates(1_250_000_000, 125_000_000, 1_250_000_000, 10_000_000_000L, 10_000_000_000L));
    // This entry prices cache writes nowhere, so above 200k they cost that tier's input, as at base.
    // The _priority variants of the tier keys are not read.
    assertThat(entry.price().tiers()).containsExactly(new PriceTier(200_000,
        new Rates(2_500_000_000L, 250_000_000, 2_500_000_000L, 15_000_000_000L, 15_000_000_000L)));
  }

  @Test
  void modelsWithoutTokenPricesAreSkippedAndCounted() {
    fromSnapshot("gpt-4o-mini");

    assertThat(snapshot.skipped()).contains(
        new LitellmCatalogFormat.Skipped("1024-x-1024/dall-e-2", SkipReason.NO_TOKEN_PRICES, "no input_cost_per_token/output_cost_per_token"));
    assertThat(snapshot.entries()).extracting(CatalogEntry::model)
        .doesNotContain("1024-x-1024/dall-e-2", "sample_spec", "fallback_generalizations")
        .doesNotHaveDuplicates();
    // 2,984 top-level keys: every model is either priced or skipped; sample_spec and
    // fallback_generalizations are neither.
    assertThat(snapshot.entries().size() + snapshot.skipped().size()).isEqualTo(2982);
    assertThat(snapshot.skippedFor(SkipReason.NO_TOKEN_PRICES)).isGreaterThan(100);
  }

  @ParameterizedTest(name = "{0} USD per token → {1} nanos per Mtok")
  @CsvSource(textBlock = """
      1.5e-07,                 150000000,   false
      6e-07,                   600000000,   false
      3e-06,                   3000000000,  false
      2e-08,                   20000000,    false
      0.0000025,               2500000000,  false
      1e-15,                   1,           false
      0,                       0,           false
      0.0,                     0,           false
      2.9999900000000002e-06,  2999990000,  true
      1.5000999999999998e-07,  150010000,   true
      5e-16,                   1,           true
      """)
  void convertsUsdPerTokenWithoutFloatingPoint(String json, long nanosPerMTok, boolean rounded) throws IOException {
    Result result = read("{\"m\":{\"mode\":\"chat\",\"input_cost_per_token\":" + json + ",\"output_cost_per_token\":" + json + "}}");

    assertThat(only(result).price().base()).isEqualTo(Rates.of(nanosPerMTok, nanosPerMTok));
    assertThat(result.rounded()).hasSize(rounded ? 2 : 0);
  }

  @Test
  void tierPricesLeftOutKeepTheBaseOnesAndHigherTiersCarryLowerOnes() throws IOException {
    CatalogEntry entry = only(read("""
        {"m": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
               "cache_read_input_token_cost": 1e-07, "output_cost_per_reasoning_token": 3e-06,
               "input_cost_per_token_above_128k_tokens": 4e-06,
               "output_cost_per_token_above_128k_tokens": 5e-06,
               "input_cost_per_token_above_256k_tokens": 6e-06,
               "input_cost_per_token_above_128k_tokens_priority": 9e-06,
               "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 9e-06}}
        """));

    assertThat(entry.price().base()).isEqualTo(new Rates(1_000_000_000, 100_000_000, 1_000_000_000, 2_000_000_000, 3_000_000_000L));
    assertThat(entry.price().tiers()).containsExactly(
        // cache writes were never priced: they cost the tier's input, as they do at base
        new PriceTier(128_000, new Rates(4_000_000_000L, 100_000_000, 4_000_000_000L, 5_000_000_000L, 3_000_000_000L)),
        new PriceTier(256_000, new Rates(6_000_000_000L, 100_000_000, 6_000_000_000L, 5_000_000_000L, 3_000_000_000L)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      image model priced per image           | {"mode":"image_generation","output_cost_per_image":0.04}                         | NO_TOKEN_PRICES
      chat model without an input price      | {"mode":"chat","output_cost_per_token":1e-06}                                     | NO_TOKEN_PRICES
      chat model without an output price     | {"mode":"chat","input_cost_per_token":1e-06}                                      | NO_TOKEN_PRICES
      negative price                         | {"mode":"chat","input_cost_per_token":-1e-06,"output_cost_per_token":1e-06}       | UNREADABLE_PRICE
      price that is not a number             | {"mode":"chat","input_cost_per_token":"cheap","output_cost_per_token":1e-06}      | UNREADABLE_PRICE
      """)
  void entriesThatCannotBePricedPerTokenAreSkipped(String what, String spec, SkipReason reason) throws IOException {
    Result result = read("{\"m\":" + spec + ",\"ok\":{\"mode\":\"chat\",\"input_cost_per_token\":1e-06,\"output_cost_per_token\":1e-06}}");

    assertThat(result.entries()).extracting(CatalogEntry::model).containsExactly("ok");
    assertThat(result.skipped()).extracting(LitellmCatalogFormat.Skipped::model, LitellmCatalogFormat.Skipped::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("m", reason));
  }

  @Test
  void anEmbeddingNeedsNoOutputPriceAndLimitsWrittenAsFloatsAreRead() throws IOException {
    CatalogEntry entry = only(read("""
        {"mistral/mistral-embed": {"litellm_provider": "mistral", "mode": "embedding",
            "input_cost_per_token": 1e-07, "max_input_tokens": 8192.0, "max_output_tokens": "n/a"}}
        """));

    assertThat(entry.price().base()).isEqualTo(Rates.of(100_000_000, 0));
    assertThat(entry.maxInputTokens()).isEqualTo(8192);
    assertThat(entry.maxOutputTokens()).isNull();
  }

  @Test
  void refusesJsonThatIsNotAnObjectOfModels() {
    assertThatThrownBy(() -> read("[1, 2]")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{\"m\": ")).isInstanceOf(IOException.class);
  }

  @Test
  void metadataKeysAreNotModels() throws IOException {
    Result result = read("""
        {"sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "mode": "chat"},
         "last_updated": "2026-07-24", "m": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}
        """);

    assertThat(result.entries()).extracting(CatalogEntry::model).isEqualTo(List.of("m"));
    assertThat(result.skipped()).isEmpty();
  }
}
