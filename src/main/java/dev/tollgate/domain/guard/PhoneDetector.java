package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;

import java.util.ArrayList;
import java.util.List;

/**
 * Telephone numbers, in three shapes:
 *
 * <ul>
 *   <li>international: {@code +}, a country code that does not start with 0, and 9 to 15 digits in
 *       all, in groups split by single spaces, dashes, dots or slashes, with parentheses allowed
 *       around a later group ({@code +1 (415) 555-2671}, {@code +44 (0)20 7946 0958}); written
 *       together it needs 10 digits. Thousands-style groups ({@code +100.000.000}) are amounts.
 *   <li>North American: {@code 415-555-2671}, {@code 415.555.2671}, {@code 415 555 2671}, {@code (415)
 *       555-2671}, optionally after {@code 1-}; area code and exchange start with 2–9, and both
 *       separators are the same.
 *   <li>national with a trunk 0: 10 or 11 digits starting {@code 0} (not {@code 00}), in groups of
 *       at least two digits split by one kind of separator ({@code 020 7946 0958}, {@code (030)
 *       1234-5678}, {@code 03-1234-5678}); dots only between pairs ({@code 01.23.45.67.89}).
 * </ul>
 *
 * <p>A number written without any separator or {@code +} counts only right after a word such as
 * "phone", "call" or "mobile", and must then fit the North American or trunk-0 rules. So timestamps,
 * long ids and card numbers are not phones; neither are dates, times, ISO date-times, versions, IPv4
 * addresses or ISBNs, whose groupings none of the shapes accepts.
 */
final class PhoneDetector implements Detector {

  private static final int MAX_GROUPS = 6;
  private static final int MAX_DIGITS = 15;
  private static final int CONTEXT_WINDOW = 32;
  private static final String[] CONTEXT_WORDS = {
      "phone", "phones", "telephone", "tel", "mobile", "cell", "call", "fax", "whatsapp", "sms"};

  @Override
  public FindingType type() {
    return FindingType.PHONE;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    Groups g = new Groups();
    int n = text.length();
    int lastEnd = -1;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!isDigit(c) && c != '+' && c != '(') continue;
      if (!Chars.numberMayStartAt(text, i)) continue;
      if (isDigit(c)) {
        if (!firstGroupFits(c, Chars.digitRun(text, i, MAX_DIGITS))) continue;
        if (i - 1 != lastEnd && continuesGroups(text, i)) continue;
      }
      int end = match(text, i, g);
      if (end > 0) {
        out.add(new Finding(FindingType.PHONE, i, end));
        lastEnd = end;
        i = end - 1;
      }
    }
    return out;
  }

  /**
   * Whether a number starting with digit {@code c} and a first group of {@code len} digits can fit
   * any shape: {@code 1-} or an area code of three before a North American number, two to five digits
   * of a trunk-0 area code, or a whole number of 10 or 11 digits after a context word. A cheap test
   * that spares most dates, times, ids and amounts the full reading.
   */
  private static boolean firstGroupFits(char c, int len) {
    return len == 3 || len == 10 || len == 11 || (len == 1 && c == '1') || (c == '0' && len >= 2 && len <= 5);
  }

  /**
   * Whether the digit at {@code i} is inside a run of space-separated groups that began earlier — after a group
   * with a digit ({@code 0044 0532 0130 01}), or after a four-letter group that follows one ({@code
   * NL91 ABNA 0417 1643 00}, an IBAN with a typo) — so that the tail of a longer code does not pass
   * for a phone number. A list of phone numbers is fine: the scan allows a start right after a phone.
   */
  private static boolean continuesGroups(String s, int i) {
    if (i < 2 || s.charAt(i - 1) != ' ') return false;
    int tokenEnd = i - 1;
    int tokenStart = tokenStart(s, tokenEnd);
    if (tokenStart == tokenEnd) return false;
    if (hasDigit(s, tokenStart, tokenEnd)) return true;
    if (tokenEnd - tokenStart != 4 || tokenStart < 2 || s.charAt(tokenStart - 1) != ' ') return false;
    for (int k = tokenStart; k < tokenEnd; k++) {
      if (!Chars.isUpper(s.charAt(k))) return false;
    }
    int before = tokenStart(s, tokenStart - 1);
    return hasDigit(s, before, tokenStart - 1);
  }

  private static int tokenStart(String s, int end) {
    int j = end;
    while (j > 0 && end - j < 64 && Chars.isAsciiAlnum(s.charAt(j - 1))) j--;
    return j;
  }

  private static boolean hasDigit(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (isDigit(s.charAt(k))) return true;
    }
    return false;
  }

  /** The digit groups of one candidate, reused across candidates to avoid allocation. */
  private static final class Groups {
    final char[] digits = new char[MAX_DIGITS];
    final int[] len = new int[MAX_GROUPS];
    final int[] end = new int[MAX_GROUPS];
    final int[] digitsUpTo = new int[MAX_GROUPS];
    final boolean[] paren = new boolean[MAX_GROUPS];
    /** The separator before group g, or 0 when the group follows a parenthesis directly. */
    final char[] sepBefore = new char[MAX_GROUPS];
    int count;
  }

  private static int match(String s, int start, Groups g) {
    int n = s.length();
    int pos = start;
    boolean plus = s.charAt(pos) == '+';
    if (plus) {
      pos++;
      if (pos >= n || !isDigit(s.charAt(pos)) || s.charAt(pos) == '0') return -1;
    }
    if (!read(s, pos, g)) return -1;
    // Try the longest reading first; a shorter one may only end where a space follows.
    for (int k = g.count; k >= 1; k--) {
      if (Chars.numberMayEndAt(s, g.end[k - 1]) && accepts(s, start, plus, g, k)) return g.end[k - 1];
    }
    return -1;
  }

  /** Reads up to six digit groups with their separators; false if the first group is too long. */
  private static boolean read(String s, int pos, Groups g) {
    int n = s.length();
    int digits = 0;
    g.count = 0;
    char sep = 0;
    while (g.count < MAX_GROUPS) {
      boolean paren = pos < n && s.charAt(pos) == '(';
      int from = paren ? pos + 1 : pos;
      int d = from;
      while (d < n && isDigit(s.charAt(d)) && digits + (d - from) <= MAX_DIGITS) d++;
      int len = d - from;
      if (len == 0) break;
      if (digits + len > MAX_DIGITS || (d < n && isDigit(s.charAt(d)))) {
        if (g.count == 0) return false; // a long digit run is an id, a timestamp or a card
        break;
      }
      if (paren) {
        if (d >= n || s.charAt(d) != ')') break;
        d++;
      }
      s.getChars(from, from + len, g.digits, digits);
      digits += len;
      int k = g.count++;
      g.len[k] = len;
      g.end[k] = d;
      g.digitsUpTo[k] = digits;
      g.paren[k] = paren;
      g.sepBefore[k] = sep;
      pos = d;
      if (pos + 1 >= n) break;
      char c = s.charAt(pos);
      char next = s.charAt(pos + 1);
      if (paren && isDigit(c)) {
        sep = 0;
      } else if (paren ? (c == ' ' || c == '-') && isDigit(next)
          : (c == ' ' || c == '-' || c == '.' || c == '/') && (isDigit(next) || next == '(')) {
        sep = c;
        pos++;
      } else {
        break;
      }
    }
    return g.count > 0;
  }

  private static boolean accepts(String s, int start, boolean plus, Groups g, int k) {
    int digits = g.digitsUpTo[k - 1];
    if (plus) return international(g, k, digits);
    if (k == 1) {
      return !g.paren[0]
          && (nanp(g, k, digits) || trunkZero(g, k, digits))
          && Chars.contextBefore(s, start, CONTEXT_WINDOW, CONTEXT_WORDS);
    }
    return nanp(g, k, digits) || trunkZero(g, k, digits);
  }

  private static boolean international(Groups g, int k, int digits) {
    if (digits < 9 || (k == 1 && digits < 10)) return false;
    if (g.paren[0]) return false;
    if (k >= 3 && g.len[0] <= 3) {
      boolean thousands = g.sepBefore[1] == '.' || g.sepBefore[1] == ' ';
      for (int i = 1; i < k && thousands; i++) {
        thousands = g.len[i] == 3 && g.sepBefore[i] == g.sepBefore[1];
      }
      if (thousands) return false;
    }
    return true;
  }

  private static boolean nanp(Groups g, int k, int digits) {
    int a = 0; // the index of the area-code group
    if (k == 1) {
      if (digits == 11 && g.digits[0] == '1') return nanpDigits(g.digits, 1);
      return digits == 10 && nanpDigits(g.digits, 0);
    }
    if (k == 4 && g.len[0] == 1 && g.digits[0] == '1' && !g.paren[0]) a = 1;
    if (k - a != 3 || g.len[a] != 3 || g.len[a + 1] != 3 || g.len[a + 2] != 4) return false;
    if (g.paren[a + 1] || g.paren[a + 2]) return false;
    if (g.sepBefore[a + 2] == '/' || (a == 1 && g.sepBefore[1] == '/')) return false;
    if (!g.paren[a] && g.sepBefore[a + 1] != g.sepBefore[a + 2]) return false;
    return nanpDigits(g.digits, g.digitsUpTo[a] - 3);
  }

  /** Area code and exchange of a ten-digit North American number both start with 2–9. */
  private static boolean nanpDigits(char[] d, int from) {
    return d[from] >= '2' && d[from + 3] >= '2';
  }

  private static boolean trunkZero(Groups g, int k, int digits) {
    if (g.digits[0] != '0' || g.digits[1] == '0' || digits < 10 || digits > 11) return false;
    if (k == 1) return true;
    if (g.len[0] < 2 || g.len[0] > 5) return false;
    char sep = 0;
    for (int i = 1; i < k; i++) {
      if (g.len[i] < 2 || g.paren[i]) return false;
      if (i == 1 && g.paren[0]) continue;
      if (sep == 0) sep = g.sepBefore[i];
      else if (g.sepBefore[i] != sep) return false;
    }
    if (sep == '.') {
      for (int i = 0; i < k; i++) {
        if (g.len[i] != 2) return false;
      }
    }
    return true;
  }
}
