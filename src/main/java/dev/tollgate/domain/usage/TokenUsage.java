package dev.tollgate.domain.usage;

/**
 * Tokens one call consumed, in the OpenAI convention: {@code inputTokens} counts every prompt token,
 * including the {@code cachedInputTokens} read from a provider's prompt cache and the
 * {@code cacheWriteTokens} written to it; {@code outputTokens} counts every completion token,
 * including {@code reasoningTokens}.
 */
public record TokenUsage(
    long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

  public TokenUsage {
    if (inputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  public static TokenUsage of(long input, long output) {
    return new TokenUsage(input, 0, 0, output, 0);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** Prompt tokens billed at the plain input rate: neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
  }
}
