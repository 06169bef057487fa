package dev.tollgate.domain.guard;

/** Character tests, token boundaries, context words and checksums shared by the detectors. */
final class Chars {

  /** ASCII letters, digits and {@code _}, as a table: boundary tests run for every digit of a text. */
  private static final boolean[] ASCII_WORD = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) ASCII_WORD[c] = isAsciiAlnum(c) || c == '_';
  }

  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isUpper(c) || isLower(c);
  }

  /** Letters and digits of any script, and {@code _}: the characters that make a token go on. */
  static boolean isWordChar(char c) {
    return c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
  }

  /**
   * Whether a number may start at {@code i}: it is not glued to a word or to the number before it.
   * {@code INV-2026}, {@code v1.2}, {@code /orders/4111…} and the {@code 15} of {@code 10:15} are
   * continuations, not starts; {@code card: 4111…} and {@code ssn:078…} are starts.
   */
  static boolean numberMayStartAt(String s, int i) {
    if (i == 0) return true;
    char p = s.charAt(i - 1);
    if (isWordChar(p)) return false;
    if (i < 2) return true;
    if (p == '.' || p == '-' || p == '/') return !isWordChar(s.charAt(i - 2));
    return p != ':' || !isDigit(s.charAt(i - 2));
  }

  /** Whether a number may end just before {@code end}: no word or further number part follows. */
  static boolean numberMayEndAt(String s, int end) {
    if (end == s.length()) return true;
    char n = s.charAt(end);
    if (isWordChar(n)) return false;
    if (end + 1 == s.length()) return true;
    return switch (n) {
      case '.', '-', '/', ':' -> !isDigit(s.charAt(end + 1));
      default -> true;
    };
  }

  /** The number of digits from {@code i} on, counting at most {@code max + 1}. */
  static int digitRun(String s, int i, int max) {
    int end = Math.min(s.length(), i + max + 1);
    int j = i;
    while (j < end && isDigit(s.charAt(j))) j++;
    return j - i;
  }

  /**
   * Whether one of the phrases occurs as whole words, ignoring case, within {@code window} characters
   * before {@code start}. Used where a bare number means something only next to a word like "SSN".
   * The phrases are lower case.
   */
  static boolean contextBefore(String s, int start, int window, String... phrases) {
    int from = Math.max(0, start - window);
    for (String phrase : phrases) {
      int len = phrase.length();
      char first = phrase.charAt(0);
      for (int j = from; j + len <= start; j++) {
        if (Character.toLowerCase(s.charAt(j)) == first
            && s.regionMatches(true, j, phrase, 0, len)
            && (j == 0 || !Character.isLetter(s.charAt(j - 1)))
            && (j + len == s.length() || !Character.isLetter(s.charAt(j + len)))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The Luhn (mod 10) check over the first {@code len} digits. */
  static boolean luhn(char[] digits, int len) {
    int sum = 0;
    boolean twice = false;
    for (int i = len - 1; i >= 0; i--) {
      int d = digits[i] - '0';
      if (twice) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
