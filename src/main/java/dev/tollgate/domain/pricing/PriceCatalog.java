package dev.tollgate.domain.pricing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable set of model prices, looked up by the name a client asks for.
 *
 * <p>Names in public catalogs are written both bare ({@code gpt-4o-mini}) and behind a provider
 * prefix ({@code openai/gpt-4o-mini}, {@code openrouter/google/gemini-2.5-pro}); clients use either.
 * {@link #find} therefore tolerates a prefix on either side, but only ever matches the same model
 * name: {@code gpt-4o-mini} never finds {@code gpt-4o-mini-2024-07-18}. Safe to share between
 * threads; lookups do no allocation beyond the prefix-stripping substrings.
 */
public final class PriceCatalog {

  public static final PriceCatalog EMPTY = new PriceCatalog(new TreeMap<>());

  /** Ordered by name, so listings and files written from a catalog are stable. */
  private final Map<String, CatalogEntry> byName;
  /** The same entries hashed: {@link #find} runs on every request. */
  private final Map<String, CatalogEntry> exact;
  /** Each name's tails after a '/', e.g. "gpt-4o-mini" for "openai/gpt-4o-mini"; best first. */
  private final Map<String, List<CatalogEntry>> byPrefixedTail;

  private PriceCatalog(TreeMap<String, CatalogEntry> byName) {
    this.byName = Collections.unmodifiableMap(byName);
    this.exact = new HashMap<>(byName);
    Map<String, List<CatalogEntry>> tails = new HashMap<>();
    for (CatalogEntry entry : byName.values()) {
      String name = entry.model();
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        tails.computeIfAbsent(name.substring(slash + 1), k -> new ArrayList<>()).add(entry);
      }
    }
    // Shortest prefix first (openai/x before openrouter/openai/x), then by name, so that an
    // ambiguous tail always resolves the same way.
    Comparator<CatalogEntry> preference =
        Comparator.comparingInt((CatalogEntry e) -> segments(e.model())).thenComparing(CatalogEntry::model);
    tails.values().forEach(list -> list.sort(preference));
    this.byPrefixedTail = tails;
  }

  /**
   * A catalog of these entries.
   *
   * @throws IllegalArgumentException if two entries have the same name: which one should win?
   */
  public static PriceCatalog of(Collection<CatalogEntry> entries) {
    TreeMap<String, CatalogEntry> byName = new TreeMap<>();
    for (CatalogEntry entry : entries) {
      if (byName.putIfAbsent(entry.model(), entry) != null) {
        throw new IllegalArgumentException("model " + entry.model() + " is priced twice");
      }
    }
    return new PriceCatalog(byName);
  }

  /**
   * The entry for {@code model}. In order: the exact name; the name with leading provider segments
   * removed ({@code azure/gpt-4o-mini} → {@code gpt-4o-mini}); an entry whose name is
   * {@code model} behind a prefix ({@code gpt-4o-mini} → {@code openai/gpt-4o-mini}), preferring the
   * provider the request named, then the shortest prefix.
   */
  public Optional<CatalogEntry> find(String model) {
    if (model == null || model.isBlank()) return Optional.empty();
    CatalogEntry named = exact.get(model);
    if (named != null) return Optional.of(named);
    // Exact names over every stripped form come first, so that "openai/gpt-4o-mini" finds OpenAI's
    // own "gpt-4o-mini" before a reseller's "replicate/openai/gpt-4o-mini".
    for (int slash = model.indexOf('/'); slash >= 0; slash = model.indexOf('/', slash + 1)) {
      CatalogEntry stripped = exact.get(model.substring(slash + 1));
      if (stripped != null) return Optional.of(stripped);
    }
    int firstSlash = model.indexOf('/');
    String providerHint = firstSlash > 0 ? model.substring(0, firstSlash) : null;
    for (int from = 0; from >= 0; from = nextTail(model, from)) {
      List<CatalogEntry> prefixed = byPrefixedTail.get(model.substring(from));
      if (prefixed != null) return Optional.of(preferred(prefixed, providerHint));
    }
    return Optional.empty();
  }

  /** This catalog's entries over {@code base}'s: on the same name, this one's entry wins. */
  public PriceCatalog layeredOver(PriceCatalog base) {
    if (base.byName.isEmpty()) return this;
    if (byName.isEmpty()) return base;
    TreeMap<String, CatalogEntry> merged = new TreeMap<>(base.byName);
    merged.putAll(byName);
    return new PriceCatalog(merged);
  }

  public int size() {
    return byName.size();
  }

  /** Every entry, ordered by model name. */
  public List<CatalogEntry> entries() {
    return List.copyOf(byName.values());
  }

  /**
   * Up to {@code n} known names nearest to {@code model}, nearest first, for "did you mean" errors.
   * Nearness is the edit distance, ignoring case, of the whole names or (one step further) of their
   * last segments; ties go to the longer common prefix, then the shorter name.
   */
  public List<String> closestNames(String model, int n) {
    if (n <= 0 || byName.isEmpty()) return List.of();
    String query = model == null ? "" : model.toLowerCase(Locale.ROOT);
    String queryTail = lastSegment(query);
    record Scored(String name, int distance, int commonPrefix) {}
    List<Scored> scored = new ArrayList<>(byName.size());
    for (String name : byName.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      int distance = Math.min(editDistance(query, lower), editDistance(queryTail, lastSegment(lower)) + 1);
      scored.add(new Scored(name, distance, commonPrefix(query, lower)));
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::distance)
            .thenComparing(Comparator.comparingInt(Scored::commonPrefix).reversed())
            .thenComparingInt(s -> s.name().length())
            .thenComparing(Scored::name))
        .limit(n)
        .map(Scored::name)
        .toList();
  }

  @Override
  public String toString() {
    return "PriceCatalog[" + byName.size() + " models]";
  }

  private static CatalogEntry preferred(List<CatalogEntry> candidates, String providerHint) {
    if (providerHint != null) {
      for (CatalogEntry entry : candidates) {
        if (providerHint.equals(entry.provider()) || entry.model().startsWith(providerHint + "/")) return entry;
      }
    }
    return candidates.get(0);
  }

  private static int nextTail(String model, int from) {
    int slash = model.indexOf('/', from);
    return slash < 0 ? -1 : slash + 1;
  }

  private static int segments(String name) {
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '/') count++;
    }
    return count;
  }

  private static String lastSegment(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static int commonPrefix(String a, String b) {
    int limit = Math.min(a.length(), b.length());
    int i = 0;
    while (i < limit && a.charAt(i) == b.charAt(i)) i++;
    return i;
  }

  /** Levenshtein distance with two rolling rows. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
