package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code contracts:} — negotiated terms or self-hosted infrastructure cost per provider account
 * (and optionally one model). Every provider and model named must exist, amounts are exact (no
 * sub-nano-dollar), and two contracts of the same scope may not be in force on the same day.
 */
final class ContractParser {

  static final List<String> KEYS = List.of("provider", "model", "valid_from", "valid_until", "discount_percent",
      "commitment_usd_per_month", "included_usd_per_month", "included_tokens_per_month", "overage_discount_percent",
      "self_hosted");
  static final List<String> SELF_HOSTED_KEYS = List.of("hourly_cost_usd", "tokens_per_hour");
  private static final List<String> NEGOTIATED_ONLY = List.of("discount_percent", "commitment_usd_per_month",
      "included_usd_per_month", "included_tokens_per_month", "overage_discount_percent");

  private ContractParser() {}

  static List<Contract> parse(ParseContext ctx, JsonNode contracts, Map<String, ProviderConfig> providers,
      Map<String, ModelConfig> models) {
    List<Contract> out = new ArrayList<>();
    ctx.entries("contracts", contracts).forEach((name, body) -> {
      Contract c = one(ctx, "contracts." + name, name, body, providers, models);
      if (c != null) out.add(c);
    });
    for (int i = 0; i < out.size(); i++) clash(ctx, out.get(i), out.subList(0, i));
    return List.copyOf(out);
  }

  /**
   * One contract written as JSON (an admin API body) at {@code contracts.<name>}, with the same checks and
   * messages as in the file, and not in force on the same days as one of {@code others} of the same scope.
   */
  static Contract one(ParseContext ctx, String name, JsonNode body, Map<String, ProviderConfig> providers,
      Map<String, ModelConfig> models, List<Contract> others) {
    Contract c = one(ctx, "contracts." + name, name, body, providers, models);
    if (c != null) clash(ctx, c, others);
    return c;
  }

  private static void clash(ParseContext ctx, Contract b, List<Contract> others) {
    for (Contract a : others) {
      if (!a.name().equals(b.name()) && a.provider().equals(b.provider()) && java.util.Objects.equals(a.model(), b.model())
          && overlap(a, b)) {
        ctx.error("contracts." + b.name(), "is in force on the same days as contracts." + a.name() + " for the same "
            + (b.model() == null ? "provider" : "provider and model") + "; end one (valid_until) before the other starts");
      }
    }
  }

  private static Contract one(ParseContext ctx, String path, String name, JsonNode body, Map<String, ProviderConfig> providers,
      Map<String, ModelConfig> models) {
    int before = ctx.errorCount();
    Section s = Section.of(ctx, path, body, KEYS);
    String provider = s.requiredText("provider", "the providers: entry the contract is with");
    if (provider != null && !providers.containsKey(provider)) {
      s.error("provider", "names no provider; known: " + ParseContext.listOrNone(providers.keySet()));
    }
    String model = s.text("model");
    if (model != null && !models.containsKey(model)) {
      s.error("model", "names no model; known: " + ParseContext.listOrNone(models.keySet()));
    } else if (model != null && provider != null
        && models.get(model).deployments().stream().noneMatch(d -> d.provider().equals(provider))) {
      s.error("model", "is not served by provider '" + provider + "'");
    }
    LocalDate from = date(s, "valid_from", true);
    LocalDate until = date(s, "valid_until", false);
    if (from != null && until != null && !from.isBefore(until)) s.error("valid_until", "must be after valid_from");
    Contract.Terms terms;
    if (s.present("self_hosted")) {
      for (String k : NEGOTIATED_ONLY) {
        if (s.present(k)) s.error(k, "does not apply to a self_hosted contract (its cost is the infrastructure's)");
      }
      Section h = s.section("self_hosted", SELF_HOSTED_KEYS);
      Long hourly = nanos(h, "hourly_cost_usd", true);
      Long perHour = null;
      if (h.present("tokens_per_hour") && !"measured".equals(h.text("tokens_per_hour"))) {
        perHour = h.whole("tokens_per_hour", 1, Long.MAX_VALUE);
      }
      terms = hourly == null ? null : new Contract.SelfHosted(hourly, perHour);
    } else {
      BigDecimal discount = percent(s, "discount_percent", BigDecimal.ZERO);
      BigDecimal overage = s.present("overage_discount_percent") ? percent(s, "overage_discount_percent", null) : null;
      Long commitment = nanos(s, "commitment_usd_per_month", false);
      Long includedUsd = nanos(s, "included_usd_per_month", false);
      Long includedTokens = s.whole("included_tokens_per_month", 0, Long.MAX_VALUE, 0);
      if (s.present("included_usd_per_month") && s.present("included_tokens_per_month")) {
        s.error("included_tokens_per_month", "cannot be combined with included_usd_per_month; give the allowance in one unit");
      }
      if (overage != null && (commitment == null || commitment == 0)) {
        s.error("overage_discount_percent", "applies only beyond a commitment; set commitment_usd_per_month");
      }
      if (discount != null && discount.compareTo(BigDecimal.valueOf(100)) == 0 && commitment != null && commitment > 0) {
        s.error("discount_percent", "of 100 with a commitment would never draw the commitment down");
      }
      terms = ctx.errorCount() > before || discount == null || includedTokens == null ? null
          : new Contract.Negotiated(discount, orZero(commitment), orZero(includedUsd), includedTokens, overage);
    }
    if (ctx.errorCount() > before || terms == null || provider == null || from == null) return null;
    return new Contract(name, provider, model, from, until, terms);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static boolean overlap(Contract a, Contract b) {
    boolean aEndsFirst = a.validUntil() != null && !a.validUntil().isAfter(b.validFrom());
    boolean bEndsFirst = b.validUntil() != null && !b.validUntil().isAfter(a.validFrom());
    return !aEndsFirst && !bEndsFirst;
  }

  private static LocalDate date(Section s, String key, boolean required) {
    String text = required ? s.requiredText(key, "the first UTC day in force, e.g. 2026-01-01") : s.text(key);
    if (text == null) return null;
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      s.error(key, "must be a date such as 2026-01-01; got '" + text + "'");
      return null;
    }
  }

  private static BigDecimal percent(Section s, String key, BigDecimal fallback) {
    if (!s.present(key)) return fallback;
    BigDecimal p = s.decimal(key);
    if (p == null) return null;
    if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
      s.error(key, "must be a percentage from 0 to 100; got " + p.toPlainString());
      return null;
    }
    if (p.stripTrailingZeros().scale() > 4) {
      s.error(key, "may have at most 4 decimals (prices stay exact in the FOCUS file); got " + p.toPlainString());
      return null;
    }
    return p;
  }

  /** A USD amount as nano-dollars, at least 0; null when absent (or invalid, with an error). */
  private static Long nanos(Section s, String key, boolean required) {
    BigDecimal usd = required ? s.requiredDecimal(key, "USD, e.g. 4.10") : s.present(key) ? s.decimal(key) : null;
    if (usd == null) return null;
    if (usd.signum() < 0) {
      s.error(key, "cannot be negative; got " + usd.toPlainString());
      return null;
    }
    try {
      return Money.ofUsd(usd).nanos();
    } catch (IllegalArgumentException e) {
      s.error(key, "must be whole nano-dollars (at most 9 decimals) and within range; got " + usd.toPlainString());
      return null;
    }
  }
}
