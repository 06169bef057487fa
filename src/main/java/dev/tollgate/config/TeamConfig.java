package dev.tollgate.config;

import java.util.List;

/** YAML {@code teams.<name>:} — cost_center (optional) and budgets. */
public record TeamConfig(String name, String costCenter, List<BudgetConfig> budgets) {}
