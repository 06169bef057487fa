package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The prices and class rules the reports price counterfactuals with: the running configuration's
 * models (the price catalog with overrides), by the name clients ask for and by the provider id that
 * served them, and the models each workload class allows.
 *
 * @param byName model name → price
 * @param byServed {@code provider|upstream id} → model name
 * @param allowedByClass workload class → the model names it allows
 * @param privateModels the models of the {@code private} tier
 * @param routePrivateClasses the classes whose guard sends prompts with findings to private models only
 *     ({@code pii: route_private})
 */
public record PriceBook(Map<String, Price> byName, Map<String, String> byServed, Map<String, List<String>> allowedByClass,
    Set<String> privateModels, Set<String> routePrivateClasses) {

  public PriceBook {
    byName = Map.copyOf(byName);
    byServed = Map.copyOf(byServed);
    allowedByClass = Map.copyOf(allowedByClass);
    privateModels = Set.copyOf(privateModels);
    routePrivateClasses = Set.copyOf(routePrivateClasses);
  }

  /** Prices and classes without private models. */
  public PriceBook(Map<String, Price> byName, Map<String, String> byServed, Map<String, List<String>> allowedByClass) {
    this(byName, byServed, allowedByClass, Set.of(), Set.of());
  }

  public static String servedKey(String provider, String upstream) {
    return provider + "|" + upstream;
  }

  /** The configured model a row was served by, if it is still configured. */
  public Optional<String> servedModelName(LedgerFacts r) {
    return Optional.ofNullable(byServed.get(servedKey(r.provider(), r.servedModel())));
  }

  public Optional<Price> price(String modelName) {
    return Optional.ofNullable(modelName == null ? null : byName.get(modelName));
  }

  public Optional<Money> cost(String modelName, TokenUsage usage) {
    return price(modelName).map(p -> CostCalculator.cost(p, usage));
  }
}
