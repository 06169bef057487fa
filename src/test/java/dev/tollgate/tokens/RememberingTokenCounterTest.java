package dev.tollgate.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.port.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long texts sent again are counted once, counts stay exact per encoding, and memory stays bounded. */
class RememberingTokenCounterTest {

  /** Counts words, and how often it was asked. */
  static final class CountingCounter implements TokenCounter {
    final List<String> asked = new ArrayList<>();

    @Override
    public int count(String model, String text) {
      asked.add(text);
      return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
  }

  static String text(String word, int chars) {
    StringBuilder b = new StringBuilder();
    while (b.length() < chars) b.append(word).append(' ');
    return b.toString();
  }

  @Test
  void aLongTextSentAgainIsTokenizedOnceAndCountsTheSame() {
    CountingCounter inner = new CountingCounter();
    RememberingTokenCounter counter = new RememberingTokenCounter(inner, 100_000);
    String systemPrompt = text("policy", 4_000);
    int first = counter.count("gpt-4o", systemPrompt);
    int again = counter.count("gpt-4o", new String(systemPrompt.toCharArray())); // an equal text from a new request
    assertThat(again).isEqualTo(first).isEqualTo(inner.count("gpt-4o", systemPrompt));
    assertThat(inner.asked).hasSize(2); // the first count and the check above, not the repeat
  }

  @Test
  void shortTextsAreCountedEachTimeAndNotRemembered() {
    CountingCounter inner = new CountingCounter();
    RememberingTokenCounter counter = new RememberingTokenCounter(inner, 100_000);
    counter.count("gpt-4o", "hello there");
    counter.count("gpt-4o", "hello there");
    assertThat(inner.asked).hasSize(2);
    assertThat(counter.remembered()).isZero();
  }

  @Test
  void countsAreKeptPerEncodingSoModelsWithAnotherTokenizerGetTheirOwn() {
    JtokkitTokenCounter jtokkit = new JtokkitTokenCounter();
    RememberingTokenCounter counter = new RememberingTokenCounter(jtokkit, 100_000);
    String mixed = text("Ünïcödé naïve café — 東京 ", 2_000);
    int o200k = counter.count("gpt-4o-mini", mixed);
    int cl100k = counter.count("gpt-4-turbo", mixed);
    assertThat(o200k).isEqualTo(jtokkit.count("gpt-4o-mini", mixed));
    assertThat(cl100k).isEqualTo(jtokkit.count("gpt-4-turbo", mixed));
    assertThat(o200k).isNotEqualTo(cl100k);
    assertThat(counter.count("gpt-4o", mixed)).as("same encoding as gpt-4o-mini").isEqualTo(o200k);
  }

  @Test
  void memoryIsBoundedAndTextsInUseOutliveTheRest() {
    CountingCounter inner = new CountingCounter();
    RememberingTokenCounter counter = new RememberingTokenCounter(inner, 10_000);
    String kept = text("system", 1_000);
    counter.count("m", kept);
    for (int i = 0; i < 100; i++) {
      counter.count("m", text("turn" + i, 1_000)); // 100,000 characters of one-off texts through a 10,000-character generation
      counter.count("m", kept); // the system prompt, on every request
    }
    assertThat(counter.remembered()).as("at most two generations of ~10 texts").isLessThanOrEqualTo(24);
    assertThat(inner.asked.stream().filter(kept::equals)).as("the prompt in use is never counted again").hasSize(1);
    int before = inner.asked.size();
    counter.count("m", text("turn0", 1_000)); // long gone
    assertThat(inner.asked).hasSize(before + 1);
  }
}
