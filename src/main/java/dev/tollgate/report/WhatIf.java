package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.usage.TokenUsage;

/**
 * The cost of a planned workflow before it ships: calls per day × tokens per call × a model's
 * price. Each call is priced exactly as the gateway will price it (same rounding, same tier by
 * prompt size), then multiplied, so the estimate is what the ledger would show for that traffic.
 */
public final class WhatIf {

  private WhatIf() {}

  /**
   * A planned workload: per call, prompt tokens (of which {@code cachedInputTokens} are read from a
   * prompt cache) and completion tokens (of which {@code reasoningTokens} are reasoning).
   */
  public record Plan(String model, long callsPerDay, long inputTokens, long cachedInputTokens, long outputTokens,
      long reasoningTokens, int days) {

    public Plan {
      if (model == null || model.isBlank()) throw new IllegalArgumentException("'model' is required");
      if (callsPerDay < 0) throw new IllegalArgumentException("'calls_per_day' cannot be negative");
      if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || reasoningTokens < 0) {
        throw new IllegalArgumentException("token counts cannot be negative");
      }
      if (cachedInputTokens > inputTokens) {
        throw new IllegalArgumentException("'cached_input_tokens' is part of 'input_tokens' and cannot exceed it");
      }
      if (reasoningTokens > outputTokens) {
        throw new IllegalArgumentException("'reasoning_tokens' is part of 'output_tokens' and cannot exceed it");
      }
      if (days < 1 || days > 366) throw new IllegalArgumentException("'days' must be between 1 and 366");
    }
  }

  public record Estimate(Plan plan, Price price, Money perCall, Money perDay, Money total) {}

  /** @throws ArithmeticException if the total exceeds what {@link Money} holds */
  public static Estimate estimate(Plan plan, Price price) {
    TokenUsage usage = new TokenUsage(plan.inputTokens(), plan.cachedInputTokens(), 0, plan.outputTokens(),
        plan.reasoningTokens());
    Money perCall = CostCalculator.cost(price, usage);
    long perDay = Math.multiplyExact(perCall.nanos(), plan.callsPerDay());
    return new Estimate(plan, price, perCall, Money.ofNanos(perDay), Money.ofNanos(Math.multiplyExact(perDay, plan.days())));
  }
}
