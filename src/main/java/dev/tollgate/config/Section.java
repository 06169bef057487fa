package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One YAML mapping with a fixed set of allowed keys, read at a key path. Unknown keys are reported
 * when the section is opened; the typed readers delegate to {@link ParseContext}.
 */
final class Section {

  private final ParseContext ctx;
  private final String path;
  private final ObjectNode node;

  private Section(ParseContext ctx, String path, ObjectNode node) {
    this.ctx = ctx;
    this.path = path;
    this.node = node;
  }

  /**
   * Opens {@code node} as a mapping. An absent node gives an empty section (every key at its default);
   * a node of another kind is reported and also gives an empty section.
   */
  static Section of(ParseContext ctx, String path, JsonNode node, List<String> allowed) {
    if (ParseContext.absent(node)) return new Section(ctx, path, JsonNodeFactory.instance.objectNode());
    if (!node.isObject()) {
      ctx.error(path, "must be a mapping (key: value lines or { key: value }), not " + ParseContext.kind(node));
      return new Section(ctx, path, JsonNodeFactory.instance.objectNode());
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!allowed.contains(key)) ctx.error(ParseContext.join(path, key), unknownKey(key, path, allowed));
    });
    return new Section(ctx, path, (ObjectNode) node);
  }

  static String unknownKey(String key, String path, List<String> allowed) {
    String where = path.isEmpty() ? "at the top level" : "under " + path;
    String hint = closest(key, allowed);
    return "unknown key '" + key + "' " + where + (hint == null ? "" : " (did you mean '" + hint + "'?)")
        + "; allowed: " + String.join(", ", allowed);
  }

  ParseContext context() {
    return ctx;
  }

  String path() {
    return path;
  }

  String path(String key) {
    return ParseContext.join(path, key);
  }

  /** Records an error at this section's {@code key}. */
  void error(String key, String message) {
    ctx.error(path(key), message);
  }

  JsonNode raw(String key) {
    return node.get(key);
  }

  boolean present(String key) {
    return !ParseContext.absent(node.get(key));
  }

  String text(String key) {
    return ctx.text(path(key), raw(key));
  }

  /** The text, or {@code fallback} when the key is absent or empty (null when invalid). */
  String text(String key, String fallback) {
    return orFallback(() -> text(key), fallback);
  }

  String requiredText(String key, String help) {
    return ctx.requiredText(path(key), raw(key), help);
  }

  BigDecimal decimal(String key) {
    return ctx.decimal(path(key), raw(key));
  }

  Long whole(String key, long min, long max) {
    return ctx.whole(path(key), raw(key), min, max);
  }

  /** Like {@link #decimal} but reports a missing value: "is required; " + help. */
  BigDecimal requiredDecimal(String key, String help) {
    return required(key, () -> decimal(key), help);
  }

  /** Like {@link #whole(String, long, long)} but reports a missing value: "is required; " + help. */
  Long requiredWhole(String key, long min, long max, String help) {
    return required(key, () -> whole(key, min, max), help);
  }

  private <T> T required(String key, Supplier<T> reader, String help) {
    int before = ctx.errorCount();
    T value = reader.get();
    if (value == null && ctx.errorCount() == before) error(key, "is required; " + help);
    return value;
  }

  /** A whole number in [min, max], or {@code fallback} when the key is absent (null when invalid). */
  Long whole(String key, long min, long max, long fallback) {
    return orFallback(() -> whole(key, min, max), fallback);
  }

  /** A duration, or {@code fallback} when the key is absent (null when invalid). */
  Duration duration(String key, boolean allowZero, Duration fallback) {
    return orFallback(() -> ctx.duration(path(key), raw(key), allowZero), fallback);
  }

  /** Runs a reader; a null result without a new error means absent (or empty after substitution). */
  private <T> T orFallback(Supplier<T> reader, T fallback) {
    int before = ctx.errorCount();
    T value = reader.get();
    return value == null && ctx.errorCount() == before ? fallback : value;
  }

  List<String> texts(String key) {
    return ctx.texts(path(key), raw(key));
  }

  Map<String, String> textMap(String key) {
    return ctx.textMap(path(key), raw(key));
  }

  Section section(String key, List<String> allowed) {
    return of(ctx, path(key), raw(key), allowed);
  }

  /** The allowed key nearest to a misspelt one, if any is within two edits. */
  private static String closest(String key, List<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : allowed) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
