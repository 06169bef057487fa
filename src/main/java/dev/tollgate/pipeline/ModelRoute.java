package dev.tollgate.pipeline;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.port.ProviderAdapter;

/**
 * A model name clients may ask for, resolved against the running config: which provider serves it,
 * under which upstream name, at which price.
 *
 * @param maxOutputTokens the model's output limit if known (used to bound reservations), else null
 */
public record ModelRoute(
    String name, ProviderAdapter provider, String upstream, String tier, Price price, Integer maxOutputTokens) {}
