package dev.tollgate.domain.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceCatalogTest {

  private static CatalogEntry entry(String model, String provider, long inputNanosPerMTok) {
    return new CatalogEntry(model, provider, "chat", Price.flat(Rates.of(inputNanosPerMTok, 1), "test"), null, null);
  }

  private static final PriceCatalog CATALOG = PriceCatalog.of(List.of(
      entry("gpt-4o-mini", "openai", 1),
      entry("gpt-4o-mini-2024-07-18", "openai", 2),
      entry("replicate/openai/gpt-4o-mini", "replicate", 3),
      entry("openai/gpt-4o", "openai", 4),
      entry("vertex_ai/gemini-2.5-pro", "vertex_ai", 5),
      entry("gemini/gemini-2.5-pro", "gemini", 6),
      entry("anthropic/claude-sonnet-4-5", "anthropic", 7),
      entry("openrouter/anthropic/claude-sonnet-4-5", "openrouter", 8),
      entry("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai", 9)));

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(nullValues = "none", textBlock = """
      gpt-4o-mini,                            gpt-4o-mini
      openai/gpt-4o-mini,                     gpt-4o-mini
      azure/gpt-4o-mini,                      gpt-4o-mini
      replicate/openai/gpt-4o-mini,           replicate/openai/gpt-4o-mini
      gpt-4o,                                 openai/gpt-4o
      openai/gpt-4o,                          openai/gpt-4o
      gemini-2.5-pro,                         gemini/gemini-2.5-pro
      vertex_ai/gemini-2.5-pro,               vertex_ai/gemini-2.5-pro
      google/gemini-2.5-pro,                  gemini/gemini-2.5-pro
      claude-sonnet-4-5,                      anthropic/claude-sonnet-4-5
      openrouter/claude-sonnet-4-5,           openrouter/anthropic/claude-sonnet-4-5
      meta-llama/Llama-3.3-70B-Instruct-Turbo, together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo
      gpt-4o-mini-2024-07-18,                 gpt-4o-mini-2024-07-18
      gpt-4o-mini-2024,                       none
      gpt-4,                                  none
      gpt-4o-2024-08-06,                      none
      claude-sonnet-4,                        none
      Llama-3.3-70B-Instruct,                 none
      GPT-4O-MINI,                            none
      """)
  void findsTheSameModelBehindAnyProviderPrefixButNeverAnotherModel(String requested, String expected) {
    assertThat(CATALOG.find(requested).map(CatalogEntry::model)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void blankOrMissingNamesFindNothing() {
    assertThat(CATALOG.find(null)).isEmpty();
    assertThat(CATALOG.find(" ")).isEmpty();
    assertThat(PriceCatalog.EMPTY.find("gpt-4o-mini")).isEmpty();
  }

  @Test
  void layeredEntriesWinOnTheSameNameAndTheBaseFillsTheRest() {
    PriceCatalog override = PriceCatalog.of(List.of(entry("gpt-4o-mini", "openai", 99), entry("acme-llm", "acme", 98)));

    PriceCatalog layered = override.layeredOver(CATALOG);

    assertThat(layered.find("gpt-4o-mini").orElseThrow().price().base().inputNanosPerMTok()).isEqualTo(99);
    assertThat(layered.find("acme-llm")).isPresent();
    assertThat(layered.find("openai/gpt-4o")).isEqualTo(CATALOG.find("openai/gpt-4o"));
    assertThat(layered.size()).isEqualTo(CATALOG.size() + 1);
    assertThat(CATALOG.find("gpt-4o-mini").orElseThrow().price().base().inputNanosPerMTok()).isEqualTo(1);
  }

  @Test
  void refusesTheSameModelPricedTwice() {
    assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("m", "a", 1), entry("m", "b", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m");
  }

  @Test
  void sizeCountsEntriesAndEntriesAreOrderedByName() {
    assertThat(CATALOG.size()).isEqualTo(9);
    List<String> names = CATALOG.entries().stream().map(CatalogEntry::model).toList();
    assertThat(names).isSorted().hasSize(9);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      gpt4o-mini                  | gpt-4o-mini
      gpt-4o-mimi                 | gpt-4o-mini
      claude-sonet-4-5            | anthropic/claude-sonnet-4-5
      anthropic/claude-sonnet-4.5 | anthropic/claude-sonnet-4-5
      gemini-2.5-pr               | gemini/gemini-2.5-pro
      GPT-4O                      | openai/gpt-4o
      """)
  void closestNamesPutTheLikelyTypoFirst(String typo, String intended) {
    List<String> closest = CATALOG.closestNames(typo, 3);

    assertThat(closest).hasSize(3).first().isEqualTo(intended);
    assertThat(closest).doesNotHaveDuplicates().allSatisfy(name -> assertThat(CATALOG.find(name)).isPresent());
  }

  @Test
  void closestNamesReturnsAtMostNAndNothingFromAnEmptyCatalog() {
    assertThat(CATALOG.closestNames("x", 0)).isEmpty();
    assertThat(CATALOG.closestNames("x", 100)).hasSize(CATALOG.size());
    assertThat(PriceCatalog.EMPTY.closestNames("x", 3)).isEmpty();
  }
}
