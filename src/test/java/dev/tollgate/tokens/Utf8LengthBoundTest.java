package dev.tollgate.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LengthBoundTest {

  private static final List<String> TEXTS = List.of(
      "",
      "Hello, world! How are you today?",
      "Grüße aus München — naïve café, señor",
      "日本語のテキストとトークン数の上限",
      "emoji 🙂🚀 and symbols ∑∫√ mixed with ASCII",
      "    indented\n\tcode() { return x == y ? 1 : 0; }\n",
      "0123456789".repeat(300),
      "Ünïcödé ".repeat(200) + "😀".repeat(50));

  private final JtokkitTokenCounter exact = new JtokkitTokenCounter();
  private final Utf8LengthBound bound = new Utf8LengthBound();

  @Test
  void neverCountsFewerTokensThanEitherTokenizer() {
    for (String text : TEXTS) {
      for (String model : List.of("gpt-4o-mini", "gpt-4", "claude-sonnet-4-5")) {
        assertThat(bound.count(model, text)).as("%s: %s", model, text).isGreaterThanOrEqualTo(exact.count(model, text));
      }
    }
  }

  @Test
  void isTheUtf8LengthExceptForSurrogatePairs() {
    for (String text : TEXTS) {
      int utf8 = text.getBytes(StandardCharsets.UTF_8).length;
      long pairs = text.codePoints().filter(cp -> cp > 0xFFFF).count();
      assertThat(Utf8LengthBound.bytes(text)).isEqualTo(utf8 + 2 * pairs);
    }
  }
}
