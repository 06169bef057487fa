package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.ArrayList;
import java.util.List;

/**
 * International bank account numbers: a country code from the IBAN registry, two check digits and
 * exactly the number of characters that country uses, written together or in the printed form of
 * groups of four split by single spaces, and passing the ISO 13616 mod-97 check. Upper case only.
 */
final class IbanDetector implements Detector {

  /** Country code and total IBAN length, from the SWIFT IBAN registry. */
  private static final String REGISTRY =
      "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18"
          + " DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22"
          + " IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19"
          + " MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31"
          + " SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
  private static final byte[] LENGTH = new byte[26 * 26];

  static {
    for (String entry : REGISTRY.split(" ")) {
      LENGTH[(entry.charAt(0) - 'A') * 26 + entry.charAt(1) - 'A'] = Byte.parseByte(entry.substring(2));
    }
  }

  @Override
  public FindingType type() {
    return FindingType.IBAN;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    char[] iban = new char[34];
    int n = text.length() - 4;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!isUpper(c) || (i > 0 && Chars.isWordChar(text.charAt(i - 1)))) continue;
      int end = match(text, i, iban);
      if (end > 0) {
        out.add(new Finding(FindingType.IBAN, i, end));
        i = end - 1;
      }
    }
    return out;
  }

  private static int match(String s, int start, char[] iban) {
    char c0 = s.charAt(start);
    char c1 = s.charAt(start + 1);
    if (!isUpper(c1) || !isDigit(s.charAt(start + 2)) || !isDigit(s.charAt(start + 3))) return -1;
    int length = LENGTH[(c0 - 'A') * 26 + c1 - 'A'];
    if (length == 0) return -1;
    int n = s.length();
    int pos = start + 4;
    boolean spaced = pos < n && s.charAt(pos) == ' ';
    s.getChars(start, start + 4, iban, 0);
    for (int count = 4; count < length; count++) {
      if (spaced && count % 4 == 0) {
        if (pos >= n || s.charAt(pos) != ' ') return -1;
        pos++;
      }
      if (pos >= n) return -1;
      char c = s.charAt(pos++);
      if (!isDigit(c) && !isUpper(c)) return -1;
      iban[count] = c;
    }
    if (pos < n && Chars.isWordChar(s.charAt(pos))) return -1;
    return checksumHolds(iban, length) ? pos : -1;
  }

  /** ISO 7064 mod 97-10 over the IBAN with its first four characters moved to the end. */
  static boolean checksumHolds(char[] iban, int length) {
    int check = (iban[2] - '0') * 10 + (iban[3] - '0');
    if (check < 2 || check > 98) return false;
    int remainder = 0;
    for (int k = 0; k < length; k++) {
      char c = iban[(k + 4) % length];
      remainder = isDigit(c) ? (remainder * 10 + (c - '0')) % 97 : (remainder * 100 + (c - 'A' + 10)) % 97;
    }
    return remainder == 1;
  }
}
