package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;
import java.util.Optional;

/**
 * The cheapest model a workload class allows for some usage: the one question behind the savings
 * report's "switching" and the counterfactual report. The candidates are the models the class allows
 * under the running configuration; a request the guard bound to private models (its prompt had findings
 * and its class says {@code pii: route_private}, or it was routed {@code pii_private}) may only go to
 * private-tier ones. Ties go to the first model by name, so the answer does not depend on map order.
 */
public final class CheapestAllowed {

  /** The model chosen and what the usage would have cost on it. */
  public record Choice(String model, Money cost) {}

  private CheapestAllowed() {}

  /**
   * The allowed model on which {@code usages} together cost least; empty when the class is unknown or
   * none of its models is priced.
   */
  public static Optional<Choice> of(PriceBook prices, String workloadClass, boolean privateOnly, List<TokenUsage> usages) {
    List<String> allowed = workloadClass == null ? null : prices.allowedByClass().get(workloadClass);
    if (allowed == null) return Optional.empty();
    Choice best = null;
    for (String model : allowed.stream().sorted().toList()) {
      if (prices.price(model).isEmpty()) continue;
      if (privateOnly && !prices.privateModels().contains(model)) continue;
      Money total = Money.ZERO;
      for (TokenUsage u : usages) total = total.plus(prices.cost(model, u).orElseThrow());
      if (best == null || total.compareTo(best.cost()) < 0) best = new Choice(model, total);
    }
    return Optional.ofNullable(best);
  }

  /** Whether the policy bound this row to private-tier models. */
  public static boolean privateOnly(LedgerFacts r, PriceBook prices) {
    if ("pii_private".equals(r.routeReason())) return true;
    return r.hadFindings() && r.workloadClass() != null && prices.routePrivateClasses().contains(r.workloadClass());
  }
}
