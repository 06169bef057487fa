package dev.tollgate.config;

import java.util.List;

/**
 * YAML {@code teams.<name>:} — cost_center (optional), budgets, and salary_budget (a monthly USD
 * budget derived from headcount × annual salary × share; see {@link dev.tollgate.domain.budget.SalaryTemplate}).
 *
 * @param budgets this team's budgets, the salary budget included, each with scope {@code team:<name>}
 */
public record TeamConfig(String name, String costCenter, List<BudgetConfig> budgets) {}
