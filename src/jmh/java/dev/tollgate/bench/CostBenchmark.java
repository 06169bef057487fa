package dev.tollgate.bench;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Exact cost of one call (run twice per request: worst case at admission, actual at metering). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CostBenchmark {

  private Price price = new Price(new Rates(1_250_000_000L, 125_000_000L, 1_562_500_000L, 10_000_000_000L, 10_000_000_000L),
      List.of(new PriceTier(200_000, Rates.of(2_500_000_000L, 15_000_000_000L))), "bench");
  private TokenUsage usage = new TokenUsage(2_310, 1_024, 0, 412, 128);

  @Benchmark
  public Money cost() {
    return CostCalculator.cost(price, usage);
  }
}
