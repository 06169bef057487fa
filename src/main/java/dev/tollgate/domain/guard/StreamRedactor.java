package dev.tollgate.domain.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Guards a text that arrives in pieces — a streamed answer — so that no finding leaves unguarded even
 * when it is cut between two pieces ({@code "sk-proj-a1B2"}, {@code "c3D4…"}).
 *
 * <p>How it works. Each piece is appended to a small window: the text not yet released, behind up to
 * {@value #CONTEXT} characters already released (kept only so that detectors that look back, such as
 * "SSN" before a number, still see their context). The window is scanned, and released up to the
 * first point where a finding could still be in the making:
 *
 * <ul>
 *   <li>the last run of characters without whitespace (an e-mail address, an API key or a JWT has
 *       none), held back to at most {@value #MAX_TOKEN} characters;
 *   <li>the trailing run of characters a number may be written with (digits, capitals, spaces and
 *       {@code -.()+/}), held back to at most {@value #SPACED_SPAN} characters — longer than the
 *       longest card, phone, IBAN or national id written with separators;
 *   <li>a {@code -----BEGIN} line among the last {@value #CONTEXT} characters (a private-key header
 *       being written);
 *   <li>any finding that reaches past that point is held whole, and a private-key block waits for
 *       its END line, up to {@value #MAX_HELD} characters.
 * </ul>
 *
 * Plain prose is therefore held back by its last, unfinished word only. Each piece costs one scan of
 * the window, never of the whole answer, so the work per piece stays bounded however long the answer.
 * What is released has its findings replaced by the session's placeholders, or — when stopping — is
 * cut just before the first finding and nothing more is released.
 *
 * <p>Limit: a finding longer than {@value #MAX_HELD} characters (a private key block of that size
 * with no END line yet) is redacted as far as it has arrived and its rest is scanned as new text.
 * Not thread-safe: one per stream (per choice of a stream).
 */
public final class StreamRedactor {

  /** Characters already released that stay in the window as look-behind context for the detectors. */
  static final int CONTEXT = 64;
  /** Longer than any finding that may contain spaces (a printed IBAN is 42), private keys aside. */
  static final int SPACED_SPAN = 48;
  /** The longest run without whitespace held back while it may still become a key, a JWT or an address. */
  static final int MAX_TOKEN = 4096;
  /** The most that is ever held back, even while a finding (a private-key block) is still growing. */
  static final int MAX_HELD = 16384;

  /** What one piece released: the text to send now, the findings in it, and whether the stream must stop. */
  public record Release(String text, List<FindingType> findings, boolean stopped) {}

  private static final Release NOTHING = new Release("", List.of(), false);

  private final Scanner scanner;
  private final Redactor.Session session;
  private final boolean stopAtFinding;
  private final StringBuilder window = new StringBuilder();
  /** How many characters at the start of {@link #window} were released already. */
  private int released;
  private boolean stopped;

  /**
   * @param session where placeholders come from (shared by the choices of one answer, so a value
   *     keeps one placeholder throughout)
   * @param stopAtFinding true to stop before the first finding instead of redacting it
   */
  public StreamRedactor(Scanner scanner, Redactor.Session session, boolean stopAtFinding) {
    this.scanner = scanner;
    this.session = session;
    this.stopAtFinding = stopAtFinding;
  }

  /** Takes the next piece; returns what can be released now (maybe empty). */
  public Release push(String piece) {
    if (stopped) return NOTHING;
    window.append(piece);
    return release(holdPoint(), false);
  }

  /** The answer ended: releases everything still held back. */
  public Release finish() {
    if (stopped) return NOTHING;
    return release(window.length(), true);
  }

  /** True once a finding stopped the stream. */
  public boolean stopped() {
    return stopped;
  }

  /** Characters held back now, for tests and measurements. */
  int held() {
    return window.length() - released;
  }

  private Release release(int limit, boolean end) {
    String text = window.toString();
    List<Finding> found = scanner.scan(text);
    int cut = limit;
    if (!end) {
      for (Finding f : found) {
        // Sorted and disjoint: once the cut moves back to a finding, no earlier one crosses it.
        if ((f.start() < cut && f.end() > cut) || (f.end() > released && openBlock(text, f))) {
          cut = Math.min(cut, f.start());
        }
      }
      if (text.length() - Math.max(cut, released) > MAX_HELD) cut = text.length() - CONTEXT;
    }
    cut = Math.max(cut, released);
    List<Finding> out = new ArrayList<>();
    List<FindingType> types = new ArrayList<>();
    for (Finding f : found) {
      if (f.end() <= released || f.start() >= cut) continue;
      // A finding begun in released text can only be one cut off by MAX_HELD: guard what is left of it.
      int start = Math.max(f.start(), released);
      int stop = Math.min(f.end(), cut);
      if (start >= stop) continue;
      out.add(new Finding(f.type(), start - released, stop - released));
      types.add(f.type());
    }
    String piece = text.substring(released, cut);
    if (stopAtFinding && !out.isEmpty()) {
      stopped = true;
      window.setLength(0);
      return new Release(piece.substring(0, out.get(0).start()), List.copyOf(types), true);
    }
    String redacted = out.isEmpty() ? piece : session.redact(piece, out);
    int keepFrom = Math.max(0, cut - CONTEXT);
    window.delete(0, keepFrom);
    released = cut - keepFrom;
    return redacted.isEmpty() && types.isEmpty() ? NOTHING : new Release(redacted, List.copyOf(types), false);
  }

  /**
   * A private-key block without its END line yet: the next lines may still belong to it, so it is
   * held whole until the END line comes (or the answer ends, or {@link #MAX_HELD} is reached).
   */
  private static boolean openBlock(String text, Finding f) {
    return f.type() == FindingType.PRIVATE_KEY && !text.startsWith("-----END ", text.lastIndexOf('\n', f.end() - 1) + 1);
  }

  /** Where the text that may still become a finding begins (see the class comment). */
  private int holdPoint() {
    int len = window.length();
    int word = len;
    int wordLimit = Math.max(released, len - MAX_TOKEN);
    while (word > wordLimit && !Character.isWhitespace(window.charAt(word - 1))) word--;
    int number = len;
    int numberLimit = Math.max(released, len - SPACED_SPAN);
    while (number > numberLimit && numberChar(window.charAt(number - 1))) number--;
    int hold = Math.min(word, number);
    int begin = window.lastIndexOf("-----BEGIN", len);
    if (begin >= Math.max(0, len - CONTEXT)) hold = Math.min(hold, begin);
    return Math.max(hold, released);
  }

  private static boolean numberChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'
        || c == '+' || c == '/';
  }
}
