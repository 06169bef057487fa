package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one request's redaction did: how many findings of each type it replaced, and the original
 * values of the placeholders that may be restored into the answer. Values of other types are not in
 * it at all, so no bug downstream can restore or log them. Immutable and thread-safe; its {@code
 * toString()} shows counts only.
 */
public final class RedactionMap {

  /** Longer than any placeholder: {@code [PAYMENT_CARD_} plus ten digits and {@code ]} is 25. */
  static final int MAX_PLACEHOLDER = 32;

  private final Map<String, String> originals;
  private final Map<FindingType, Integer> counts;
  private final int longestPlaceholder;

  RedactionMap(Map<String, String> originals, Map<FindingType, Integer> counts) {
    this.originals = Map.copyOf(originals);
    EnumMap<FindingType, Integer> c = new EnumMap<>(FindingType.class);
    c.putAll(counts);
    this.counts = Collections.unmodifiableMap(c);
    int longest = 0;
    for (String p : this.originals.keySet()) longest = Math.max(longest, p.length());
    this.longestPlaceholder = longest;
  }

  /** Findings replaced, per type, counting each occurrence. */
  public Map<FindingType, Integer> counts() {
    return counts;
  }

  /** The same counts keyed by wire name ({@code email → 2}), the shape the ledger stores. */
  public Map<String, Integer> countsByWire() {
    Map<String, Integer> byWire = new LinkedHashMap<>();
    counts.forEach((t, n) -> byWire.put(t.wire(), n));
    return Collections.unmodifiableMap(byWire);
  }

  /** True when nothing was redacted. */
  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** True when some placeholder may be restored, i.e. when answers need {@link #restore}. */
  public boolean restoresAnything() {
    return !originals.isEmpty();
  }

  /**
   * Puts the original values back in place of the restorable placeholders in {@code text}; other
   * placeholders, and placeholder-shaped text this redaction did not make, stay as they are.
   */
  public String restore(String text) {
    if (originals.isEmpty()) return text;
    StringBuilder out = null;
    int copied = 0;
    for (int i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
      int end = Redactor.placeholderEnd(text, i);
      if (end < 0) continue;
      String original = originals.get(text.substring(i, end));
      if (original == null) continue;
      if (out == null) out = new StringBuilder(text.length() + 64);
      out.append(text, copied, i).append(original);
      copied = end;
      i = end - 1;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** A restorer for an answer that arrives in pieces, such as a stream of deltas. */
  public Restorer restorer() {
    return new Restorer();
  }

  @Override
  public String toString() {
    return "RedactionMap[counts=" + countsByWire() + ", restorable=" + originals.size() + "]";
  }

  /**
   * Restores placeholders in an answer that arrives in pieces. A placeholder may be cut between two
   * pieces ({@code "[EMA"}, {@code "IL_1] wrote"}), so a piece that ends in what could be the start
   * of a placeholder keeps that tail back until the next piece shows whether it is one. At most
   * {@value RedactionMap#MAX_PLACEHOLDER} characters are ever held back, and none when the map
   * restores nothing. Not thread-safe: one per stream.
   */
  public final class Restorer {

    private String held = "";

    private Restorer() {}

    /** The restored text that can be passed on now; may be empty. */
    public String push(String piece) {
      if (originals.isEmpty()) return piece;
      String text = held.isEmpty() ? piece : held + piece;
      int cut = heldTailStart(text);
      held = text.substring(cut);
      return restore(text.substring(0, cut));
    }

    /** What is still held back, at the end of the answer. */
    public String finish() {
      String rest = restore(held);
      held = "";
      return rest;
    }

    /** Where a tail that could still become a restorable placeholder begins, or the text's length. */
    private int heldTailStart(String text) {
      int from = Math.max(0, text.length() - longestPlaceholder + 1);
      int open = text.indexOf('[', from);
      while (open >= 0) {
        if (couldBecomePlaceholder(text, open)) return open;
        open = text.indexOf('[', open + 1);
      }
      return text.length();
    }

    private boolean couldBecomePlaceholder(String text, int open) {
      for (int i = open + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!isUpper(c) && !isDigit(c) && c != '_') return false;
      }
      return true;
    }
  }
}
