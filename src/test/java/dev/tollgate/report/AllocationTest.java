package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AllocationTest {

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of(100L, new long[] {1, 1, 1}, new long[] {34, 33, 33}),
        Arguments.of(10L, new long[] {3, 3, 4}, new long[] {3, 3, 4}),
        Arguments.of(1001L, new long[] {2, 1}, new long[] {667, 334}),
        Arguments.of(7L, new long[] {0, 0}, new long[] {4, 3}),
        Arguments.of(5L, new long[] {0, 9}, new long[] {0, 5}),
        Arguments.of(0L, new long[] {5, 7}, new long[] {0, 0}),
        Arguments.of(-100L, new long[] {1, 1, 1}, new long[] {-34, -33, -33}),
        Arguments.of(2L, new long[] {1, 1, 1}, new long[] {1, 1, 0}));
  }

  @ParameterizedTest
  @MethodSource("examples")
  void largestRemainderGivesTheLeftoverNanosToTheLargestFractions(long total, long[] weights, long[] expected) {
    assertThat(Allocation.largestRemainder(total, weights)).containsExactly(expected);
  }

  @Test
  void partsAddUpToTheTotalAndStayWithinOneNanoOfTheExactQuota() {
    Random random = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(12);
      long total = random.nextLong(0, 5_000_000_000_000L);
      long[] weights = new long[n];
      for (int i = 0; i < n; i++) weights[i] = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1_000_000_000_000L);
      long[] parts = Allocation.largestRemainder(total, weights);
      assertThat(Arrays.stream(parts).sum()).isEqualTo(total);
      long sum = Arrays.stream(weights).sum();
      if (sum == 0) continue;
      for (int i = 0; i < n; i++) {
        BigInteger floor = BigInteger.valueOf(total).multiply(BigInteger.valueOf(weights[i])).divide(BigInteger.valueOf(sum));
        assertThat(parts[i]).isBetween(floor.longValue(), floor.longValue() + 1);
      }
    }
  }

  @Test
  void weightsBeyondALongAreSplitExactly() {
    BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(1_000));
    long[] parts = Allocation.largestRemainder(Long.MAX_VALUE, new BigInteger[] {big, big, big.multiply(BigInteger.TWO)});
    assertThat(parts[0] + parts[1] + parts[2]).isEqualTo(Long.MAX_VALUE);
    assertThat(parts[2]).isEqualTo(Long.MAX_VALUE / 2);
  }

  @Test
  void refusesNegativeWeightsAndANonZeroTotalWithNoParts() {
    assertThatThrownBy(() -> Allocation.largestRemainder(5, new long[] {1, -1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Allocation.largestRemainder(5, new long[0])).isInstanceOf(IllegalArgumentException.class);
    assertThat(Allocation.largestRemainder(0, new long[0])).isEmpty();
  }
}
