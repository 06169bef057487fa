package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isAsciiAlnum;
import static dev.tollgate.domain.guard.Chars.isLower;
import static dev.tollgate.domain.guard.Chars.isUpper;
import static dev.tollgate.domain.guard.Chars.isWordChar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * E-mail addresses, in the practical subset of RFC 5322 that people paste: a dot-atom local part of
 * at most 64 characters, {@code @}, and a host name of at least two labels whose last label is
 * alphabetic (or an IDN {@code xn--} label). Left out: quoted local parts, address literals such as
 * {@code [192.0.2.1]}, non-ASCII addresses, and asset names like {@code logo@2x.png}.
 */
final class EmailDetector implements Detector {

  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;
  /** File extensions that follow an {@code @} in asset names ({@code icon@2x.png}); none is a TLD. */
  private static final Set<String> FILE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "avif", "heic");

  @Override
  public FindingType type() {
    return FindingType.EMAIL;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    int floor = 0;
    for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      int start = localStart(text, at, floor);
      if (start < 0) continue;
      int end = domainEnd(text, at);
      if (end < 0) continue;
      out.add(new Finding(FindingType.EMAIL, start, end));
      floor = end;
      at = end - 1;
    }
    return out;
  }

  /** RFC 5322 atext without the characters that in prose are punctuation around an address. */
  private static boolean isLocalChar(char c) {
    if (isAsciiAlnum(c)) return true;
    return switch (c) {
      case '.', '!', '#', '$', '%', '&', '\'', '*', '+', '=', '?', '^', '_', '~', '-' -> true;
      default -> false;
    };
  }

  private static int localStart(String s, int at, int floor) {
    int i = at;
    while (i > floor && isLocalChar(s.charAt(i - 1))) {
      if (at - i == MAX_LOCAL) return -1;
      i--;
    }
    if (i > 0 && isWordChar(s.charAt(i - 1))) return -1; // glued to a non-ASCII word
    for (int j = at - 1; j > i; j--) {
      if (s.charAt(j) == '.' && s.charAt(j - 1) == '.') {
        i = j + 1; // "see...jo@x.io": the address starts after the ellipsis
        break;
      }
    }
    while (i < at && (s.charAt(i) == '.' || s.charAt(i) == '\'')) i++;
    if (i == at || s.charAt(at - 1) == '.') return -1;
    for (int j = i; j < at; j++) {
      if (isAsciiAlnum(s.charAt(j))) return i;
    }
    return -1;
  }

  private static boolean isHostChar(char c) {
    return isAsciiAlnum(c) || c == '.' || c == '-';
  }

  private static int domainEnd(String s, int at) {
    int n = s.length();
    int end = at + 1;
    while (end < n && isHostChar(s.charAt(end))) {
      if (end - at > MAX_DOMAIN) return -1;
      end++;
    }
    for (int j = at + 2; j < end; j++) {
      if (s.charAt(j) == '.' && s.charAt(j - 1) == '.') {
        end = j - 1;
        break;
      }
    }
    while (end > at + 1 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '-')) end--;
    if (end < n && isWordChar(s.charAt(end))) return -1; // a_b@example.com_x, or a non-ASCII letter
    int labels = 0;
    int labelStart = at + 1;
    for (int i = at + 1; i <= end; i++) {
      if (i < end && s.charAt(i) != '.') continue;
      int len = i - labelStart;
      if (len == 0 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') return -1;
      labels++;
      if (i == end && !isTopLevel(s, labelStart, i)) return -1;
      labelStart = i + 1;
    }
    return labels >= 2 ? end : -1;
  }

  private static boolean isTopLevel(String s, int from, int to) {
    if (s.startsWith("xn--", from)) return to - from > 4;
    if (to - from < 2) return false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isUpper(c) && !isLower(c)) return false;
    }
    return !FILE_EXTENSIONS.contains(s.substring(from, to).toLowerCase(Locale.ROOT));
  }
}
