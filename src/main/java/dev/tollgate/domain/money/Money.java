package dev.tollgate.domain.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount of US dollars, held as nano-dollars (10⁻⁹ USD) in a {@code long}.
 *
 * <p>Why nanos: a 7-token embedding at $0.02 per million tokens costs $0.00000014 — 140 nano-dollars
 * — which a cent or micro-dollar unit would round to zero; and sums over millions of ledger rows must
 * not drift the way doubles do. A {@code long} of nanos covers ±9.2 billion dollars.
 */
public record Money(long nanos) implements Comparable<Money> {

  public static final Money ZERO = new Money(0);
  public static final long NANOS_PER_USD = 1_000_000_000L;

  public static Money ofNanos(long nanos) {
    return new Money(nanos);
  }

  /** Parses a decimal USD amount such as {@code "0.15"} or {@code "1.5e-7"}; refuses sub-nano precision. */
  public static Money ofUsd(String usd) {
    return ofUsd(new BigDecimal(usd.trim()));
  }

  public static Money ofUsd(BigDecimal usd) {
    BigDecimal nanos = usd.movePointRight(9);
    try {
      return new Money(nanos.setScale(0, RoundingMode.UNNECESSARY).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("amount " + usd.toPlainString() + " USD is finer than a nano-dollar or too large");
    }
  }

  public Money plus(Money other) {
    return new Money(Math.addExact(nanos, other.nanos));
  }

  public Money minus(Money other) {
    return new Money(Math.subtractExact(nanos, other.nanos));
  }

  public boolean isZero() {
    return nanos == 0;
  }

  public BigDecimal toUsd() {
    return BigDecimal.valueOf(nanos, 9);
  }

  /** Plain decimal USD with no trailing zeros, e.g. {@code "0.00000014"}; {@code "0"} for zero. */
  public String toUsdString() {
    if (nanos == 0) return "0";
    return toUsd().stripTrailingZeros().toPlainString();
  }

  @Override
  public int compareTo(Money o) {
    return Long.compare(nanos, o.nanos);
  }

  @Override
  public String toString() {
    return "$" + toUsdString();
  }
}
