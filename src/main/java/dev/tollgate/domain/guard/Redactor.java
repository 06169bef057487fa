package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces findings with placeholders such as {@code [EMAIL_1]} or {@code [PAYMENT_CARD_2]}, so a
 * prompt can go to a model without its sensitive values, and the values of restorable types can be
 * put back into the answer.
 *
 * <p>Within one request the same value always gets the same placeholder — across all the messages
 * of the request, and across spellings that mean the same value ({@code 4111 1111 1111 1111} and
 * {@code 4111111111111111}; e-mail addresses in any case) — so the model can still tell "the same
 * card" from "another card". Placeholders number per type from 1 and skip any placeholder-shaped
 * text already in the prompt, so an answer never confuses the two.
 *
 * <p>A {@code Redactor} holds the restore policy and is immutable and thread-safe; each request uses
 * its own {@link Session}.
 */
public final class Redactor {

  /** What comes back into answers unless a policy says otherwise: e-mail addresses and phone numbers. */
  public static final Set<FindingType> DEFAULT_RESTORABLE =
      Collections.unmodifiableSet(EnumSet.of(FindingType.EMAIL, FindingType.PHONE));

  private final Set<FindingType> restorable;

  /**
   * @param restorable the types whose values may be put back into answers
   * @throws IllegalArgumentException if a type in it may never be restored (see {@link
   *     FindingType#mayBeRestored()})
   */
  public Redactor(Set<FindingType> restorable) {
    EnumSet<FindingType> r = EnumSet.noneOf(FindingType.class);
    r.addAll(restorable);
    for (FindingType t : r) {
      if (!t.mayBeRestored()) {
        throw new IllegalArgumentException(t.wire() + " values are never restored into answers");
      }
    }
    this.restorable = Collections.unmodifiableSet(r);
  }

  /** A redactor that restores e-mail addresses and phone numbers only. */
  public static Redactor withDefaultRestore() {
    return new Redactor(DEFAULT_RESTORABLE);
  }

  public Set<FindingType> restorable() {
    return restorable;
  }

  /** A new session for one request; placeholders are consistent across everything it redacts. */
  public Session session() {
    return new Session();
  }

  /** Redacts a single text: a session of one. */
  public Redaction redact(String text, List<Finding> findings) {
    Session s = session();
    String redacted = s.redact(text, findings);
    return new Redaction(redacted, s.map());
  }

  /**
   * The placeholders of one request. Not thread-safe: a request redacts its messages one after the
   * other. Values of types that may not be restored are not kept past the call that replaces them.
   */
  public final class Session {

    private final Map<String, String> placeholderByValue = new HashMap<>();
    private final Map<String, String> originals = new LinkedHashMap<>();
    private final EnumMap<FindingType, Integer> lastNumber = new EnumMap<>(FindingType.class);
    private final EnumMap<FindingType, Integer> counts = new EnumMap<>(FindingType.class);
    private final Set<String> literalPlaceholders = new HashSet<>();

    private Session() {}

    /**
     * Returns {@code text} with each finding replaced by its placeholder.
     *
     * @param findings sorted by start, not overlapping, within the text — as {@link Scanner#scan}
     *     returns them
     * @throws IllegalArgumentException if the findings are not so
     */
    public String redact(String text, List<Finding> findings) {
      Objects.requireNonNull(text, "text");
      if (findings.isEmpty()) return text;
      collectLiteralPlaceholders(text);
      StringBuilder out = new StringBuilder(text.length());
      int copied = 0;
      for (Finding f : findings) {
        if (f.start() < copied || f.end() > text.length()) {
          throw new IllegalArgumentException("findings must be sorted, not overlapping and within the text");
        }
        FindingType type = f.type();
        String value = f.valueIn(text);
        String placeholder = placeholderByValue.computeIfAbsent(type.name() + ':' + identity(type, value),
            k -> nextPlaceholder(type));
        if (restorable.contains(type)) originals.putIfAbsent(placeholder, value);
        counts.merge(type, 1, Integer::sum);
        out.append(text, copied, f.start()).append(placeholder);
        copied = f.end();
      }
      return out.append(text, copied, text.length()).toString();
    }

    /** What this session has redacted so far, and what it may restore. */
    public RedactionMap map() {
      return new RedactionMap(originals, counts);
    }

    private String nextPlaceholder(FindingType type) {
      String placeholder;
      do {
        int n = lastNumber.merge(type, 1, Integer::sum);
        placeholder = "[" + type.name() + "_" + n + "]";
      } while (literalPlaceholders.contains(placeholder));
      return placeholder;
    }

    private void collectLiteralPlaceholders(String text) {
      for (int i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
        int end = placeholderEnd(text, i);
        if (end > 0) literalPlaceholders.add(text.substring(i, end));
      }
    }
  }

  /** The end of a placeholder-shaped token {@code [UPPER_CASE_N]} at {@code i}, or -1. */
  static int placeholderEnd(String s, int i) {
    int j = i + 1;
    int limit = Math.min(s.length(), i + RedactionMap.MAX_PLACEHOLDER);
    while (j < limit && (isUpper(s.charAt(j)) || s.charAt(j) == '_')) j++;
    if (j == i + 1 || j == limit || s.charAt(j - 1) != '_' || !isDigit(s.charAt(j))) return -1;
    while (j < limit && isDigit(s.charAt(j))) j++;
    return j < limit && s.charAt(j) == ']' ? j + 1 : -1;
  }

  /** What makes two spellings the same value: case for e-mails, separators for numbers. */
  private static String identity(FindingType type, String value) {
    return switch (type) {
      case EMAIL -> value.toLowerCase(Locale.ROOT);
      case PHONE, NATIONAL_ID, IBAN, PAYMENT_CARD -> {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          if (Chars.isAsciiAlnum(c) || c == '+') b.append(Character.toUpperCase(c));
        }
        yield b.toString();
      }
      case API_KEY, PRIVATE_KEY -> value;
    };
  }
}
