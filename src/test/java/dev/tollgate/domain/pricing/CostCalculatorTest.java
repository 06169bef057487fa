package dev.tollgate.domain.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CostCalculatorTest {

  /** Rates from USD per million tokens, written the way price pages print them. */
  private static Rates usdPerM(String input, String cached, String cacheWrite, String output, String reasoning) {
    return new Rates(nanos(input), nanos(cached), nanos(cacheWrite), nanos(output), nanos(reasoning));
  }

  /** USD per million tokens → nano-dollars per million tokens. */
  private static long nanos(String usdPerM) {
    return new BigDecimal(usdPerM).movePointRight(9).longValueExact();
  }

  private static final Price GPT_4O_MINI = Price.flat(usdPerM("0.15", "0.075", "0.15", "0.6", "0.6"), "test");
  private static final Price SONNET = Price.flat(usdPerM("3", "0.3", "3.75", "15", "15"), "test");
  private static final Price OWN_REASONING_RATE = Price.flat(usdPerM("1", "1", "1", "4", "8"), "test");
  private static final Price GEMINI_PRO = new Price(usdPerM("1.25", "0.125", "1.25", "10", "10"),
      List.of(new PriceTier(200_000, usdPerM("2.5", "0.25", "2.5", "15", "15"))), "test");
  private static final Price EMBEDDING = Price.flat(Rates.of(nanos("0.02"), 0), "test");

  // Expected costs are worked out by hand from the rates above, in USD.
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("plain input and output: 1000×0.15 + 500×0.6 per M",
            GPT_4O_MINI, new TokenUsage(1000, 0, 0, 500, 0), "0.00045"),
        Arguments.of("cached input at its own rate: 400×0.15 + 600×0.075 + 500×0.6 per M",
            GPT_4O_MINI, new TokenUsage(1000, 600, 0, 500, 0), "0.000405"),
        Arguments.of("cache writes at their own rate: 3000×3 + 2000×0.3 + 5000×3.75 + 1000×15 per M",
            SONNET, new TokenUsage(10_000, 2000, 5000, 1000, 0), "0.04335"),
        Arguments.of("reasoning at its own rate: 1000×1 + 1000×4 + 2000×8 per M",
            OWN_REASONING_RATE, new TokenUsage(1000, 0, 0, 3000, 2000), "0.021"),
        Arguments.of("reasoning beyond reported output is billed in full, never negative output",
            OWN_REASONING_RATE, new TokenUsage(0, 0, 0, 10, 1000), "0.008"),
        Arguments.of("prompt at the threshold stays on base rates: 200000×1.25 + 1000×10 per M",
            GEMINI_PRO, new TokenUsage(200_000, 0, 0, 1000, 0), "0.26"),
        Arguments.of("one token over the threshold reprices the whole request: 200001×2.5 + 1000×15 per M",
            GEMINI_PRO, new TokenUsage(200_001, 0, 0, 1000, 0), "0.5150025"),
        Arguments.of("tier applies to cached input too: 1×2.5 + 200000×0.25 per M",
            GEMINI_PRO, new TokenUsage(200_001, 200_000, 0, 0, 0), "0.0500025"),
        Arguments.of("7-token embedding at $0.02/M is 140 nanos, not zero",
            EMBEDDING, TokenUsage.of(7, 0), "0.00000014"),
        Arguments.of("half a nano rounds up",
            Price.flat(Rates.of(500_000, 0), "test"), TokenUsage.of(1, 0), "0.000000001"),
        Arguments.of("just under half a nano rounds down",
            Price.flat(Rates.of(499_999, 0), "test"), TokenUsage.of(1, 0), "0"),
        Arguments.of("components are summed before the one rounding: 3 × 0.4 nanos is 1 nano",
            Price.flat(new Rates(400_000, 400_000, 0, 400_000, 0), "test"), new TokenUsage(2, 1, 0, 1, 0),
            "0.000000001"),
        Arguments.of("no tokens cost nothing", SONNET, TokenUsage.NONE, "0"),
        Arguments.of("a numerator beyond a long still prices exactly: 10^12 tokens × $60/M",
            Price.flat(Rates.of(nanos("60"), nanos("60")), "test"), TokenUsage.of(1_000_000_000_000L, 0),
            "60000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pricesEveryComponentAndRoundsOnce(String rule, Price price, TokenUsage usage, String expectedUsd) {
    assertThat(CostCalculator.cost(price, usage)).isEqualTo(Money.ofUsd(expectedUsd));
  }

  @Test
  void tenMillionRowsSumExactlyToTheDecimalTotal() {
    List<Price> prices = List.of(GPT_4O_MINI, SONNET, OWN_REASONING_RATE, GEMINI_PRO, EMBEDDING,
        // rates with every digit used, where any drift would show
        Price.flat(new Rates(2_999_990_001L, 1_234_567L, 3_333_333_333L, 14_999_999_999L, 7_777_777_777L), "test"));
    Random random = new Random(20260724);
    int distinct = 1000;
    int repeats = 10_000;
    TokenUsage[] usages = new TokenUsage[distinct];
    Price[] rowPrices = new Price[distinct];
    BigDecimal expectedUsd = BigDecimal.ZERO;
    for (int i = 0; i < distinct; i++) {
      long input = random.nextInt(400_000);
      long cached = random.nextLong(input + 1);
      long cacheWrite = random.nextLong(input - cached + 1);
      long output = random.nextInt(20_000);
      long reasoning = random.nextLong(output + 1);
      usages[i] = new TokenUsage(input, cached, cacheWrite, output, reasoning);
      rowPrices[i] = prices.get(i % prices.size());
      expectedUsd = expectedUsd.add(decimalCost(rowPrices[i], usages[i]).multiply(BigDecimal.valueOf(repeats)));
    }

    Money total = Money.ZERO;
    for (int row = 0; row < distinct * repeats; row++) {
      total = total.plus(CostCalculator.cost(rowPrices[row % distinct], usages[row % distinct]));
    }

    assertThat(total.toUsd()).isEqualByComparingTo(expectedUsd);
  }

  /** An independent reference: each component in decimal USD, the row rounded to the nano half up. */
  private static BigDecimal decimalCost(Price price, TokenUsage usage) {
    Rates rates = usage.inputTokens() > 200_000 && !price.tiers().isEmpty() ? price.tiers().get(0).rates() : price.base();
    long plainInput = usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens();
    BigDecimal usd = usd(plainInput, rates.inputNanosPerMTok())
        .add(usd(usage.cachedInputTokens(), rates.cachedInputNanosPerMTok()))
        .add(usd(usage.cacheWriteTokens(), rates.cacheWriteNanosPerMTok()))
        .add(usd(usage.outputTokens() - usage.reasoningTokens(), rates.outputNanosPerMTok()))
        .add(usd(usage.reasoningTokens(), rates.reasoningNanosPerMTok()));
    return usd.setScale(9, RoundingMode.HALF_UP);
  }

  private static BigDecimal usd(long tokens, long nanosPerMTok) {
    BigDecimal usdPerToken = BigDecimal.valueOf(nanosPerMTok).movePointLeft(9 + 6);
    return usdPerToken.multiply(BigDecimal.valueOf(tokens));
  }
}
