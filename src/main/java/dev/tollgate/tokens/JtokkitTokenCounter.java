package dev.tollgate.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tollgate.port.TokenCounter;
import java.util.Locale;

/**
 * Counts tokens with jtokkit (whose counts match OpenAI's tiktoken). Newer OpenAI models (GPT-4o,
 * 4.1, 5, o-series) use o200k_base; everything else is counted with cl100k_base, a close estimate
 * for other vendors' tokenizers. Encodings are thread-safe and shared.
 */
public final class JtokkitTokenCounter implements TokenCounter {

  private final Encoding o200k;
  private final Encoding cl100k;

  public JtokkitTokenCounter() {
    EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    this.o200k = registry.getEncoding(EncodingType.O200K_BASE);
    this.cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
    // Load both vocabularies now, at start-up, rather than on the event loop of the first request that needs them.
    o200k.countTokens("warm up");
    cl100k.countTokens("warm up");
  }

  @Override
  public int count(String model, String text) {
    if (text == null || text.isEmpty()) return 0;
    return encodingFor(model).countTokens(text);
  }

  Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1);
    if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o")) {
      return o200k;
    }
    return cl100k;
  }
}
