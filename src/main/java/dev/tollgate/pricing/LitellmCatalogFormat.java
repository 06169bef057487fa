package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public model price catalog that LiteLLM publishes
 * ({@code model_prices_and_context_window.json}): one JSON object per model name, prices in USD per
 * token as JSON numbers such as {@code 1.5e-07}.
 *
 * <p>Numbers are read as {@link BigDecimal}, never as doubles, and shifted by 10¹⁵ into nano-dollars
 * per million tokens, so $0.15/M arrives as exactly {@code 150_000_000}. Some entries carry float
 * noise finer than that ({@code 2.9999900000000002e-06}); those are rounded half up to the nearest
 * nano-dollar per million tokens and listed in {@link Result#rounded}, an error of at most
 * $0.0000000005 per million tokens.
 *
 * <p>Only per-token prices are read. Entries without them (image, audio and video models priced per
 * image, second or character) are skipped and listed, never priced at zero.
 */
public final class LitellmCatalogFormat {

  /** Top-level keys that are documentation or routing rules, not models. */
  private static final Set<String> NOT_MODELS = Set.of("sample_spec", "fallback_generalizations");

  private static final String INPUT = "input_cost_per_token";
  private static final String OUTPUT = "output_cost_per_token";
  private static final String CACHE_READ = "cache_read_input_token_cost";
  private static final String CACHE_WRITE = "cache_creation_input_token_cost";
  private static final String REASONING = "output_cost_per_reasoning_token";
  /** Kinds in the order of {@link #rates}: input, cache read, cache write, output. */
  private static final List<String> TIERED_KINDS = List.of(INPUT, CACHE_READ, CACHE_WRITE, OUTPUT);
  /**
   * Anchored, so the variants we do not bill ({@code ..._above_200k_tokens_priority},
   * {@code cache_creation_input_token_cost_above_1hr_above_200k_tokens}) are not taken for tiers.
   */
  private static final Pattern TIER_KEY = Pattern.compile(
      "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)"
          + "_above_(\\d{1,9})k_tokens");

  /** USD per token → nano-dollars per million tokens: 10⁹ × 10⁶. */
  private static final int USD_PER_TOKEN_TO_NANOS_PER_MTOK = 15;

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private LitellmCatalogFormat() {}

  /** Why an entry was left out. */
  public enum SkipReason {
    /** The entry has no per-token input and output price (image, audio, per-second models…). */
    NO_TOKEN_PRICES,
    /** A price is not a non-negative number. */
    UNREADABLE_PRICE
  }

  public record Skipped(String model, SkipReason reason, String detail) {}

  /**
   * What one read produced.
   *
   * @param entries the priced models, in the file's order
   * @param skipped the models left out, with the reason
   * @param rounded {@code model: key} of each price that was finer than a nano-dollar per million tokens
   */
  public record Result(List<CatalogEntry> entries, List<Skipped> skipped, List<String> rounded) {

    public Result {
      entries = List.copyOf(entries);
      skipped = List.copyOf(skipped);
      rounded = List.copyOf(rounded);
    }

    public long skippedFor(SkipReason reason) {
      return skipped.stream().filter(s -> s.reason() == reason).count();
    }
  }

  /** Reads a file; each price's source is the file's name. */
  public static Result read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    }
  }

  /**
   * Reads a catalog.
   *
   * @param priceSource what each {@link Price#source()} will say, e.g. the file name
   * @throws IOException if the stream is not JSON or its top level is not an object
   */
  public static Result read(InputStream in, String priceSource) throws IOException {
    return fromTree(MAPPER.readTree(in), priceSource);
  }

  static Result fromTree(JsonNode root, String priceSource) throws IOException {
    if (root == null || !root.isObject()) {
      throw new IOException("not a LiteLLM price catalog: the top level must be a JSON object of models");
    }
    List<CatalogEntry> entries = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    List<String> rounded = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String model = field.getKey();
      JsonNode spec = field.getValue();
      // Non-object values are metadata some mirrors add (e.g. "last_updated"), not models.
      if (NOT_MODELS.contains(model) || !spec.isObject() || model.isBlank()) continue;
      try {
        CatalogEntry entry = entry(model, spec, priceSource, rounded);
        if (entry == null) {
          skipped.add(new Skipped(model, SkipReason.NO_TOKEN_PRICES, "no " + INPUT + "/" + OUTPUT));
        } else {
          entries.add(entry);
        }
      } catch (UnreadablePrice e) {
        skipped.add(new Skipped(model, SkipReason.UNREADABLE_PRICE, e.getMessage()));
      }
    }
    return new Result(entries, skipped, rounded);
  }

  /** The entry, or {@code null} when the model has no per-token prices. */
  private static CatalogEntry entry(String model, JsonNode spec, String priceSource, List<String> rounded)
      throws UnreadablePrice {
    String mode = text(spec, "mode");
    boolean hasInput = spec.hasNonNull(INPUT);
    // An embedding returns vectors, not tokens: a missing output price there means nothing to bill.
    boolean hasOutput = spec.hasNonNull(OUTPUT) || (hasInput && "embedding".equals(mode));
    if (!hasInput || !hasOutput) return null;

    Prices prices = new Prices(model, rounded);
    Long[] baseExplicit = {
      prices.of(spec, INPUT), prices.of(spec, CACHE_READ), prices.of(spec, CACHE_WRITE),
      spec.hasNonNull(OUTPUT) ? prices.of(spec, OUTPUT) : Long.valueOf(0)
    };
    Long reasoning = prices.of(spec, REASONING);
    Rates base = rates(baseExplicit, reasoning);

    // threshold in tokens → explicit tier prices in TIERED_KINDS order (null where not given)
    TreeMap<Long, Long[]> tierPrices = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : spec.properties()) {
      Matcher m = TIER_KEY.matcher(field.getKey());
      if (!m.matches()) continue;
      long threshold = Long.parseLong(m.group(2)) * 1000;
      tierPrices.computeIfAbsent(threshold, t -> new Long[TIERED_KINDS.size()])
          [TIERED_KINDS.indexOf(m.group(1))] = prices.of(spec, field.getKey());
    }
    // A tier that leaves a kind out keeps the price that applied just below it: the next lower
    // tier's, else the base's. A kind never given anywhere falls back as Rates does.
    List<PriceTier> tiers = new ArrayList<>();
    Long[] carried = baseExplicit.clone();
    for (Map.Entry<Long, Long[]> tier : tierPrices.entrySet()) {
      Long[] given = tier.getValue();
      for (int kind = 0; kind < given.length; kind++) {
        if (given[kind] != null) carried[kind] = given[kind];
      }
      tiers.add(new PriceTier(tier.getKey(), rates(carried, reasoning)));
    }
    return new CatalogEntry(model, text(spec, "litellm_provider"), mode, new Price(base, tiers, priceSource),
        tokenLimit(spec, "max_input_tokens"), tokenLimit(spec, "max_output_tokens"));
  }

  /** Explicit prices (input, cache read, cache write, output) → rates with the usual fallbacks. */
  private static Rates rates(Long[] explicit, Long reasoning) {
    long input = explicit[0];
    long output = explicit[3];
    return new Rates(input, explicit[1] != null ? explicit[1] : input, explicit[2] != null ? explicit[2] : input,
        output, reasoning != null ? reasoning : output);
  }

  /** Reads one model's prices, noting each one that had to be rounded. */
  private record Prices(String model, List<String> rounded) {

    Long of(JsonNode spec, String key) throws UnreadablePrice {
      JsonNode node = spec.get(key);
      if (node == null || node.isNull()) return null;
      BigDecimal usdPerToken;
      if (node.isNumber()) {
        usdPerToken = node.decimalValue();
      } else if (node.isTextual()) {
        try {
          usdPerToken = new BigDecimal(node.textValue().trim());
        } catch (NumberFormatException e) {
          throw new UnreadablePrice(key + " is not a number: \"" + node.textValue() + "\"");
        }
      } else {
        throw new UnreadablePrice(key + " is not a number: " + node);
      }
      if (usdPerToken.signum() < 0) throw new UnreadablePrice(key + " is negative: " + usdPerToken);
      BigDecimal nanosPerMTok = usdPerToken.movePointRight(USD_PER_TOKEN_TO_NANOS_PER_MTOK);
      BigDecimal whole = nanosPerMTok.setScale(0, RoundingMode.HALF_UP);
      if (whole.compareTo(nanosPerMTok) != 0) rounded.add(model + ": " + key);
      try {
        return whole.longValueExact();
      } catch (ArithmeticException e) {
        throw new UnreadablePrice(key + " is too large: " + usdPerToken);
      }
    }
  }

  private static final class UnreadablePrice extends Exception {
    UnreadablePrice(String message) {
      super(message, null, false, false);
    }
  }

  private static String text(JsonNode spec, String key) {
    JsonNode node = spec.get(key);
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  /** A positive whole number of tokens (some entries write 2000000.0), else {@code null}. */
  private static Integer tokenLimit(JsonNode spec, String key) {
    JsonNode node = spec.get(key);
    if (node == null || !node.isNumber()) return null;
    try {
      int limit = node.decimalValue().intValueExact();
      return limit > 0 ? limit : null;
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
