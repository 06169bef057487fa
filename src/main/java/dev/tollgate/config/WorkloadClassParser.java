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

  private static final List<String> CLASS_KEYS = List.of("allow", "block", "prefer", "fallback", "pii", "cache",
      "max_cost_usd", "latency_target", "sensitivity", "exception_tiers", "output_guard", "prompt_logging");
  static final List<String> OUTPUT_GUARD = List.of("off", "redact", "block");
  static final List<String> SENSITIVITY = List.of("public", "internal", "confidential", "regulated");
  static final List<String> RULE_KEYS = List.of("model", "team", "project", "workflow", "agent", "user", "channel", "key",
      "tag", "metadata", "tools", "prompt_tokens_over", "prompt_tokens_under");

  private WorkloadClassParser() {}

  static Map<String, WorkloadClassConfig> parse(ParseContext ctx, JsonNode classes, Map<String, ModelConfig> models) {
    Set<String> tiers = tiers(models);
    Map<String, WorkloadClassConfig> out = new LinkedHashMap<>();
    ctx.entries("workload_classes", classes).forEach((name, body) ->
        out.put(name, one(ctx, "workload_classes." + name, name, body, models, tiers)));
    return Collections.unmodifiableMap(out);
  }

  /** Tiers in use by the models, the values {@code tier:<t>} and {@code exception_tiers} may name. */
  static Set<String> tiers(Map<String, ModelConfig> models) {
    Set<String> tiers = new LinkedHashSet<>();
    models.values().stream().map(ModelConfig::tier).filter(Objects::nonNull).forEach(tiers::add);
    return tiers;
  }

  /**
   * One class at {@code path}, from the file or from an admin API body: the same checks and the same
   * messages either way.
   */
  static WorkloadClassConfig one(ParseContext ctx, String path, String name, JsonNode body, Map<String, ModelConfig> models,
      Set<String> tiers) {
    Section s = Section.of(ctx, path, body, CLASS_KEYS);
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
    dev.tollgate.domain.policy.CachePolicy cachePolicy = null;
    if (s.present("cache")) {
      Section cache = s.section("cache", CacheSettings.KEYS);
      ttl = cache.requiredWhole("ttl_s", 1, MAX_CACHE_TTL_S, "how long a cached response may be served, in seconds");
      cachePolicy = CacheSettings.parse(cache, ttl);
    }
    List<String> block = s.texts("block");
    if (block != null) {
      for (int i = 0; i < block.size(); i++) allowEntry(ctx, ParseContext.index(s.path("block"), i), block.get(i), models, tiers);
    }
    java.math.BigDecimal maxCost = s.present("max_cost_usd") ? s.decimal("max_cost_usd") : null;
    if (maxCost != null && maxCost.signum() <= 0) s.error("max_cost_usd", "must be greater than zero");
    java.time.Duration latency = s.duration("latency_target", false, null);
    String sensitivity = s.text("sensitivity", "internal");
    if (sensitivity != null && !SENSITIVITY.contains(sensitivity)) {
      s.error("sensitivity", "unknown sensitivity '" + sensitivity + "'; allowed: " + String.join(", ", SENSITIVITY));
    }
    List<String> exceptionTiers = s.texts("exception_tiers");
    if (exceptionTiers != null) {
      for (int i = 0; i < exceptionTiers.size(); i++) {
        if (!tiers.contains(exceptionTiers.get(i))) {
          ctx.error(ParseContext.index(s.path("exception_tiers"), i), "no model has tier '" + exceptionTiers.get(i)
              + "'; tiers in use: " + ParseContext.listOrNone(tiers));
        }
      }
    }
    String og = s.text("output_guard", "off");
    String output = og == null ? null : switch (og) {
      case "true", "redact" -> "redact";
      case "false", "off" -> "off";
      case "block" -> "block";
      default -> {
        s.error("output_guard", "unknown output guard '" + og + "'; allowed: " + String.join(", ", OUTPUT_GUARD)
            + " (true means redact, false means off)");
        yield null;
      }
    };
    String pl = s.text("prompt_logging", "false");
    if (pl != null && !pl.equals("true") && !pl.equals("false")) {
      s.error("prompt_logging", "must be true or false (true writes this class's prompts and completions to the tollgate.prompts log)");
    }
    return new WorkloadClassConfig(name, allow == null ? List.of() : allow, prefer,
        fallback == null ? List.of() : fallback, pii, ttl, block == null ? List.of() : block, maxCost, latency,
        sensitivity, exceptionTiers == null ? List.of() : exceptionTiers, output == null ? "off" : output, cachePolicy,
        "true".equals(pl));
  }

  /** Reads {@code classification:}; every class it names must be declared. */
  static ClassificationConfig classification(ParseContext ctx, Section s, java.util.Set<String> classes) {
    if (!s.present("default") && !s.present("rules")) return ClassificationConfig.none();
    String def = s.text("default");
    if (def != null && !classes.contains(def)) {
      s.error("default", "unknown workload class '" + def + "'; declared classes: " + ParseContext.listOrNone(classes));
    }
    List<ClassificationConfig.Rule> rules = new java.util.ArrayList<>();
    List<JsonNode> elements = ctx.elements(s.path("rules"), s.raw("rules"));
    for (int i = 0; i < elements.size(); i++) {
      String path = ParseContext.index(s.path("rules"), i);
      Section rule = Section.of(ctx, path, elements.get(i), List.of("when", "class"));
      String cls = rule.requiredText("class", "the workload class this rule gives");
      if (cls != null && !classes.contains(cls)) {
        rule.error("class", "unknown workload class '" + cls + "'; declared classes: " + ParseContext.listOrNone(classes));
      }
      Section when = rule.section("when", RULE_KEYS);
      Map<String, String> conditions = new LinkedHashMap<>();
      for (String key : RULE_KEYS) {
        String v = when.text(key);
        if (v == null) continue;
        if ((key.equals("tag") || key.equals("metadata")) && v.indexOf('=') <= 0) when.error(key, "must be written k=v");
        if (key.equals("tools") && !v.equals("true") && !v.equals("false")) when.error(key, "must be true or false");
        if (key.startsWith("prompt_tokens")) when.whole(key, 0, Long.MAX_VALUE, 0);
        conditions.put(key, v);
      }
      if (conditions.isEmpty()) rule.error("when", "needs at least one condition: " + String.join(", ", RULE_KEYS));
      rules.add(new ClassificationConfig.Rule(Map.copyOf(conditions), cls));
    }
    return new ClassificationConfig(def, List.copyOf(rules));
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
