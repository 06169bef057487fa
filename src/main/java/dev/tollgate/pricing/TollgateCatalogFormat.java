package dev.tollgate.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Tollgate's own price file, {@code tollgate-prices/1}: compact, exact and meant to be read by
 * people too.
 *
 * <pre>{@code
 * {"format":"tollgate-prices/1","source":"where the prices came from","models":{
 * "gpt-4o-mini":{"provider":"openai","mode":"chat","input_per_mtok":0.15,"output_per_mtok":0.6,
 *                "cached_input_per_mtok":0.075,"max_input_tokens":128000,"max_output_tokens":16384},
 * "gemini-2.5-pro":{...,"tiers":[{"above_input_tokens":200000,"input_per_mtok":2.5,"output_per_mtok":15}]}
 * }}
 * }</pre>
 *
 * <p>Prices are USD per million tokens, as JSON numbers or decimal strings, read as
 * {@link BigDecimal} and refused if finer than a nano-dollar. Left out: cached input and cache writes
 * cost the input price, reasoning the output price; in a tier, a price left out keeps the base one.
 * The writer leaves out exactly those, so a write then a read gives the same prices. The reader
 * refuses the whole file on any error (unknown keys included, so a misspelt price is never silently
 * the default) and names every bad key.
 *
 * <p>Read with Jackson's streaming parser only: the bundled catalog is read at start-up, and
 * jackson-databind's first use alone costs about 100 ms there.
 */
public final class TollgateCatalogFormat {

  public static final String FORMAT = "tollgate-prices/1";

  private static final Set<String> TOP_KEYS = Set.of("format", "source", "models");
  private static final Set<String> MODEL_KEYS = Set.of("provider", "mode", "input_per_mtok", "output_per_mtok",
      "cached_input_per_mtok", "cache_write_per_mtok", "reasoning_per_mtok", "max_input_tokens",
      "max_output_tokens", "tiers");
  private static final Set<String> TIER_KEYS = Set.of("above_input_tokens", "input_per_mtok", "output_per_mtok",
      "cached_input_per_mtok", "cache_write_per_mtok", "reasoning_per_mtok");

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private TollgateCatalogFormat() {}

  /** A price file's contents: a free-text note of where the prices came from, and the models. */
  public record Document(String source, List<CatalogEntry> entries) {
    public Document {
      entries = List.copyOf(entries);
    }
  }

  /** Reads a file; each price's source is the file's name. */
  public static Document read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    }
  }

  /**
   * Reads a price file.
   *
   * @param priceSource what each {@link Price#source()} will say, e.g. {@code catalog} or the file name
   * @throws IOException if the stream is not JSON or breaks any rule of the format; the message
   *     names every offending key
   */
  public static Document read(InputStream in, String priceSource) throws IOException {
    return fromValue(parse(in), priceSource);
  }

  /**
   * Parses JSON into plain values: {@code Map} (in file order), {@code List}, {@code String},
   * {@code BigDecimal} for every number, {@code Boolean} and {@code null}. A duplicate key is an error.
   */
  static Object parse(InputStream in) throws IOException {
    try (JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() == null) throw new IOException("empty file, expected a JSON object");
      Object root = value(parser);
      if (parser.nextToken() != null) throw new IOException("unexpected content after the JSON object");
      return root;
    }
  }

  private static Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          object.put(key, value(parser));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) array.add(value(parser));
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getDecimalValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return parser.getBooleanValue();
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected JSON token " + token);
    }
  }

  /** Whether parsed JSON says it is in some Tollgate format (rather than being LiteLLM's list). */
  static boolean declaresFormat(Object root) {
    return root instanceof Map<?, ?> map && map.get("format") instanceof String;
  }

  static Document fromValue(Object root, String priceSource) throws IOException {
    if (!(root instanceof Map<?, ?> top)) throw new IOException("not a price file: expected a JSON object");
    Problems problems = new Problems();
    if (!FORMAT.equals(top.get("format"))) {
      problems.add("format", "must be \"" + FORMAT + "\", got " + describe(top.get("format")));
    }
    problems.unknownKeys("", top, TOP_KEYS);
    Object source = top.get("source");
    if (source != null && !(source instanceof String)) problems.add("source", "must be a string");
    List<CatalogEntry> entries = new ArrayList<>();
    if (!(top.get("models") instanceof Map<?, ?> models)) {
      problems.add("models", "must be an object of model name → prices");
    } else {
      for (Map.Entry<?, ?> model : models.entrySet()) {
        CatalogEntry entry = entry((String) model.getKey(), model.getValue(), priceSource, problems);
        if (entry != null) entries.add(entry);
      }
    }
    problems.throwIfAny(priceSource);
    return new Document(source instanceof String text ? text : null, entries);
  }

  private static CatalogEntry entry(String model, Object value, String priceSource, Problems problems) {
    String path = "models." + model;
    if (model.isBlank()) {
      problems.add(path, "a model name cannot be blank");
      return null;
    }
    if (!(value instanceof Map<?, ?> spec)) {
      problems.add(path, "must be an object");
      return null;
    }
    int before = problems.count();
    problems.unknownKeys(path + ".", spec, MODEL_KEYS);
    Long input = problems.usdPerMTok(path, spec, "input_per_mtok", true);
    Long output = problems.usdPerMTok(path, spec, "output_per_mtok", true);
    Long cached = problems.usdPerMTok(path, spec, "cached_input_per_mtok", false);
    Long cacheWrite = problems.usdPerMTok(path, spec, "cache_write_per_mtok", false);
    Long reasoning = problems.usdPerMTok(path, spec, "reasoning_per_mtok", false);
    String provider = problems.text(path, spec, "provider");
    String mode = problems.text(path, spec, "mode");
    Integer maxInput = problems.tokenLimit(path, spec, "max_input_tokens");
    Integer maxOutput = problems.tokenLimit(path, spec, "max_output_tokens");
    if (problems.count() > before) return null;

    Rates base = new Rates(input, Objects.requireNonNullElse(cached, input),
        Objects.requireNonNullElse(cacheWrite, input), output, Objects.requireNonNullElse(reasoning, output));
    List<PriceTier> tiers = tiers(path, spec.get("tiers"), base, problems);
    if (problems.count() > before) return null;
    return new CatalogEntry(model, provider, mode, new Price(base, tiers, priceSource), maxInput, maxOutput);
  }

  private static List<PriceTier> tiers(String path, Object value, Rates base, Problems problems) {
    if (value == null) return List.of();
    if (!(value instanceof List<?> list)) {
      problems.add(path + ".tiers", "must be a list");
      return List.of();
    }
    List<PriceTier> tiers = new ArrayList<>();
    Set<Long> thresholds = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + ".tiers[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> tier)) {
        problems.add(at, "must be an object");
        continue;
      }
      problems.unknownKeys(at + ".", tier, TIER_KEYS);
      Long threshold = wholeNumber(tier.get("above_input_tokens"), 0, Long.MAX_VALUE);
      if (threshold == null) {
        problems.add(at + ".above_input_tokens", "must be a whole number of tokens ≥ 0, got "
            + describe(tier.get("above_input_tokens")));
        continue;
      }
      if (!thresholds.add(threshold)) problems.add(at + ".above_input_tokens", "repeats threshold " + threshold);
      Rates rates = new Rates(
          orElse(problems.usdPerMTok(at, tier, "input_per_mtok", false), base.inputNanosPerMTok()),
          orElse(problems.usdPerMTok(at, tier, "cached_input_per_mtok", false), base.cachedInputNanosPerMTok()),
          orElse(problems.usdPerMTok(at, tier, "cache_write_per_mtok", false), base.cacheWriteNanosPerMTok()),
          orElse(problems.usdPerMTok(at, tier, "output_per_mtok", false), base.outputNanosPerMTok()),
          orElse(problems.usdPerMTok(at, tier, "reasoning_per_mtok", false), base.reasoningNanosPerMTok()));
      tiers.add(new PriceTier(threshold, rates));
    }
    return tiers;
  }

  private static long orElse(Long given, long fallback) {
    return given != null ? given : fallback;
  }

  /** Writes a file whole or not at all: into a sibling temporary file, then moved over the target. */
  public static void write(Document document, Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    // Not Files.createTempFile: that makes the file owner-only, and the result is a public price list.
    Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW)) {
        write(document, out);
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes models ordered by name, one per line, so that a regenerated file diffs line by line. */
  public static void write(Document document, OutputStream out) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    writer.write("{\"format\":" + json(g -> g.writeString(FORMAT)));
    if (document.source() != null) writer.write(",\"source\":" + json(g -> g.writeString(document.source())));
    writer.write(",\"models\":{");
    String separator = "\n";
    for (CatalogEntry entry : document.entries().stream().sorted(Comparator.comparing(CatalogEntry::model)).toList()) {
      writer.write(separator);
      writer.write(json(g -> g.writeString(entry.model())));
      writer.write(':');
      writer.write(json(g -> writeModel(entry, g)));
      separator = ",\n";
    }
    writer.write("\n}}\n");
    writer.flush();
  }

  private static void writeModel(CatalogEntry entry, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (entry.provider() != null) g.writeStringField("provider", entry.provider());
    if (entry.mode() != null) g.writeStringField("mode", entry.mode());
    Rates base = entry.price().base();
    writeUsd(g, "input_per_mtok", base.inputNanosPerMTok());
    writeUsd(g, "output_per_mtok", base.outputNanosPerMTok());
    writeIfDifferent(g, "cached_input_per_mtok", base.cachedInputNanosPerMTok(), base.inputNanosPerMTok());
    writeIfDifferent(g, "cache_write_per_mtok", base.cacheWriteNanosPerMTok(), base.inputNanosPerMTok());
    writeIfDifferent(g, "reasoning_per_mtok", base.reasoningNanosPerMTok(), base.outputNanosPerMTok());
    if (entry.maxInputTokens() != null) g.writeNumberField("max_input_tokens", entry.maxInputTokens());
    if (entry.maxOutputTokens() != null) g.writeNumberField("max_output_tokens", entry.maxOutputTokens());
    if (!entry.price().tiers().isEmpty()) {
      g.writeArrayFieldStart("tiers");
      for (PriceTier tier : entry.price().tiers()) {
        Rates rates = tier.rates();
        g.writeStartObject();
        g.writeNumberField("above_input_tokens", tier.aboveInputTokens());
        writeIfDifferent(g, "input_per_mtok", rates.inputNanosPerMTok(), base.inputNanosPerMTok());
        writeIfDifferent(g, "output_per_mtok", rates.outputNanosPerMTok(), base.outputNanosPerMTok());
        writeIfDifferent(g, "cached_input_per_mtok", rates.cachedInputNanosPerMTok(), base.cachedInputNanosPerMTok());
        writeIfDifferent(g, "cache_write_per_mtok", rates.cacheWriteNanosPerMTok(), base.cacheWriteNanosPerMTok());
        writeIfDifferent(g, "reasoning_per_mtok", rates.reasoningNanosPerMTok(), base.reasoningNanosPerMTok());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writeIfDifferent(JsonGenerator g, String key, long nanosPerMTok, long impliedNanosPerMTok)
      throws IOException {
    if (nanosPerMTok != impliedNanosPerMTok) writeUsd(g, key, nanosPerMTok);
  }

  /** Nano-dollars per million tokens as USD per million tokens in plain decimal: 150_000_000 → 0.15. */
  private static void writeUsd(JsonGenerator g, String key, long nanosPerMTok) throws IOException {
    g.writeFieldName(key);
    g.writeNumber(BigDecimal.valueOf(nanosPerMTok, 9).stripTrailingZeros().toPlainString());
  }

  private interface JsonWriting {
    void write(JsonGenerator generator) throws IOException;
  }

  private static String json(JsonWriting writing) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(text)) {
      writing.write(generator);
    }
    return text.toString();
  }

  private static Long wholeNumber(Object value, long min, long max) {
    if (!(value instanceof BigDecimal number)) return null;
    try {
      long whole = number.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
      return whole >= min && whole <= max ? whole : null;
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static String describe(Object value) {
    if (value == null) return "nothing";
    if (value instanceof String text) return "\"" + text + "\"";
    if (value instanceof BigDecimal number) return number.toPlainString();
    if (value instanceof Map<?, ?>) return "an object";
    if (value instanceof List<?>) return "a list";
    return value.toString();
  }

  /** Collects every error of a file, each with its key path, so one run can fix them all. */
  private static final class Problems {
    private final List<String> messages = new ArrayList<>();

    void add(String path, String message) {
      messages.add(path + ": " + message);
    }

    int count() {
      return messages.size();
    }

    void unknownKeys(String prefix, Map<?, ?> object, Set<String> known) {
      for (Object key : object.keySet()) {
        if (!known.contains(key)) {
          messages.add(prefix + key + ": unknown key (expected one of " + known.stream().sorted().toList() + ")");
        }
      }
    }

    /** A price in nano-dollars per million tokens, or {@code null} if absent (and not required). */
    Long usdPerMTok(String path, Map<?, ?> object, String key, boolean required) {
      Object value = object.get(key);
      if (value == null) {
        if (required) add(path + "." + key, "is required (USD per million tokens)");
        return null;
      }
      BigDecimal usd;
      try {
        if (value instanceof BigDecimal number) usd = number;
        else if (value instanceof String text) usd = new BigDecimal(text.trim());
        else throw new NumberFormatException();
      } catch (NumberFormatException e) {
        add(path + "." + key, "must be a decimal number of USD per million tokens, got " + describe(value));
        return null;
      }
      if (usd.signum() < 0) {
        add(path + "." + key, "cannot be negative, got " + usd.toPlainString());
        return null;
      }
      try {
        return usd.movePointRight(9).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
      } catch (ArithmeticException e) {
        add(path + "." + key, usd.toPlainString() + " is finer than a nano-dollar per million tokens or too large");
        return null;
      }
    }

    String text(String path, Map<?, ?> object, String key) {
      Object value = object.get(key);
      if (value == null || value instanceof String) return (String) value;
      add(path + "." + key, "must be a string, got " + describe(value));
      return null;
    }

    Integer tokenLimit(String path, Map<?, ?> object, String key) {
      Object value = object.get(key);
      if (value == null) return null;
      Long limit = wholeNumber(value, 1, Integer.MAX_VALUE);
      if (limit == null) add(path + "." + key, "must be a whole number of tokens > 0, got " + describe(value));
      return limit == null ? null : limit.intValue();
    }

    void throwIfAny(String source) throws IOException {
      if (messages.isEmpty()) return;
      throw new IOException(source + " is not a valid " + FORMAT + " price file (" + messages.size()
          + (messages.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", messages));
    }
  }
}
