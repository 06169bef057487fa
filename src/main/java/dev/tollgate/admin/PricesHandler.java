package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /admin/v1/prices}: the price in force for each configured model; {@code /prices/{model}}: one model, configured or from the catalog. */
public final class PricesHandler {

  private final Supplier<GatewayState> state;
  private final Supplier<PriceCatalog> catalog;

  public PricesHandler(Supplier<GatewayState> state, Supplier<PriceCatalog> catalog) {
    this.state = state;
    this.catalog = catalog;
  }

  void list(RoutingContext ctx) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (ModelRoute m : state.get().models().values()) data.add(route(m));
    root.put("catalog_models", catalog.get().size());
    AdminJson.send(ctx, 200, root);
  }

  void get(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    ModelRoute configured = state.get().models().get(model);
    if (configured != null) {
      AdminJson.send(ctx, 200, route(configured));
      return;
    }
    Optional<CatalogEntry> entry = catalog.get().find(model);
    if (entry.isEmpty()) {
      AdminJson.error(ctx, 404, "not_found", "No price for '" + model + "'. Closest: "
          + String.join(", ", catalog.get().closestNames(model, 5)) + ".");
      return;
    }
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("model", entry.get().model()).put("provider", entry.get().provider()).put("mode", entry.get().mode());
    price(n, entry.get().price());
    AdminJson.send(ctx, 200, n);
  }

  private static ObjectNode route(ModelRoute m) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("model", m.name()).put("provider", m.provider().name()).put("upstream", m.upstream()).put("tier", m.tier());
    price(n, m.price());
    return n;
  }

  static void price(ObjectNode n, Price p) {
    n.put("source", p.source());
    rates(n, p.base());
    ArrayNode tiers = n.putArray("tiers");
    for (PriceTier t : p.tiers()) {
      ObjectNode tn = tiers.addObject().put("above_input_tokens", t.aboveInputTokens());
      rates(tn, t.rates());
    }
  }

  private static void rates(ObjectNode n, Rates r) {
    AdminJson.usd(n, "input_per_mtok", Money.ofNanos(r.inputNanosPerMTok()));
    AdminJson.usd(n, "cached_input_per_mtok", Money.ofNanos(r.cachedInputNanosPerMTok()));
    AdminJson.usd(n, "cache_write_per_mtok", Money.ofNanos(r.cacheWriteNanosPerMTok()));
    AdminJson.usd(n, "output_per_mtok", Money.ofNanos(r.outputNanosPerMTok()));
    AdminJson.usd(n, "reasoning_per_mtok", Money.ofNanos(r.reasoningNanosPerMTok()));
  }
}
