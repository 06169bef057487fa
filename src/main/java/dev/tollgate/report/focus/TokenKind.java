package dev.tollgate.report.focus;

import dev.tollgate.domain.pricing.Rates;

/**
 * The kinds of tokens priced separately, each a SKU of its own per model: the same split as
 * {@link dev.tollgate.domain.pricing.CostCalculator} bills (uncached input, cache reads, cache
 * writes, output without reasoning, reasoning).
 */
public enum TokenKind {
  INPUT("input", "Input Tokens", "Input", "Uncached"),
  CACHE_READ("cache-read", "Cache Read Input Tokens", "Input", "Read"),
  CACHE_WRITE("cache-write", "Cache Write Input Tokens", "Input", "Write"),
  OUTPUT("output", "Output Tokens", "Output", null),
  REASONING("reasoning", "Reasoning Output Tokens", "Output", null);

  private final String sku;
  private final String meter;
  private final String direction;
  private final String cacheAction;

  TokenKind(String sku, String meter, String direction, String cacheAction) {
    this.sku = sku;
    this.meter = meter;
    this.direction = direction;
    this.cacheAction = cacheAction;
  }

  /** The suffix of the SkuId: {@code gpt-4o-mini:cache-read}. */
  public String sku() {
    return sku;
  }

  /** SkuMeter, e.g. {@code Cache Read Input Tokens}. */
  public String meter() {
    return meter;
  }

  /** Input or Output (the FOCUS working draft's TokenDirection). */
  public String direction() {
    return direction;
  }

  /** Uncached, Read or Write for input tokens, else null (the working draft's TokenCacheAction). */
  public String cacheAction() {
    return cacheAction;
  }

  /** Nano-dollars per million tokens of this kind. */
  public long rate(Rates r) {
    return switch (this) {
      case INPUT -> r.inputNanosPerMTok();
      case CACHE_READ -> r.cachedInputNanosPerMTok();
      case CACHE_WRITE -> r.cacheWriteNanosPerMTok();
      case OUTPUT -> r.outputNanosPerMTok();
      case REASONING -> r.reasoningNanosPerMTok();
    };
  }

  /** This kind's tokens in a usage group. */
  public long tokens(SkuUsage u) {
    return switch (this) {
      case INPUT -> u.uncachedInputTokens();
      case CACHE_READ -> u.cacheReadTokens();
      case CACHE_WRITE -> u.cacheWriteTokens();
      case OUTPUT -> u.plainOutputTokens();
      case REASONING -> u.reasoningTokens();
    };
  }
}
