package dev.tollgate.port;

import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetWindow;
import java.math.BigDecimal;

/** Told when a budget's use crosses one of its {@code warn_at} thresholds (once per threshold and period). */
public interface BudgetNotifier {

  void thresholdCrossed(Budget budget, String subject, BudgetWindow.Span span, BigDecimal threshold, long used);
}
