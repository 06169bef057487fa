package dev.tollgate.app;

import dev.tollgate.config.BudgetConfig;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the budgets written in config into domain budgets. Their ids are derived from what they are
 * ({@code cfg:team:support:month:usd}), so a reload that keeps a budget keeps its counters.
 */
final class BudgetsFromConfig {

  private BudgetsFromConfig() {}

  static List<Budget> of(GatewayConfig config) {
    List<Budget> out = new ArrayList<>();
    for (BudgetConfig b : config.budgets()) out.add(budget(BudgetScope.parse(b.scope()), b));
    return out;
  }

  static Budget budget(BudgetScope scope, BudgetConfig b) {
    BudgetUnit unit = unit(b.unit());
    long limit = unit == BudgetUnit.USD ? Money.ofUsd(b.limit()).nanos() : b.limit().longValueExact();
    WindowKind kind = WindowKind.fromWire(b.window());
    String id = "cfg:" + scope + ":" + kind.wire() + (b.start() == null ? "" : "@" + b.start()) + ":" + unit.wire();
    BudgetAction action = b.onExceed() == null ? BudgetAction.BLOCK : BudgetAction.fromWire(b.onExceed());
    List<BigDecimal> warnAt = b.warnAt() == null ? List.of() : b.warnAt();
    BudgetWindow window = new BudgetWindow(kind, b.start(), b.end());
    return new Budget(id, scope, window, unit, limit, action, warnAt, "config", b.reviewDate(), b.note());
  }

  /** Config writes units as usd, tokens, input_tokens, output_tokens, requests. */
  static BudgetUnit unit(String configUnit) {
    return BudgetUnit.fromWire(configUnit);
  }
}
