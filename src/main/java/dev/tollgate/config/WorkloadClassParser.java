package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads {@code workload_classes:}; every model or tier they name must exist. */
final class WorkloadClassParser {

  static final List<String> PII = List.of("allow", "redact", "route_private", "block");
  static final String TIER_PREFIX = "tier:";
  /** A year: a longer cache TTL is almost certainly a unit mistake. */
  static final long MAX_CACHE_TTL_S = 365L * 24 * 3600;

  private static final List<String> CLASS_KEYS = List.of("allow", "prefer", "fallback", "pii", "cache");

  private WorkloadClassParser() {}

  static Map<String, WorkloadClassConfig> parse(ParseContext ctx, JsonNode classes, Map<String, ModelConfig> models) {
    Set<String> tiers = new LinkedHashSet<>();
    models.values().stream().map(ModelConfig::tier).filter(Objects::nonNull).forEach(tiers::add);
    Map<String, WorkloadClassConfig> out = new LinkedHashMap<>();
    ctx.entries("workload_classes", classes).forEach((name, body) -> {
      Section s = Section.of(ctx, "workload_classes." + name, body, CLASS_KEYS);
      List<String> allow = s.texts("allow");
      if (allow != null && allow.isEmpty() && s.raw("allow").isEmpty()) {
        s.error("allow", "is empty, which would allow no model; omit it to allow every model");
      }
      if (allow != null) {
        for (int i = 0; i < allow.size(); i++) allowEntry(ctx, ParseContext.index(s.path("allow"), i), allow.get(i), models, tiers);
      }
      String prefer = s.text("prefer");
      if (prefer != null) model(ctx, s.path("prefer"), prefer, models);
      List<String> fallback = s.texts("fallback");
      if (fallback != null) {
        for (int i = 0; i < fallback.size(); i++) model(ctx, ParseContext.index(s.path("fallback"), i), fallback.get(i), models);
      }
      String pii = s.text("pii", "allow");
      if (pii != null && !PII.contains(pii)) {
        s.error("pii", "unknown PII policy '" + pii + "'; allowed: " + String.join(", ", PII));
      }
      Long ttl = null;
      if (s.present("cache")) {
        Section cache = s.section("cache", List.of("ttl_s"));
        ttl = cache.requiredWhole("ttl_s", 1, MAX_CACHE_TTL_S, "how long a cached response may be served, in seconds");
      }
      out.put(name, new WorkloadClassConfig(name, allow == null ? List.of() : allow, prefer,
          fallback == null ? List.of() : fallback, pii, ttl));
    });
    return Collections.unmodifiableMap(out);
  }

  private static void allowEntry(ParseContext ctx, String path, String entry, Map<String, ModelConfig> models,
      Set<String> tiers) {
    if (!entry.startsWith(TIER_PREFIX)) {
      if (!models.containsKey(entry)) {
        ctx.error(path, "unknown model '" + entry + "'; declared models: " + ParseContext.listOrNone(models.keySet())
            + "; or allow a whole tier with tier:<name>");
      }
      return;
    }
    String tier = entry.substring(TIER_PREFIX.length());
    if (tier.isBlank()) {
      ctx.error(path, "'tier:' needs a tier name, e.g. tier:economy");
    } else if (!tiers.contains(tier)) {
      ctx.error(path, "no model has tier '" + tier + "'; tiers in use: " + ParseContext.listOrNone(tiers));
    }
  }

  private static void model(ParseContext ctx, String path, String name, Map<String, ModelConfig> models) {
    if (!models.containsKey(name)) {
      ctx.error(path, "unknown model '" + name + "'; declared models: " + ParseContext.listOrNone(models.keySet()));
    }
  }
}
