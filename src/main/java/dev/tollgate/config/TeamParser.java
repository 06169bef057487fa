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

  static final List<String> WINDOWS = List.of("request", "conversation", "minute", "hour", "day", "month", "custom");
  static final List<String> UNITS = List.of("usd", "tokens", "input_tokens", "output_tokens", "requests");
  static final List<String> ON_EXCEED = List.of("block", "notify", "downgrade", "require_approval");

  private static final List<String> TEAM_KEYS = List.of("cost_center", "budgets", "salary_budget");
  private static final List<String> BUDGET_KEYS = List.of("scope", "window", "usd", "tokens", "input_tokens", "output_tokens",
      "requests", "warn_at", "on_exceed", "start", "end", "review_date", "note");
  private static final List<String> SALARY_KEYS = List.of("headcount", "annual_salary_usd", "share", "since", "warn_at",
      "on_exceed");

  private TeamParser() {}

  static Map<String, TeamConfig> parse(ParseContext ctx, JsonNode teams) {
    Map<String, TeamConfig> out = new LinkedHashMap<>();
    ctx.entries("teams", teams).forEach((name, body) -> {
      Section s = Section.of(ctx, "teams." + name, body, TEAM_KEYS);
      String costCenter = s.text("cost_center");
      List<BudgetConfig> budgets = new ArrayList<>(budgets(ctx, s.path("budgets"), s.raw("budgets"), "team:" + name));
      BudgetConfig salary = salaryBudget(ctx, s.path("salary_budget"), s.raw("salary_budget"), name);
      if (salary != null) {
        if (budgets.stream().anyMatch(b -> b.window().equals("month") && b.unit().equals("usd"))) {
          ctx.error(s.path("salary_budget"), "team " + name + " also has a monthly usd budget under budgets; keep one of the two");
        }
        budgets.add(salary);
      }
      out.put(name, new TeamConfig(name, costCenter, List.copyOf(budgets)));
    });
    return Collections.unmodifiableMap(out);
  }

  /**
   * A list of budget entries, each { scope, window, one unit: limit, warn_at, on_exceed }; where
   * {@code impliedScope} is given (under a team, under org) the entry may not name another scope.
   */
  static List<BudgetConfig> budgets(ParseContext ctx, String path, JsonNode node, String impliedScope) {
    List<BudgetConfig> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<JsonNode> elements = ctx.elements(path, node);
    for (int i = 0; i < elements.size(); i++) {
      String entryPath = ParseContext.index(path, i);
      BudgetConfig budget = budget(ctx, entryPath, elements.get(i), impliedScope);
      if (budget == null) continue;
      Integer earlier = seen.putIfAbsent(budget.scope() + "/" + budget.window() + "/" + budget.unit() + "/" + budget.start(), i);
      if (earlier != null) {
        ctx.error(entryPath, "a second " + budget.window() + " budget in " + budget.unit() + " (the first is "
            + ParseContext.index(path, earlier) + "); keep one limit per window and unit");
      }
      out.add(budget);
    }
    return List.copyOf(out);
  }

  static BudgetConfig budget(ParseContext ctx, String path, JsonNode node, String impliedScope) {
    int before = ctx.errorCount();
    Section s = Section.of(ctx, path, node, BUDGET_KEYS);
    String scope = impliedScope;
    String written = s.text("scope");
    if (impliedScope != null && written != null && !written.equals(impliedScope)) {
      s.error("scope", "this list is for " + impliedScope + "; put a budget for " + written + " under the top-level budgets:");
    } else if (impliedScope == null) {
      scope = s.requiredText("scope", "org, or <dimension>:<value> such as team:support, workflow:triage, user:*, tag:env=prod");
      if (scope != null) {
        try {
          dev.tollgate.domain.budget.BudgetScope.parse(scope);
        } catch (IllegalArgumentException e) {
          s.error("scope", e.getMessage());
        }
      }
    }
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
    java.time.Instant start = instant(s, "start");
    java.time.Instant end = instant(s, "end");
    if ("custom".equals(window)) {
      if (start == null || end == null) ctx.error(path, "a custom window needs start and end (ISO-8601 instants, e.g. 2026-10-01T00:00:00Z)");
      else if (!start.isBefore(end)) s.error("end", "must be after start");
    } else if (start != null || end != null) {
      ctx.error(path, "start and end are only for window: custom");
    }
    java.time.LocalDate review = null;
    String reviewText = s.text("review_date");
    if (reviewText != null) {
      try {
        review = java.time.LocalDate.parse(reviewText);
      } catch (java.time.format.DateTimeParseException e) {
        s.error("review_date", "must be a date such as 2027-11-01");
      }
    }
    if (ctx.errorCount() != before) return null;
    return new BudgetConfig(scope, window, unit, limit, warnAt, onExceed, start, end, review, s.text("note"));
  }

  private static java.time.Instant instant(Section s, String key) {
    String text = s.text(key);
    if (text == null) return null;
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      s.error(key, "must be an ISO-8601 instant such as 2026-10-01T00:00:00Z");
      return null;
    }
  }

  /**
   * {@code salary_budget: { headcount: 12, annual_salary_usd: 85000, share: 0.03, since: 2026-11-01 }}
   * → a monthly USD budget of salary × headcount × share / 12, to be reviewed 12 months after {@code since}.
   */
  static BudgetConfig salaryBudget(ParseContext ctx, String path, JsonNode node, String team) {
    if (ParseContext.absent(node)) return null;
    int before = ctx.errorCount();
    Section s = Section.of(ctx, path, node, SALARY_KEYS);
    Long headcount = s.requiredWhole("headcount", 1, 1_000_000, "the number of people in the team");
    BigDecimal salary = s.requiredDecimal("annual_salary_usd", "the average yearly salary per person in USD");
    BigDecimal share = s.requiredDecimal("share", "the share of salary for AI, e.g. 0.03 for 3%");
    if (share != null && (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0)) {
      s.error("share", "must be above 0 and at most 1 (0.03 = 3% of salary); got " + share.toPlainString());
    }
    if (salary != null && salary.signum() <= 0) s.error("annual_salary_usd", "must be greater than zero");
    java.time.LocalDate since = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    String sinceText = s.text("since");
    if (sinceText != null) {
      try {
        since = java.time.LocalDate.parse(sinceText);
      } catch (java.time.format.DateTimeParseException e) {
        s.error("since", "must be a date such as 2026-11-01");
      }
    }
    List<BigDecimal> warnAt = warnAt(ctx, s.path("warn_at"), s.raw("warn_at"));
    String onExceed = s.text("on_exceed", "block");
    if (onExceed != null && !ON_EXCEED.contains(onExceed)) {
      s.error("on_exceed", "unknown action '" + onExceed + "'; allowed: " + String.join(", ", ON_EXCEED));
    }
    if (ctx.errorCount() != before || headcount == null) return null;
    var template = new dev.tollgate.domain.budget.SalaryTemplate(headcount.intValue(), Money.ofUsd(salary), share);
    return new BudgetConfig("team:" + team, "month", "usd", template.monthlyLimit().toUsd(), warnAt, onExceed, null, null,
        template.reviewDate(since), "salary template: " + template.explain());
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
