package dev.tollgate.domain.pricing;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.math.BigInteger;

/**
 * Prices one call's token usage, exactly.
 *
 * <p>Every component's tokens × rate (nano-dollars per million tokens) is summed first and divided
 * by one million once, rounding half up, so a 7-token embedding at $0.02/Mtok is 140 nanos rather
 * than five separately rounded parts. The tier is chosen by the whole prompt size and then applies
 * to every component of the request, as Gemini and Anthropic bill it.
 */
public final class CostCalculator {

  private static final long TOKENS_PER_RATE_UNIT = 1_000_000L;
  private static final BigInteger BIG_UNIT = BigInteger.valueOf(TOKENS_PER_RATE_UNIT);

  private CostCalculator() {}

  /**
   * The list cost of {@code usage} at {@code price}.
   *
   * @throws ArithmeticException if the cost exceeds what {@link Money} holds (about $9.2 billion)
   */
  public static Money cost(Price price, TokenUsage usage) {
    Rates rates = price.ratesFor(usage.inputTokens());
    // Output includes reasoning. Should a provider ever report more reasoning than output, bill the
    // reasoning in full rather than a negative remainder: never price below what was reported.
    long reasoning = usage.reasoningTokens();
    long plainOutput = Math.max(0, usage.outputTokens() - reasoning);
    long[] tokens = {
      usage.uncachedInputTokens(), usage.cachedInputTokens(), usage.cacheWriteTokens(), plainOutput, reasoning
    };
    long[] perMTok = {
      rates.inputNanosPerMTok(), rates.cachedInputNanosPerMTok(), rates.cacheWriteNanosPerMTok(),
      rates.outputNanosPerMTok(), rates.reasoningNanosPerMTok()
    };
    try {
      long numerator = 0;
      for (int i = 0; i < tokens.length; i++) {
        numerator = Math.addExact(numerator, Math.multiplyExact(tokens[i], perMTok[i]));
      }
      return Money.ofNanos(divideHalfUp(numerator));
    } catch (ArithmeticException overflow) {
      // Only calls costing over about $9,200 get here (a numerator beyond 2^63 nano-token units);
      // the exact slow path either answers or fails loudly in longValueExact.
      return Money.ofNanos(exactCost(tokens, perMTok));
    }
  }

  private static long divideHalfUp(long nonNegative) {
    long quotient = nonNegative / TOKENS_PER_RATE_UNIT;
    return nonNegative % TOKENS_PER_RATE_UNIT >= TOKENS_PER_RATE_UNIT / 2 ? quotient + 1 : quotient;
  }

  private static long exactCost(long[] tokens, long[] perMTok) {
    BigInteger numerator = BigInteger.ZERO;
    for (int i = 0; i < tokens.length; i++) {
      numerator = numerator.add(BigInteger.valueOf(tokens[i]).multiply(BigInteger.valueOf(perMTok[i])));
    }
    BigInteger[] qr = numerator.divideAndRemainder(BIG_UNIT);
    BigInteger nanos = qr[1].compareTo(BIG_UNIT.shiftRight(1)) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    return nanos.longValueExact();
  }
}
