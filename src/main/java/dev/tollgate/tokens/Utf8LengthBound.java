package dev.tollgate.tokens;

import dev.tollgate.port.TokenCounter;

/**
 * An upper bound on a text's token count that costs a length scan instead of a tokenization: the
 * text's length in UTF-8 bytes. Every token of a byte-level BPE tokenizer (tiktoken's encodings,
 * and so jtokkit's; the byte-fallback tokenizers of other vendors) stands for at least one byte, so
 * no model's count of the text can exceed its byte length.
 *
 * <p>Admission reserves with this bound and counts exactly only where the bound decides something
 * (a refusal, a downgrade): see {@code Admit}.
 */
public final class Utf8LengthBound implements TokenCounter {

  @Override
  public int count(String model, String text) {
    return bytes(text);
  }

  /** The UTF-8 length of {@code text}; a surrogate pair counts 3 + 3 bytes instead of 4 (still a bound). */
  static int bytes(String text) {
    int n = text.length();
    int extra = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) extra += c >= 0x800 ? 2 : 1;
    }
    return n + extra;
  }
}
