package dev.tollgate.report;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Splits a whole number of nano-dollars into parts proportional to weights, exactly: the parts
 * always add up to the total, to the nano-dollar.
 *
 * <p>Largest-remainder method (Hamilton): each part first gets the floor of its exact quota
 * {@code total × weight / Σweights}; the nano-dollars left over (fewer than the number of parts)
 * go one each to the parts with the largest fractional remainders, ties to the earlier part. Callers
 * order the parts (say by team name) so that the same input always splits the same way.
 */
public final class Allocation {

  private Allocation() {}

  /** As {@link #largestRemainder(long, BigInteger[])} with {@code long} weights. */
  public static long[] largestRemainder(long total, long[] weights) {
    BigInteger[] big = new BigInteger[weights.length];
    for (int i = 0; i < weights.length; i++) big[i] = BigInteger.valueOf(weights[i]);
    return largestRemainder(total, big);
  }

  /**
   * The parts of {@code total} by {@code weights}. When every weight is zero the total is split in
   * equal parts (the same rule applied to weights of one each).
   *
   * @throws IllegalArgumentException if there are no parts for a non-zero total, or a weight is negative
   */
  public static long[] largestRemainder(long total, BigInteger[] weights) {
    int n = weights.length;
    if (n == 0) {
      if (total != 0) throw new IllegalArgumentException("cannot split " + total + " into no parts");
      return new long[0];
    }
    BigInteger sum = BigInteger.ZERO;
    for (BigInteger w : weights) {
      if (w.signum() < 0) throw new IllegalArgumentException("weights cannot be negative: " + w);
      sum = sum.add(w);
    }
    BigInteger[] effective = weights;
    if (sum.signum() == 0) {
      effective = new BigInteger[n];
      Arrays.fill(effective, BigInteger.ONE);
      sum = BigInteger.valueOf(n);
    }
    if (total < 0) {
      long[] positive = largestRemainder(Math.negateExact(total), effective);
      for (int i = 0; i < n; i++) positive[i] = -positive[i];
      return positive;
    }
    BigInteger bigTotal = BigInteger.valueOf(total);
    long[] parts = new long[n];
    BigInteger[] remainders = new BigInteger[n];
    long given = 0;
    for (int i = 0; i < n; i++) {
      BigInteger[] qr = bigTotal.multiply(effective[i]).divideAndRemainder(sum);
      parts[i] = qr[0].longValueExact();
      remainders[i] = qr[1];
      given += parts[i];
    }
    long left = total - given;
    final BigInteger[] r = remainders;
    Integer[] order = IntStream.range(0, n).boxed().sorted(
        Comparator.comparing((Integer i) -> r[i]).reversed().thenComparingInt(i -> i)).toArray(Integer[]::new);
    for (int k = 0; k < left; k++) parts[order[k]]++;
    return parts;
  }
}
