package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.ArrayList;
import java.util.List;

/**
 * National identity numbers.
 *
 * <p>US Social Security numbers: area-group-serial with the numbers the SSA never issues left out
 * (area 000, 666 and 900–999, group 00, serial 0000). The dashed form {@code 078-05-1120} counts on
 * its own; the spaced and bare nine-digit forms only after a word such as "SSN" or "social security",
 * because nine digits alone are more often an order or account number.
 *
 * <p>UK National Insurance numbers: two prefix letters (not D, F, I, Q, U or V; O not second; not
 * BG, GB, KN, NK, NT, TN or ZZ), six digits and a suffix A–D. The spaced form {@code AB 12 34 56 C}
 * counts on its own; the compact form only after "national insurance", "NINO" or "NI number".
 */
final class NationalIdDetector implements Detector {

  private static final int CONTEXT_WINDOW = 40;
  private static final String[] SSN_WORDS = {"ssn", "ssns", "ss#", "social security", "social-security"};
  /** NINO prefixes that are never issued, two letters each. */
  private static final String NEVER_ISSUED = "BGGBKNNKNTTNZZ";
  private static final String[] NINO_WORDS = {"national insurance", "nino", "ni number", "ni no", "ni#"};

  @Override
  public FindingType type() {
    return FindingType.NATIONAL_ID;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c > 'Z' || c < '0' || (c > '9' && c < 'A')) continue;
      int end;
      if (isDigit(c)) {
        if (!Chars.numberMayStartAt(text, i)) continue;
        int run = Chars.digitRun(text, i, 9);
        if (run != 3 && run != 9) continue; // area of a separated SSN, or a bare one
        end = ssn(text, i);
      } else if (isUpper(c)) {
        if (i > 0 && Chars.isWordChar(text.charAt(i - 1))) continue;
        end = nino(text, i);
      } else {
        continue;
      }
      if (end > 0) {
        out.add(new Finding(FindingType.NATIONAL_ID, i, end));
        i = end - 1;
      }
    }
    return out;
  }

  private static int ssn(String s, int start) {
    int n = s.length();
    if (start + 9 > n) return -1;
    int end;
    boolean needsContext;
    if (digits(s, start, 3) && start + 11 <= n && sepAt(s, start + 3) && digits(s, start + 4, 2)
        && s.charAt(start + 6) == s.charAt(start + 3) && digits(s, start + 7, 4)) {
      end = start + 11;
      needsContext = s.charAt(start + 3) == ' ';
    } else if (digits(s, start, 9)) {
      end = start + 9;
      needsContext = true;
    } else {
      return -1;
    }
    if (!Chars.numberMayEndAt(s, end)) return -1;
    int step = end - start == 11 ? 1 : 0;
    int area = number(s, start, 3);
    int group = number(s, start + 3 + step, 2);
    int serial = number(s, start + 5 + 2 * step, 4);
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return -1;
    if (needsContext && !Chars.contextBefore(s, start, CONTEXT_WINDOW, SSN_WORDS)) return -1;
    return end;
  }

  private static int nino(String s, int start) {
    int n = s.length();
    if (start + 9 > n) return -1;
    char a = s.charAt(start);
    char b = s.charAt(start + 1);
    int pos = start + 2;
    boolean spaced = s.charAt(pos) == ' ';
    if (!isUpper(b) || !isDigit(s.charAt(spaced ? pos + 1 : pos)) || !validPrefix(a, b)) return -1;
    for (int pair = 0; pair < 3; pair++) {
      if (spaced) {
        if (pos >= n || s.charAt(pos) != ' ') return -1;
        pos++;
      }
      if (pos + 2 > n || !digits(s, pos, 2)) return -1;
      pos += 2;
    }
    if (spaced) {
      if (pos >= n || s.charAt(pos) != ' ') return -1;
      pos++;
    }
    if (pos >= n || s.charAt(pos) < 'A' || s.charAt(pos) > 'D') return -1;
    pos++;
    if (pos < n && Chars.isWordChar(s.charAt(pos))) return -1;
    if (!spaced && !Chars.contextBefore(s, start, CONTEXT_WINDOW, NINO_WORDS)) return -1;
    return pos;
  }

  private static boolean validPrefix(char a, char b) {
    if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(b) >= 0) return false;
    for (int i = 0; i < NEVER_ISSUED.length(); i += 2) {
      if (NEVER_ISSUED.charAt(i) == a && NEVER_ISSUED.charAt(i + 1) == b) return false;
    }
    return true;
  }

  private static boolean sepAt(String s, int i) {
    char c = s.charAt(i);
    return c == '-' || c == ' ';
  }

  private static boolean digits(String s, int from, int count) {
    if (from + count > s.length()) return false;
    for (int i = from; i < from + count; i++) {
      if (!isDigit(s.charAt(i))) return false;
    }
    return true;
  }

  private static int number(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) v = v * 10 + (s.charAt(i) - '0');
    return v;
  }
}
