package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state of one parse: where errors go, the environment, the file's directory. Its scalar readers
 * turn a Jackson node into a typed value; each returns null when the node is absent or when it is
 * invalid, and in the second case has recorded an error with the key path. So a caller can skip its
 * cross-checks on null without reporting the same problem twice.
 */
final class ParseContext {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  static final String DURATION_HELP = "a duration such as 250ms, 5s, 2m or 1h, or a whole number of milliseconds";

  final String file;
  final Path baseDir;
  private final EnvInterpolation env;
  private final List<ConfigError> errors = new ArrayList<>();

  ParseContext(String file, Path baseDir, EnvInterpolation env) {
    this.file = file;
    this.baseDir = baseDir;
    this.env = env;
  }

  void error(String keyPath, String message) {
    errors.add(new ConfigError(file, keyPath, message));
  }

  int errorCount() {
    return errors.size();
  }

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  /** Drops the errors recorded after the first {@code count}. */
  void truncateErrors(int count) {
    errors.subList(count, errors.size()).clear();
  }

  // ---- key paths and messages

  static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  /** The value quoted for a message, or a placeholder when the key may hold a secret. */
  static String show(String keyPath, String value) {
    return EnvInterpolation.isSecretKey(keyPath) ? "(value hidden)" : "'" + value + "'";
  }

  static String listOrNone(Iterable<String> names) {
    String joined = String.join(", ", names);
    return joined.isEmpty() ? "none" : joined;
  }

  static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.textValue().isEmpty());
  }

  static String kind(JsonNode node) {
    if (node.isObject()) return "a mapping";
    if (node.isArray()) return "a list";
    if (node.isNumber()) return "a number";
    if (node.isBoolean()) return "true/false";
    return "text";
  }

  // ---- scalars

  /** Text of a scalar after environment substitution; null when absent, empty after substitution, or invalid. */
  String text(String path, JsonNode node) {
    if (absent(node)) return null;
    if (node.isContainerNode()) {
      error(path, "must be a single value, not " + kind(node));
      return null;
    }
    String raw = node.isTextual() ? node.textValue() : node.asText();
    if (!node.isTextual()) return raw;
    String value = env.interpolate(raw, file, path, errors);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Like {@link #text} but reports a missing value. */
  String requiredText(String path, JsonNode node, String help) {
    int before = errorCount();
    String value = text(path, node);
    if (value == null && errorCount() == before) {
      String why = absent(node) ? "is required" : "is required but is empty after substituting environment variables";
      error(path, help == null ? why : why + "; " + help);
    }
    return value;
  }

  /** A decimal number, from a YAML number or a numeric string; never via double. */
  BigDecimal decimal(String path, JsonNode node) {
    if (absent(node)) return null;
    if (node.isNumber()) return node.decimalValue();
    if (node.isBoolean()) {
      error(path, "must be a number, not true/false");
      return null;
    }
    String text = text(path, node);
    if (text == null) return null;
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      error(path, "must be a number, got " + show(path, text));
      return null;
    }
  }

  /** A whole number in [min, max]. */
  Long whole(String path, JsonNode node, long min, long max) {
    BigDecimal d = decimal(path, node);
    if (d == null) return null;
    String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    try {
      long v = d.stripTrailingZeros().longValueExact();
      if (v >= min && v <= max) return v;
    } catch (ArithmeticException e) {
      // fractional or beyond a long: reported below
    }
    error(path, "must be a whole number " + range + "; got " + d.toPlainString());
    return null;
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare whole number of milliseconds. */
  Duration duration(String path, JsonNode node, boolean allowZero) {
    if (absent(node)) return null;
    String text = node.isNumber() ? node.decimalValue().toPlainString() : text(path, node);
    if (text == null) return null;
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches() || node.isBoolean()) {
      error(path, "must be " + DURATION_HELP + "; got " + show(path, text));
      return null;
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      error(path, "is too long; got " + show(path, text));
      return null;
    }
    if (d.isZero() && !allowZero) {
      error(path, "must be longer than zero; got " + show(path, text));
      return null;
    }
    return d;
  }

  /** A list of texts; null when absent or not a list. */
  List<String> texts(String path, JsonNode node) {
    if (absent(node)) return null;
    if (!node.isArray()) {
      error(path, "must be a list like [a, b], not " + kind(node));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String p = index(path, i);
      String v = requiredText(p, node.get(i), null);
      if (v != null) out.add(v);
    }
    return List.copyOf(out);
  }

  /**
   * A mapping of text to text, in file order, unmodifiable; null when absent or not a mapping. An entry
   * whose value is empty (after substitution) is left out, so {@code X-Org: ${ORG:-}} sends nothing.
   */
  Map<String, String> textMap(String path, JsonNode node) {
    if (absent(node)) return null;
    if (!node.isObject()) {
      error(path, "must be a mapping like { name: value }, not " + kind(node));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      String v = text(join(path, e.getKey()), e.getValue());
      if (v != null) out.put(e.getKey(), v);
    });
    return Collections.unmodifiableMap(out);
  }

  /** The entries of a mapping of user-chosen names ({@code providers}, {@code models}, …), in file order. */
  Map<String, JsonNode> entries(String path, JsonNode node) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (absent(node)) return out;
    if (!node.isObject()) {
      error(path, "must be a mapping of names to settings, not " + kind(node));
      return out;
    }
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The elements of a list; empty when absent or not a list. */
  List<JsonNode> elements(String path, JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (absent(node)) return out;
    if (!node.isArray()) {
      error(path, "must be a list (lines starting with '- '), not " + kind(node));
      return out;
    }
    node.forEach(out::add);
    return out;
  }
}
