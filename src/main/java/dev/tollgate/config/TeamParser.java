package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code teams:} and their {@code budgets:} lists. */
final class TeamParser {

  static final List<String> WINDOWS = List.of("request", "conversation", "minute", "hour", "day", "month");
  static final List<String> UNITS = List.of("usd", "tokens", "input_tokens", "output_tokens", "requests");
  static final List<String> ON_EXCEED = List.of("block", "notify", "downgrade", "require_approval");

  private static final List<String> TEAM_KEYS = List.of("cost_center", "budgets");
  private static final List<String> BUDGET_KEYS = List.of("window", "usd", "tokens", "input_tokens", "output_tokens",
      "requests", "warn_at", "on_exceed");

  private TeamParser() {}

  static Map<String, TeamConfig> parse(ParseContext ctx, JsonNode teams) {
    Map<String, TeamConfig> out = new LinkedHashMap<>();
    ctx.entries("teams", teams).forEach((name, body) -> {
      Section s = Section.of(ctx, "teams." + name, body, TEAM_KEYS);
      String costCenter = s.text("cost_center");
      List<BudgetConfig> budgets = budgets(ctx, s.path("budgets"), s.raw("budgets"));
      out.put(name, new TeamConfig(name, costCenter, budgets));
    });
    return Collections.unmodifiableMap(out);
  }

  /** A list of budget entries, each { window, one unit: limit, warn_at, on_exceed }. */
  static List<BudgetConfig> budgets(ParseContext ctx, String path, JsonNode node) {
    List<BudgetConfig> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<JsonNode> elements = ctx.elements(path, node);
    for (int i = 0; i < elements.size(); i++) {
      String entryPath = ParseContext.index(path, i);
      BudgetConfig budget = budget(ctx, entryPath, elements.get(i));
      if (budget == null) continue;
      Integer earlier = seen.putIfAbsent(budget.window() + "/" + budget.unit(), i);
      if (earlier != null) {
        ctx.error(entryPath, "a second " + budget.window() + " budget in " + budget.unit() + " (the first is "
            + ParseContext.index(path, earlier) + "); keep one limit per window and unit");
      }
      out.add(budget);
    }
    return List.copyOf(out);
  }

  private static BudgetConfig budget(ParseContext ctx, String path, JsonNode node) {
    int before = ctx.errorCount();
    Section s = Section.of(ctx, path, node, BUDGET_KEYS);
    String window = s.requiredText("window", "one of " + String.join(", ", WINDOWS));
    if (window != null && !WINDOWS.contains(window)) {
      s.error("window", "unknown window '" + window + "'; allowed: " + String.join(", ", WINDOWS));
    }
    List<String> given = UNITS.stream().filter(s::present).toList();
    String unit = null;
    BigDecimal limit = null;
    if (given.isEmpty()) {
      ctx.error(path, "needs a limit: one of " + String.join(", ", UNITS) + " (e.g. usd: 8000)");
    } else if (given.size() > 1) {
      ctx.error(path, "has " + String.join(" and ", given)
          + "; give one limit per budget entry and add another entry for the other");
    } else {
      unit = given.get(0);
      limit = limit(s, unit);
    }
    List<BigDecimal> warnAt = warnAt(ctx, s.path("warn_at"), s.raw("warn_at"));
    String onExceed = s.text("on_exceed", "block");
    if (onExceed != null && !ON_EXCEED.contains(onExceed)) {
      s.error("on_exceed", "unknown action '" + onExceed + "'; allowed: " + String.join(", ", ON_EXCEED));
    }
    if (ctx.errorCount() != before) return null;
    return new BudgetConfig(window, unit, limit, warnAt, onExceed);
  }

  private static BigDecimal limit(Section s, String unit) {
    BigDecimal limit = s.requiredDecimal(unit, "the budget's limit");
    if (limit == null) return null;
    if (limit.signum() <= 0) {
      s.error(unit, "must be greater than zero; got " + limit.toPlainString());
      return null;
    }
    if (unit.equals("usd")) {
      try {
        Money.ofUsd(limit);
      } catch (IllegalArgumentException e) {
        s.error(unit, "must be a USD amount with at most 9 decimal places; got " + limit.toPlainString());
        return null;
      }
      return limit;
    }
    try {
      return new BigDecimal(limit.stripTrailingZeros().toBigIntegerExact());
    } catch (ArithmeticException e) {
      s.error(unit, "must be a whole number of " + unit.replace('_', ' ') + "; got " + limit.toPlainString());
      return null;
    }
  }

  private static List<BigDecimal> warnAt(ParseContext ctx, String path, JsonNode node) {
    if (ParseContext.absent(node)) return List.of();
    List<BigDecimal> out = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) node.forEach(items::add);
    else items.add(node);
    for (int i = 0; i < items.size(); i++) {
      String p = node.isArray() ? ParseContext.index(path, i) : path;
      BigDecimal f = ctx.decimal(p, items.get(i));
      if (f == null) continue;
      if (f.signum() <= 0 || f.compareTo(BigDecimal.ONE) > 0) {
        ctx.error(p, "must be a fraction of the limit above 0 and at most 1 (0.8 = warn at 80%); got "
            + f.toPlainString());
        continue;
      }
      out.add(f);
    }
    return List.copyOf(out);
  }
}
