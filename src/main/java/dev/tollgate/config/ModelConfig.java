package dev.tollgate.config;

import dev.tollgate.domain.pricing.Price;

/**
 * YAML {@code models.<name>:} — a name clients may ask for. Keys: provider (a key of
 * {@code providers}; or instead deployments: several providers serving the model, each with its
 * upstream and weight, balanced by weight and observed latency), upstream (the provider's model id; defaults to the name), tier (free text such as
 * economy, standard, premium, private), price (optional override: input_per_mtok, output_per_mtok,
 * cached_input_per_mtok, cache_write_per_mtok, reasoning_per_mtok in USD per million tokens, and
 * tiers: [{above_input_tokens, input_per_mtok, output_per_mtok, …}]).
 *
 * @param price the override from config, or null to take the catalog's price for {@code upstream}
 */
public record ModelConfig(String name, String provider, String upstream, String tier, Price price,
    java.util.List<Deployment> deployments) {

  public ModelConfig(String name, String provider, String upstream, String tier, Price price) {
    this(name, provider, upstream, tier, price, java.util.List.of(new Deployment(provider, upstream, 1)));
  }

  /**
   * One place a model is served: {@code deployments: [ { provider: azure-east, upstream: gpt4o-prod, weight: 3 }, … ]}.
   * A model with one {@code provider} has one deployment of weight 1.
   */
  public record Deployment(String provider, String upstream, int weight) {}
}
