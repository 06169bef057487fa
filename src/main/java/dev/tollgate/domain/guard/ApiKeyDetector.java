package dev.tollgate.domain.guard;

import static dev.tollgate.domain.guard.Chars.isAsciiAlnum;
import static dev.tollgate.domain.guard.Chars.isDigit;
import static dev.tollgate.domain.guard.Chars.isLower;
import static dev.tollgate.domain.guard.Chars.isUpper;

import java.util.ArrayList;
import java.util.List;

/**
 * API keys and bearer tokens whose providers give them a recognisable prefix, listed in {@link
 * #SHAPES}, and JSON Web Tokens ({@code eyJ…}{@code .eyJ…}{@code .…}). A key must start a token, be
 * made only of its provider's characters, have its provider's length, and end the token. Keys
 * without a prefix (AWS secret keys, Mistral or Cohere keys) look like any other random string and
 * are not detected.
 */
final class ApiKeyDetector implements Detector {

  /** The characters a key body may contain. */
  private enum Body {
    BASE64URL, ALNUM, ALNUM_UNDERSCORE, UPPER_DIGIT, LOWER_HEX, LETTERS, SLACK;

    boolean allows(char c) {
      return switch (this) {
        case BASE64URL -> isAsciiAlnum(c) || c == '-' || c == '_';
        case ALNUM -> isAsciiAlnum(c);
        case ALNUM_UNDERSCORE -> isAsciiAlnum(c) || c == '_';
        case UPPER_DIGIT -> isUpper(c) || isDigit(c);
        case LOWER_HEX -> isDigit(c) || (c >= 'a' && c <= 'f');
        case LETTERS -> isUpper(c) || isLower(c);
        case SLACK -> isAsciiAlnum(c) || c == '-';
      };
    }
  }

  /**
   * One provider's key format.
   *
   * @param random the body must contain a stretch of 16 letters and digits mixing both, which tells
   *     a key from a kebab-case phrase that happens to start with the prefix ({@code sk-learn-…})
   */
  private record Shape(String provider, String prefix, Body body, int min, int max, boolean random) {}

  private static final List<Shape> SHAPES = List.of(
      // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic (sk-ant-api03-, sk-ant-admin01-),
      // OpenRouter (sk-or-v1-) and DeepSeek all share the sk- prefix.
      new Shape("openai/anthropic", "sk-", Body.BASE64URL, 20, 512, true),
      new Shape("stripe", "sk_live_", Body.ALNUM, 16, 256, false),
      new Shape("stripe", "sk_test_", Body.ALNUM, 16, 256, false),
      new Shape("stripe", "rk_live_", Body.ALNUM, 16, 256, false),
      new Shape("stripe", "rk_test_", Body.ALNUM, 16, 256, false),
      new Shape("aws", "AKIA", Body.UPPER_DIGIT, 16, 16, false),
      new Shape("aws", "ASIA", Body.UPPER_DIGIT, 16, 16, false),
      new Shape("github", "ghp_", Body.ALNUM, 36, 255, false),
      new Shape("github", "gho_", Body.ALNUM, 36, 255, false),
      new Shape("github", "ghu_", Body.ALNUM, 36, 255, false),
      new Shape("github", "ghs_", Body.ALNUM, 36, 255, false),
      new Shape("github", "ghr_", Body.ALNUM, 36, 255, false),
      new Shape("github", "github_pat_", Body.ALNUM_UNDERSCORE, 22, 255, false),
      new Shape("gitlab", "glpat-", Body.BASE64URL, 20, 64, false),
      new Shape("google", "AIza", Body.BASE64URL, 35, 35, false),
      new Shape("slack", "xoxa-", Body.SLACK, 10, 255, false),
      new Shape("slack", "xoxb-", Body.SLACK, 10, 255, false),
      new Shape("slack", "xoxp-", Body.SLACK, 10, 255, false),
      new Shape("slack", "xoxr-", Body.SLACK, 10, 255, false),
      new Shape("slack", "xoxs-", Body.SLACK, 10, 255, false),
      new Shape("tollgate", "tg-", Body.LOWER_HEX, 40, 40, false),
      new Shape("huggingface", "hf_", Body.LETTERS, 34, 34, false),
      new Shape("groq", "gsk_", Body.ALNUM, 52, 52, false),
      new Shape("xai", "xai-", Body.ALNUM, 80, 80, false),
      new Shape("replicate", "r8_", Body.ALNUM, 30, 64, false),
      new Shape("perplexity", "pplx-", Body.ALNUM, 40, 64, false));

  /** The shapes by the first character of their prefix, so most characters cost one array load. */
  private static final Shape[][] BY_FIRST_CHAR = new Shape[128][];
  /**
   * The first two characters of every prefix and of {@code eyJ}, indexed by {@code c1 << 7 | c2}: the
   * hot loop looks further only where a pair matches, which English words almost never do.
   */
  private static final boolean[] PAIRS = new boolean[128 * 128];
  /** Base64url characters, as a table: the check runs for every candidate start. */
  private static final boolean[] KEY_CHAR = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      char first = c;
      Shape[] shapes = SHAPES.stream().filter(s -> s.prefix().charAt(0) == first).toArray(Shape[]::new);
      if (shapes.length > 0) BY_FIRST_CHAR[c] = shapes;
      KEY_CHAR[c] = Body.BASE64URL.allows(c);
    }
    for (Shape s : SHAPES) PAIRS[s.prefix().charAt(0) << 7 | s.prefix().charAt(1)] = true;
    PAIRS['e' << 7 | 'y'] = true;
  }

  private static final int MIN_JWT_PART = 10;

  @Override
  public FindingType type() {
    return FindingType.API_KEY;
  }

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    int n = text.length();
    boolean afterKeyChar = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : ' ';
      // Only where a run of key characters starts: inside a word is not a key, and no two reads of
      // a key body can cover the same run, which keeps the scan linear.
      boolean start = (c | next) < 128 && PAIRS[c << 7 | next] && !afterKeyChar;
      afterKeyChar = c < 128 && KEY_CHAR[c];
      if (!start) continue;
      int end = c == 'e' ? jwt(text, i) : key(text, i, BY_FIRST_CHAR[c]);
      if (end > 0) {
        out.add(new Finding(FindingType.API_KEY, i, end));
        i = end - 1;
        afterKeyChar = text.charAt(i) < 128 && KEY_CHAR[text.charAt(i)];
      }
    }
    return out;
  }

  private static int key(String s, int start, Shape[] candidates) {
    for (Shape shape : candidates) {
      if (!s.startsWith(shape.prefix(), start)) continue;
      int from = start + shape.prefix().length();
      int end = from;
      int limit = Math.min(s.length(), from + shape.max() + 1);
      while (end < limit && shape.body().allows(s.charAt(end))) end++;
      int len = end - from;
      if (len < shape.min() || len > shape.max()) continue;
      if (end < s.length() && Chars.isWordChar(s.charAt(end))) continue;
      if (shape.body() == Body.SLACK && !isDigit(s.charAt(from))) continue;
      if (shape.random() && !hasRandomStretch(s, from, end)) continue;
      return end;
    }
    return -1;
  }

  private static boolean hasRandomStretch(String s, int from, int to) {
    int run = 0;
    boolean digit = false;
    boolean letter = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (isAsciiAlnum(c)) {
        run++;
        digit |= isDigit(c);
        letter |= !isDigit(c);
        if (run >= 16 && digit && letter) return true;
      } else {
        run = 0;
        digit = false;
        letter = false;
      }
    }
    return false;
  }

  /** A JWS or unsecured JWT in compact form: two base64url JSON objects and a signature. */
  private static int jwt(String s, int start) {
    int end = segment(s, start, true);
    if (end < 0 || end >= s.length() || s.charAt(end) != '.') return -1;
    end = segment(s, end + 1, true);
    if (end < 0 || end >= s.length() || s.charAt(end) != '.') return -1;
    end = segment(s, end + 1, false);
    if (end < s.length() && Chars.isWordChar(s.charAt(end))) return -1;
    return end;
  }

  private static int segment(String s, int from, boolean json) {
    if (json && !s.startsWith("eyJ", from)) return -1;
    int end = from;
    while (end < s.length() && Body.BASE64URL.allows(s.charAt(end))) end++;
    return json && end - from < MIN_JWT_PART ? -1 : end;
  }
}
