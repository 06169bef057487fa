package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.pricing.LitellmCatalogFormat;
import dev.tollgate.pricing.TollgateCatalogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class PricesCommandTest {

  static final Path SNAPSHOT = Path.of("prices-source", "litellm_model_prices.json");

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new PricesCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @ParameterizedTest(name = "lookup {0}")
  @CsvSource(textBlock = """
      gpt-4o-mini,        gpt-4o-mini
      openai/gpt-4o-mini, gpt-4o-mini (asked for openai/gpt-4o-mini)
      """)
  void lookupPrintsRatesInUsdPerMillionTokensAndLimits(String model, String heading) {
    Run run = run("lookup", model);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo(heading);
    assertThat(run.out()).contains("openai", "chat", "source:             catalog", "128000", "16384");
    // input 0.15, cached input 0.075, cache write 0.15, output 0.6, reasoning 0.6: LiteLLM's 1.5e-07, 7.5e-08, 6e-07
    assertThat(lines).anySatisfy(line -> assertThat(line.trim().split("\\s+"))
        .containsExactly("base", "0.15", "0.075", "0.15", "0.6", "0.6"));
  }

  @Test
  void lookupShowsTiers() {
    Run run = run("lookup", "gemini/gemini-2.5-pro");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).anySatisfy(line -> assertThat(line.trim().split("\\s+"))
        .containsExactly("above", "200000", "input", "2.5", "0.25", "2.5", "15", "15"));
  }

  @Test
  void lookupOfAnUnknownModelNamesTheClosestOnesAndExitsOne() {
    Run run = run("lookup", "gpt-4o-minni");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    String prefix = "no price for gpt-4o-minni; closest: ";
    assertThat(run.err()).startsWith(prefix);
    List<String> closest = Arrays.asList(run.err().strip().substring(prefix.length()).split(", "));
    assertThat(closest).hasSize(3).contains("gpt-4o-mini")
        .allSatisfy(name -> assertThat(BundledCatalog.load().find(name)).isPresent());
  }

  @Test
  void lookupLayersACatalogFileOverTheBundledOne() throws IOException {
    Path prices = file("ours.json", """
        {"format": "tollgate-prices/1", "models": {
          "acme-llm": {"provider": "acme", "mode": "chat", "input_per_mtok": "0.05", "output_per_mtok": 0.25},
          "gpt-4o-mini": {"provider": "openai", "mode": "chat", "input_per_mtok": 0.1, "output_per_mtok": 0.4}}}
        """);

    Run own = run("lookup", "acme-llm", "--catalog", prices.toString());
    Run overridden = run("lookup", "gpt-4o-mini", "--catalog", prices.toString());
    Run fromBundle = run("lookup", "gemini/gemini-2.5-pro", "--catalog", prices.toString());

    assertThat(own.exitCode()).isZero();
    assertThat(own.out()).contains("source:             ours.json");
    assertThat(own.out().lines()).anySatisfy(line -> assertThat(line.trim().split("\\s+"))
        .containsExactly("base", "0.05", "0.05", "0.05", "0.25", "0.25"));
    assertThat(overridden.out().lines()).anySatisfy(line -> assertThat(line.trim().split("\\s+"))
        .containsExactly("base", "0.1", "0.1", "0.1", "0.4", "0.4"));
    assertThat(fromBundle.out()).contains("source:             catalog");
  }

  @Test
  void lookupRefusesABadCatalogFileNamingEveryBadKey() throws IOException {
    Path prices = file("typo.json", """
        {"format": "tollgate-prices/1", "models": {
          "a": {"input_per_mtoks": 0.05, "output_per_mtok": 0.25},
          "b": {"input_per_mtok": 0.0000000001, "output_per_mtok": -1}}}
        """);

    Run run = run("lookup", "a", "--catalog", prices.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("typo.json", "models.a.input_per_mtoks: unknown key", "models.a.input_per_mtok: is required",
        "models.b.input_per_mtok", "finer than a nano-dollar", "models.b.output_per_mtok: cannot be negative");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      our format without its format key  | {"models": {"a": {"input_per_mtok": 1, "output_per_mtok": 2}}}                | prices no model
      LiteLLM list with a bad price      | {"a": {"mode": "chat", "input_cost_per_token": "x", "output_cost_per_token": 1e-06}} | cannot be read
      duplicate model                    | {"format": "tollgate-prices/1", "models": {"a": {}, "a": {}}}                 | Duplicate
      not JSON                           | prices: cheap                                                                 | prices.json
      """)
  void lookupRefusesACatalogFileThatWouldQuietlyPriceNothingOrWrong(String what, String content, String message)
      throws IOException {
    Run run = run("lookup", "gpt-4o-mini", "--catalog", file("prices.json", content).toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("cannot read price catalog").contains(message);
  }

  @Test
  void importConvertsLitellmPricesAndTheResultReadsBackTheSame() throws IOException {
    Path input = file("litellm.json", """
        {"sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "mode": "chat"},
         "gemini/gemini-2.5-pro": {"litellm_provider": "gemini", "mode": "chat", "max_input_tokens": 1048576,
            "max_output_tokens": 65535, "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
            "cache_read_input_token_cost": 1.25e-07, "input_cost_per_token_above_200k_tokens": 2.5e-06,
            "output_cost_per_token_above_200k_tokens": 1.5e-05, "cache_read_input_token_cost_above_200k_tokens": 2.5e-07},
         "o3": {"litellm_provider": "openai", "mode": "responses", "input_cost_per_token": 2e-06,
            "output_cost_per_token": 8e-06, "output_cost_per_reasoning_token": 9e-06, "cache_creation_input_token_cost": 3e-06},
         "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08,
            "output_cost_per_token": 0.0, "max_input_tokens": 8191},
         "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
         "rerank-v3.5": {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_token": 0.0,
            "output_cost_per_token": 0.0, "input_cost_per_query": 0.002}}
        """);
    Path output = dir.resolve("catalog.json");

    Run run = run("import", input.toString(), "--out", output.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("imported 3 models", "skipped 2", "1 without per-token prices", "1 in other modes");
    List<CatalogEntry> expected = LitellmCatalogFormat.read(input).entries().stream()
        .filter(e -> Set.of("chat", "embedding", "completion", "responses").contains(e.mode()))
        .map(PricesCommandTest::ignoringSource).toList();
    TollgateCatalogFormat.Document written = TollgateCatalogFormat.read(output);
    assertThat(written.entries()).map(PricesCommandTest::ignoringSource).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(written.source()).isEqualTo("litellm.json");
    assertThat(BundledCatalog.loadFile(output).size()).isEqualTo(3);
  }

  @Test
  void importOfTheSharedSnapshotReproducesTheBundledCatalogByteForByte() throws IOException {
    Path output = dir.resolve("catalog.json");

    Run run = run("import", SNAPSHOT.toString(), "--out", output.toString(),
        "--source", "LiteLLM model_prices_and_context_window.json (MIT), snapshot 2026-07-24");

    assertThat(run.exitCode()).isZero();
    byte[] bundled;
    try (InputStream in = BundledCatalog.class.getResourceAsStream(BundledCatalog.RESOURCE)) {
      bundled = in.readAllBytes();
    }
    assertThat(Files.readString(output)).isEqualTo(new String(bundled, StandardCharsets.UTF_8));
    assertThat(run.out()).contains("imported " + BundledCatalog.load().size() + " models");
  }

  @Test
  void everySnapshotPriceSurvivesTheRoundTripThroughOurFormat() throws IOException {
    Path output = dir.resolve("all.json");

    Run run = run("import", SNAPSHOT.toString(), "--out", output.toString(),
        "--modes", "chat,embedding,completion,responses,realtime,rerank,audio_speech,audio_transcription,"
            + "image_generation,moderation,ocr");

    assertThat(run.exitCode()).isZero();
    List<CatalogEntry> read = LitellmCatalogFormat.read(SNAPSHOT).entries().stream()
        .filter(e -> e.mode() != null).map(PricesCommandTest::ignoringSource).toList();
    assertThat(TollgateCatalogFormat.read(output).entries()).map(PricesCommandTest::ignoringSource)
        .containsExactlyInAnyOrderElementsOf(read);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON                  | {"gpt-4o": {                                | cannot read
      JSON but not an object    | [1, 2, 3]                                   | cannot read
      no per-token prices       | {"dall-e-3": {"output_cost_per_image": 0.04}} | no model in it has per-token prices
      """)
  void importRefusesUnreadableInputWithExitTwoAndWritesNothing(String what, String content, String message)
      throws IOException {
    Path input = file("in.json", content);
    Path output = dir.resolve("out.json");

    Run run = run("import", input.toString(), "--out", output.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message).contains("in.json");
    assertThat(output).doesNotExist();
  }

  @Test
  void importOfAMissingFileSaysSo() {
    Run run = run("import", dir.resolve("nope.json").toString(), "--out", dir.resolve("out.json").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read", "nope.json", "no such file");
  }

  private static CatalogEntry ignoringSource(CatalogEntry e) {
    Price p = e.price();
    return new CatalogEntry(e.model(), e.provider(), e.mode(), new Price(p.base(), p.tiers(), "-"),
        e.maxInputTokens(), e.maxOutputTokens());
  }
}
