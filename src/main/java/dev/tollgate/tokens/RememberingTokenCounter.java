package dev.tollgate.tokens;

import dev.tollgate.port.TokenCounter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the token counts of long texts it has counted recently, so that a text sent again is not
 * tokenized again.
 *
 * <p>Why: admission counts every message of every request, and most long messages come back — an
 * application's system prompt on each call, an agent's conversation resent whole with one more turn at
 * each step. Tokenizing 8 KB with o200k_base costs about 0.3 ms of event-loop time; looking it up costs
 * a hash and one comparison of the text. A count depends only on the text and the encoding, so a
 * remembered count is always exact.
 *
 * <p>Texts shorter than {@link #MIN_CHARS} are counted each time (counting them is as cheap as the
 * lookup). Memory is bounded by characters held: two generations of at most {@code maxChars} each;
 * when the young one is full it becomes the old one and the previous old one is dropped, and a text
 * found in the old generation moves back to the young one — least recently used texts go first,
 * without a lock or a linked list on the hot path.
 */
public final class RememberingTokenCounter implements TokenCounter {

  /** Below this many characters a text is counted again rather than remembered. */
  static final int MIN_CHARS = 512;

  private final TokenCounter counter;
  private final long maxChars;
  private final AtomicLong youngChars = new AtomicLong();
  private volatile ConcurrentHashMap<Key, Integer> young = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<Key, Integer> old = new ConcurrentHashMap<>();

  /** The encoding (as the model name maps to it) and the text. */
  private record Key(String encoding, String text) {}

  /**
   * @param maxChars characters remembered per generation (so at most twice this is held); 4,000,000
   *     characters are about 4 to 8 MB of heap
   */
  public RememberingTokenCounter(TokenCounter counter, long maxChars) {
    if (maxChars < MIN_CHARS) throw new IllegalArgumentException("maxChars must be at least " + MIN_CHARS);
    this.counter = counter;
    this.maxChars = maxChars;
  }

  @Override
  public int count(String model, String text) {
    if (text == null || text.length() < MIN_CHARS) return counter.count(model, text);
    Key key = new Key(encodingOf(model), text);
    Integer known = young.get(key);
    if (known != null) return known;
    known = old.get(key);
    if (known == null) known = counter.count(model, text);
    remember(key, known);
    return known;
  }

  /** The name of the encoding a model is counted with; texts of models sharing one share their counts. */
  private String encodingOf(String model) {
    return counter instanceof JtokkitTokenCounter j ? j.encodingFor(model).getName() : model;
  }

  private void remember(Key key, int count) {
    if (young.putIfAbsent(key, count) != null) return;
    if (youngChars.addAndGet(key.text().length()) > maxChars) {
      synchronized (this) {
        if (youngChars.get() > maxChars) {
          old = young;
          young = new ConcurrentHashMap<>();
          youngChars.set(0);
        }
      }
    }
  }

  /** Texts remembered now (both generations); for tests and metrics. */
  int remembered() {
    return young.size() + old.size();
  }
}
