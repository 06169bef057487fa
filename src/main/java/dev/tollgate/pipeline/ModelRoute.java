package dev.tollgate.pipeline;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.port.ProviderAdapter;

/**
 * A model name clients may ask for, resolved against the running config: which provider serves it,
 * under which upstream name, at which price.
 *
 * @param maxOutputTokens the model's output limit if known (used to bound reservations), else null
 * @param weight this placement's share of traffic among its model's deployments
 * @param deployments the places the model is served when there are several (each a route of its own,
 *     with its provider, upstream id and weight); empty when it is served in one place
 */
public record ModelRoute(
    String name, ProviderAdapter provider, String upstream, String tier, Price price, Integer maxOutputTokens,
    int weight, java.util.List<ModelRoute> deployments) {

  public ModelRoute {
    deployments = deployments == null ? java.util.List.of() : java.util.List.copyOf(deployments);
  }

  /** A model served in one place. */
  public ModelRoute(String name, ProviderAdapter provider, String upstream, String tier, Price price, Integer maxOutputTokens) {
    this(name, provider, upstream, tier, price, maxOutputTokens, 1, java.util.List.of());
  }

  /** The places this model is served: itself when it has one, else its deployments. */
  public java.util.List<ModelRoute> placements() {
    return deployments.isEmpty() ? java.util.List.of(this) : deployments;
  }
}
