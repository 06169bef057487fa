package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code models:}, including price overrides, which become a domain {@link Price}. */
final class ModelParser {

  static final String PRICE_SOURCE = "config";

  private static final List<String> MODEL_KEYS = List.of("provider", "upstream", "tier", "price", "deployments");
  private static final List<String> DEPLOYMENT_KEYS = List.of("provider", "upstream", "weight");
  private static final List<String> RATE_KEYS = List.of("input_per_mtok", "output_per_mtok", "cached_input_per_mtok",
      "cache_write_per_mtok", "reasoning_per_mtok");
  private static final List<String> PRICE_KEYS = concat(RATE_KEYS, "tiers");
  private static final List<String> TIER_KEYS = concat(List.of("above_input_tokens"), RATE_KEYS);

  private ModelParser() {}

  static Map<String, ModelConfig> parse(ParseContext ctx, JsonNode models, Set<String> providers) {
    Map<String, ModelConfig> out = new LinkedHashMap<>();
    ctx.entries("models", models).forEach((name, body) -> {
      String path = "models." + name;
      if (name.startsWith("tier:")) {
        ctx.error(path, "a model name cannot start with 'tier:', which workload classes use to name a tier");
      }
      Section s = Section.of(ctx, path, body, MODEL_KEYS);
      String upstream = s.text("upstream", name);
      String tier = s.text("tier");
      Price price = s.present("price") ? price(ctx, s.path("price"), s.raw("price")) : null;
      List<ModelConfig.Deployment> deployments = new ArrayList<>();
      if (s.present("deployments")) {
        if (s.present("provider")) s.error("provider", "give either provider or deployments, not both");
        List<JsonNode> elements = ctx.elements(s.path("deployments"), s.raw("deployments"));
        if (elements.isEmpty()) s.error("deployments", "needs at least one { provider, upstream, weight }");
        for (int i = 0; i < elements.size(); i++) {
          Section d = Section.of(ctx, ParseContext.index(s.path("deployments"), i), elements.get(i), DEPLOYMENT_KEYS);
          String p = provider(ctx, d, providers);
          Long weight = d.whole("weight", 1, 1000, 1);
          if (p != null && weight != null) deployments.add(new ModelConfig.Deployment(p, d.text("upstream", upstream), weight.intValue()));
        }
      } else {
        String provider = provider(ctx, s, providers);
        if (provider != null) deployments.add(new ModelConfig.Deployment(provider, upstream, 1));
      }
      ModelConfig.Deployment first = deployments.isEmpty() ? null : deployments.get(0);
      out.put(name, new ModelConfig(name, first == null ? null : first.provider(), first == null ? upstream : first.upstream(),
          tier, price, List.copyOf(deployments)));
    });
    return Collections.unmodifiableMap(out);
  }

  private static String provider(ParseContext ctx, Section s, Set<String> providers) {
    String provider = s.requiredText("provider", "name one of: " + ParseContext.listOrNone(providers));
    if (provider != null && !providers.contains(provider)) {
      s.error("provider", "unknown provider '" + provider + "'; declared providers: " + ParseContext.listOrNone(providers));
      return null;
    }
    return provider;
  }

  /** A price override; null when invalid (the errors are recorded). */
  static Price price(ParseContext ctx, String path, JsonNode node) {
    int before = ctx.errorCount();
    Section s = Section.of(ctx, path, node, PRICE_KEYS);
    Rates base = rates(s);
    List<PriceTier> tiers = new ArrayList<>();
    List<JsonNode> elements = ctx.elements(s.path("tiers"), s.raw("tiers"));
    Long previous = null;
    for (int i = 0; i < elements.size(); i++) {
      Section t = Section.of(ctx, ParseContext.index(s.path("tiers"), i), elements.get(i), TIER_KEYS);
      Long above = t.requiredWhole("above_input_tokens", 1, Long.MAX_VALUE,
          "the prompt size in tokens above which this tier applies");
      Rates rates = rates(t);
      if (above != null && previous != null && above <= previous) {
        t.error("above_input_tokens", above.equals(previous)
            ? "duplicate tier above " + above + " input tokens; each tier needs its own threshold"
            : "tiers must be listed in ascending order of above_input_tokens; " + above + " comes after " + previous);
      }
      if (above != null) previous = above;
      if (above != null && rates != null) tiers.add(new PriceTier(above, rates));
    }
    return ctx.errorCount() == before ? new Price(base, tiers, PRICE_SOURCE) : null;
  }

  /** Rates of one price or tier: input and output required; the others default as providers bill. */
  private static Rates rates(Section s) {
    Long input = perMillion(s, "input_per_mtok", true);
    Long output = perMillion(s, "output_per_mtok", true);
    Long cached = perMillion(s, "cached_input_per_mtok", false);
    Long cacheWrite = perMillion(s, "cache_write_per_mtok", false);
    Long reasoning = perMillion(s, "reasoning_per_mtok", false);
    if (input == null || output == null) return null; // reported; an invalid optional rate is caught by the caller
    return new Rates(input, cached == null ? input : cached, cacheWrite == null ? input : cacheWrite, output,
        reasoning == null ? output : reasoning);
  }

  /** USD per million tokens (a YAML number or numeric string) as nano-dollars per million tokens. */
  private static Long perMillion(Section s, String key, boolean required) {
    BigDecimal usd = required
        ? s.requiredDecimal(key, "a price override needs at least input_per_mtok and output_per_mtok"
            + " (USD per million tokens)")
        : s.decimal(key);
    if (usd == null) return null;
    if (usd.signum() < 0) {
      s.error(key, "must not be negative; got " + usd.toPlainString() + " (USD per million tokens)");
      return null;
    }
    try {
      return Money.ofUsd(usd).nanos();
    } catch (IllegalArgumentException e) {
      s.error(key, "must be USD per million tokens with at most 9 decimal places and below 9 billion; got "
          + usd.toPlainString());
      return null;
    }
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return List.copyOf(out);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
