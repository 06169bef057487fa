package dev.tollgate.app;

import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.KeyConfig;
import dev.tollgate.config.ModelConfig;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.KeySecrets;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.ProviderAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a validated config against the price catalog and the provider adapters: every model
 * gets a provider and a price. A model with no known price is refused here, with the fix in the
 * message — never priced at $0 silently.
 */
final class StateBuilder {

  private StateBuilder() {}

  static Map<String, ModelRoute> models(GatewayConfig config, PriceCatalog catalog, Map<String, ProviderAdapter> providers) {
    Map<String, ModelRoute> routes = new LinkedHashMap<>();
    List<ConfigError> errors = new ArrayList<>();
    String file = config.source() == null ? "config" : config.source().getFileName().toString();
    for (ModelConfig m : config.models().values()) {
      Optional<CatalogEntry> entry = catalog.find(m.upstream());
      if (entry.isEmpty()) entry = catalog.find(m.name());
      Price price = m.price() != null ? m.price() : entry.map(CatalogEntry::price).orElse(null);
      if (price == null) {
        List<String> closest = catalog.closestNames(m.upstream(), 3);
        errors.add(new ConfigError(file, "models." + m.name() + ".price",
            "no price is known for '" + m.upstream() + "' (the catalog has " + catalog.size() + " models"
                + (closest.isEmpty() ? "" : "; closest: " + String.join(", ", closest))
                + "); give one, e.g. price: { input_per_mtok: 0.15, output_per_mtok: 0.60 } (USD per million tokens)"));
        continue;
      }
      Integer maxOut = entry.map(CatalogEntry::maxOutputTokens).orElse(null);
      List<ModelRoute> deployments = new ArrayList<>();
      if (m.deployments().size() > 1) {
        for (var d : m.deployments()) {
          deployments.add(new ModelRoute(m.name(), providers.get(d.provider()), d.upstream(), m.tier(), price, maxOut, d.weight(), List.of()));
        }
      }
      routes.put(m.name(), new ModelRoute(m.name(), providers.get(m.provider()), m.upstream(), m.tier(), price, maxOut, 1, deployments));
    }
    if (!errors.isEmpty()) throw new ConfigException(errors);
    return routes;
  }

  static List<VirtualKey> configKeys(GatewayConfig config) {
    List<VirtualKey> keys = new ArrayList<>();
    for (KeyConfig k : config.keys()) {
      Attribution defaults = new Attribution(config.org().name(), k.team(), k.project(), k.workflow(), k.agent(),
          k.user(), k.channel(), null, k.workloadClass(), k.tags());
      keys.add(new VirtualKey("cfg_" + k.name(), k.name(), KeySecrets.hash(k.secret()), KeySecrets.displayPrefix(k.secret()),
          defaults, k.models(), null, k.expiresAt(), null, "config"));
    }
    return keys;
  }
}
