package dev.tollgate.pipeline.cache;

import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;

/**
 * One stored answer, as the client first received it from the pipeline: either a whole body or the
 * stream's writes in order (each one or more whole SSE events), and the usage it cost upstream.
 *
 * @param chunks the stream's writes, in order; empty for a whole body
 * @param body the whole answer, or null for a stream
 */
public record CachedAnswer(boolean stream, List<byte[]> chunks, byte[] body, TokenUsage usage) {

  public CachedAnswer {
    chunks = List.copyOf(chunks);
    if (usage == null) usage = TokenUsage.NONE;
  }

  /** The bytes the answer holds, for the cache's byte bound. */
  public long bytes() {
    long n = body == null ? 0 : body.length;
    for (byte[] c : chunks) n += c.length;
    return n;
  }
}
