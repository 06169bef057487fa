package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;

import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers (PANs): 13 to 19 digits, written together or in groups split by single
 * spaces or single dashes (one kind per number; first group of four, later groups of three to six),
 * that start with the prefix of a known network at a length that network issues, and pass the Luhn
 * check. The three filters together turn away order numbers, timestamps ({@code 1732531200000} starts
 * with 1, which no network uses), ISBNs and tracking numbers.
 */
final class PaymentCardDetector implements Detector {

  private static final int MIN = 13;
  private static final int MAX = 19;
  private static final int MAX_GROUPS = 5;

  @Override
  public FindingType type() {
    return FindingType.PAYMENT_CARD;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    Reading r = new Reading();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '2' || c > '6' || !Chars.numberMayStartAt(text, i)) continue; // no network starts 0, 1, 7–9
      int run = Chars.digitRun(text, i, MAX);
      if (run != 4 && (run < MIN || run > MAX)) continue; // a first group of four, or all of it
      int end = match(text, i, r);
      if (end > 0) {
        out.add(new Finding(FindingType.PAYMENT_CARD, i, end));
        i = end - 1;
      }
    }
    return out;
  }

  /** The digits and groups of one candidate, reused across candidates to avoid allocation. */
  private static final class Reading {
    final char[] digits = new char[MAX];
    final int[] groupEnd = new int[MAX_GROUPS];
    final int[] digitsBefore = new int[MAX_GROUPS + 1];
  }

  /** The end of a card number starting at {@code start}, or -1. Reads at most 19 digits and 4 separators. */
  private static int match(String s, int start, Reading r) {
    int n = s.length();
    char[] digits = r.digits;
    int[] groupEnd = r.groupEnd;
    int[] digitsBefore = r.digitsBefore;
    int groups = 0;
    int count = 0;
    char sep = 0;
    int pos = start;
    while (groups < MAX_GROUPS) {
      int groupStart = count;
      while (pos < n && isDigit(s.charAt(pos))) {
        if (count == MAX) {
          if (groups == 0) return -1; // a run of 20 digits or more is never a card
          count = groupStart; // a long number after the card, "4111 1111 1111 1111 0000000…"
          break;
        }
        digits[count++] = s.charAt(pos++);
      }
      if (count == groupStart) break;
      groupEnd[groups] = pos;
      digitsBefore[++groups] = count;
      if (pos + 1 >= n) break;
      char c = s.charAt(pos);
      if ((c != ' ' && c != '-') || (sep != 0 && c != sep) || !isDigit(s.charAt(pos + 1))) break;
      sep = c;
      pos++;
    }
    // The longest reading that is a card wins: "4111 1111 1111 1111 123" is a card and its CVV.
    for (int k = groups; k >= 1; k--) {
      int len = digitsBefore[k];
      if (len < MIN) break;
      if (len > MAX || !Chars.numberMayEndAt(s, groupEnd[k - 1]) || !grouped(digitsBefore, k)) continue;
      if (issued(digits, len) && Chars.luhn(digits, len)) return groupEnd[k - 1];
    }
    return -1;
  }

  private static boolean grouped(int[] digitsBefore, int groups) {
    if (groups == 1) return true;
    if (digitsBefore[1] != 4) return false;
    for (int g = 2; g <= groups; g++) {
      int len = digitsBefore[g] - digitsBefore[g - 1];
      if (len < 3 || len > 6) return false;
    }
    return true;
  }

  /** Whether a network issues numbers with this prefix at this length (ISO/IEC 7812 IIN ranges). */
  static boolean issued(char[] d, int len) {
    int p1 = d[0] - '0';
    int p2 = p1 * 10 + (d[1] - '0');
    int p3 = p2 * 10 + (d[2] - '0');
    int p4 = p3 * 10 + (d[3] - '0');
    if (p1 == 4) return len == 13 || len == 16 || len == 19; // Visa
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len == 16; // Mastercard
    if (p2 == 34 || p2 == 37) return len == 15; // American Express
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) return len >= 16; // Discover
    if (p4 >= 3528 && p4 <= 3589) return len >= 16; // JCB
    if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305)) return len >= 14; // Diners Club
    if (p2 == 62) return len >= 16; // UnionPay
    return false;
  }
}
