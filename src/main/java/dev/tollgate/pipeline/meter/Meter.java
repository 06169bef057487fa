package dev.tollgate.pipeline.meter;

import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.PromptEstimator;

/**
 * Settles what a request consumed and what it cost. Usage reported by the provider is taken as it
 * is. Where none arrived although the upstream was called (a stream cut short, a client gone), the
 * prompt is billed in full and the output counted from what was streamed, and the row is marked
 * estimated. A request that never reached a provider costs nothing.
 */
public final class Meter {

  private final PromptEstimator estimator;

  public Meter(PromptEstimator estimator) {
    this.estimator = estimator;
  }

  /** Fills in usage (estimating where needed) and cost. Safe to call more than once. */
  public void complete(Exchange x, String streamedText) {
    if (!x.upstreamCalled()) return;
    if (x.usage() == null) {
      String model = x.route().upstream();
      x.usage(TokenUsage.of(estimator.promptTokens(model, x.body()), estimator.outputTokens(model, streamedText)), true);
    }
    x.cost(CostCalculator.cost(x.route().price(), x.usage()));
  }
}
