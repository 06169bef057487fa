package dev.tollgate.report.focus;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the price list entry behind a ledger row. The ledger names the model asked for and the
 * provider's model id that served it, not the price applied, so the export prices usage at the
 * price in force now: the configured model that served the row (by name and served id, else by
 * served id, else by the name asked for), else the catalog entry of the served (or asked-for) model.
 */
public final class ModelPricing {

  /** One place a configured model is served: provider account (config name), its type, model id. */
  public record Placement(String account, String providerType, String upstream) {}

  /** A model as configured: the name clients use, its price, where it is served. */
  public record Configured(String name, Price price, List<Placement> placements) {}

  /**
   * A resolved price. {@code model} names the SKU; {@code account} the provider account (config
   * name, or the provider type when the model is not configured).
   */
  public record Priced(String model, Price price, String account, String providerType) {}

  private final List<Configured> configured;
  private final PriceCatalog catalog;

  public ModelPricing(List<Configured> configured, PriceCatalog catalog) {
    this.configured = List.copyOf(configured);
    this.catalog = Objects.requireNonNull(catalog);
  }

  public Optional<Priced> resolve(String requested, String served, String providerType) {
    for (Configured c : configured) {
      if (!c.name().equals(requested)) continue;
      for (Placement p : c.placements()) {
        if (served == null || p.upstream().equals(served)) return Optional.of(priced(c, p));
      }
    }
    for (Configured c : configured) {
      for (Placement p : c.placements()) {
        if (served != null && p.upstream().equals(served)
            && (providerType == null || providerType.equals(p.providerType()))) {
          return Optional.of(priced(c, p));
        }
      }
    }
    for (Configured c : configured) {
      // asked for by its configured name but served under an id no placement has (any more): its price now
      if (c.name().equals(requested) && !c.placements().isEmpty()) return Optional.of(priced(c, c.placements().get(0)));
    }
    for (String name : new String[] {served, requested}) {
      Optional<CatalogEntry> entry = catalog.find(name);
      if (entry.isPresent()) {
        String type = providerType != null ? providerType : entry.get().provider();
        return Optional.of(new Priced(entry.get().model(), entry.get().price(), type, type));
      }
    }
    return Optional.empty();
  }

  /** Every prompt-size threshold a price here can switch tier at, ascending and distinct. */
  public long[] thresholds() {
    TreeSet<Long> all = new TreeSet<>();
    configured.forEach(c -> c.price().tiers().forEach(t -> all.add(t.aboveInputTokens())));
    catalog.entries().forEach(e -> e.price().tiers().forEach(t -> all.add(t.aboveInputTokens())));
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The tier of {@code price} for prompts in {@code bucket} (see {@link FocusUsageSource#usage}):
   * -1 for the base rates, else the index of the highest tier whose threshold the prompts exceed.
   */
  static int tierIndex(Price price, int bucket, long[] thresholds) {
    int chosen = -1;
    List<PriceTier> tiers = price.tiers();
    for (int i = 0; i < tiers.size(); i++) {
      int position = java.util.Arrays.binarySearch(thresholds, tiers.get(i).aboveInputTokens());
      if (position >= 0 && position < bucket) chosen = i;
    }
    return chosen;
  }

  private static Priced priced(Configured c, Placement p) {
    return new Priced(c.name(), c.price(), p.account(), p.providerType());
  }
}
