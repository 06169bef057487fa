package dev.tollgate.domain.pricing;

import java.util.Comparator;
import java.util.List;

/**
 * What one model costs: base rates plus optional tiers by prompt size.
 *
 * @param source where the price came from: {@code catalog}, {@code config} or a file name
 */
public record Price(Rates base, List<PriceTier> tiers, String source) {

  public Price {
    tiers = tiers == null ? List.of()
        : tiers.stream().sorted(Comparator.comparingLong(PriceTier::aboveInputTokens)).toList();
  }

  public static Price flat(Rates rates, String source) {
    return new Price(rates, List.of(), source);
  }

  /** The rates that apply to a request with this many prompt tokens: the highest tier it exceeds. */
  public Rates ratesFor(long inputTokens) {
    Rates chosen = base;
    for (PriceTier tier : tiers) {
      if (inputTokens > tier.aboveInputTokens()) chosen = tier.rates();
    }
    return chosen;
  }
}
