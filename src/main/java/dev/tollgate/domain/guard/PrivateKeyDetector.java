package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isAsciiAlnum;
import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Private-key blocks: {@code -----BEGIN <label>-----} through the matching {@code -----END
 * <label>-----}, where the label ends in {@code PRIVATE KEY} ({@code RSA}, {@code EC}, {@code
 * OPENSSH}, {@code ENCRYPTED} or none) or is {@code PGP PRIVATE KEY BLOCK}. A block pasted without
 * its END line still counts: it runs over the header and base64 lines that follow the BEGIN line.
 * Public keys and certificates are not secrets and are left alone.
 */
final class PrivateKeyDetector implements Detector {

  private static final String BEGIN = "-----BEGIN ";
  private static final String DASHES = "-----";
  private static final int MAX_LABEL = 40;
  private static final int MAX_HEADER_LINE = 200;

  @Override
  public FindingType type() {
    return FindingType.PRIVATE_KEY;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    // Where each END line was last looked for and found (-1: none after that point), so that many
    // BEGIN lines without an END cost one search, not one each.
    Map<String, int[]> endSearches = new HashMap<>();
    int from = 0;
    for (int begin = text.indexOf(BEGIN, from); begin >= 0; begin = text.indexOf(BEGIN, from)) {
      int labelStart = begin + BEGIN.length();
      int labelEnd = labelStart;
      while (labelEnd < text.length() && labelEnd - labelStart <= MAX_LABEL && isLabelChar(text.charAt(labelEnd))) {
        labelEnd++;
      }
      String label = text.substring(labelStart, labelEnd);
      if (!text.startsWith(DASHES, labelEnd) || !isPrivate(label)) {
        from = labelStart;
        continue;
      }
      int bodyStart = labelEnd + DASHES.length();
      String endLine = "-----END " + label + DASHES;
      int[] search = endSearches.get(label);
      if (search == null || (search[1] >= 0 && search[1] < bodyStart)) {
        search = new int[] {bodyStart, text.indexOf(endLine, bodyStart)};
        endSearches.put(label, search);
      }
      int end = search[1] >= 0 ? search[1] + endLine.length() : unterminatedEnd(text, bodyStart);
      out.add(new Finding(FindingType.PRIVATE_KEY, begin, end));
      from = end;
    }
    return out;
  }

  private static boolean isLabelChar(char c) {
    return isUpper(c) || isDigit(c) || c == ' ';
  }

  private static boolean isPrivate(String label) {
    return label.endsWith("PRIVATE KEY") || label.equals("PGP PRIVATE KEY BLOCK");
  }

  /**
   * The end of the header and base64 lines after a BEGIN line whose END line is missing. Reads each
   * line only as far as it still qualifies, so a text without newlines costs no more than one pass.
   */
  private static int unterminatedEnd(String s, int pos) {
    int n = s.length();
    int end = pos;
    boolean body = false;
    int line = skipNewline(s, pos);
    while (line < n && line > end) {
      int i = line;
      while (i < n && isBase64(s.charAt(i))) i++;
      boolean atEol = i == n || s.charAt(i) == '\n' || s.charAt(i) == '\r';
      if (atEol && i > line) {
        body = true;
        end = i;
      } else if (!body && atEol) {
        end = i; // a blank line before the body, after the headers if any
      } else if (!body && (i = headerEnd(s, line)) > 0) {
        end = i;
      } else {
        break;
      }
      line = skipNewline(s, end);
    }
    return end;
  }

  private static int skipNewline(String s, int i) {
    if (i < s.length() && s.charAt(i) == '\r') i++;
    if (i < s.length() && s.charAt(i) == '\n') i++;
    return i;
  }

  private static boolean isBase64(char c) {
    return isAsciiAlnum(c) || c == '+' || c == '/' || c == '=';
  }

  /**
   * The end of an RFC 1421 header line such as {@code Proc-Type: 4,ENCRYPTED} or {@code DEK-Info: …}
   * starting at {@code from}, or -1. Header lines are short; a longer one is not a header.
   */
  private static int headerEnd(String s, int from) {
    int n = Math.min(s.length(), from + MAX_HEADER_LINE);
    int i = from;
    while (i < n && (isAsciiAlnum(s.charAt(i)) || s.charAt(i) == '-')) i++;
    if (i == from || i + 1 >= n || s.charAt(i) != ':' || s.charAt(i + 1) != ' ') return -1;
    while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') i++;
    return i < n || n == s.length() ? i : -1;
  }
}
