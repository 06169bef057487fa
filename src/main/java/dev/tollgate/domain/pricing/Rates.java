package dev.tollgate.domain.pricing;

/**
 * Per-token prices of one model, each in nano-dollars per million tokens (so $0.15 / 1M tokens is
 * {@code 150_000_000}). Cached input, cache writes and reasoning have rates of their own; where a
 * source gives none, {@link #of} falls back to the input rate (cached input, cache writes) or the
 * output rate (reasoning), which is what providers bill.
 */
public record Rates(
    long inputNanosPerMTok,
    long cachedInputNanosPerMTok,
    long cacheWriteNanosPerMTok,
    long outputNanosPerMTok,
    long reasoningNanosPerMTok) {

  public Rates {
    if (inputNanosPerMTok < 0 || cachedInputNanosPerMTok < 0 || cacheWriteNanosPerMTok < 0
        || outputNanosPerMTok < 0 || reasoningNanosPerMTok < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  /** Rates with cached input and cache writes at the input rate, reasoning at the output rate. */
  public static Rates of(long inputNanosPerMTok, long outputNanosPerMTok) {
    return new Rates(inputNanosPerMTok, inputNanosPerMTok, inputNanosPerMTok, outputNanosPerMTok, outputNanosPerMTok);
  }
}
