package dev.tollgate.pipeline;

import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.port.CounterStore;
import java.util.List;

/**
 * What admission reserved for one request: the budgets that cover it, the claims made on their
 * counters (same order), and each counter's state just before — so that settlement can replace the
 * reservation with the real use and tell whether a warning threshold was crossed. When an exception
 * supplied the headroom, its own counter's claim comes last, counted in {@code exceptionUnit}.
 */
public record BudgetHold(
    List<BudgetBook.Match> matches, List<CounterStore.Claim> claims, List<CounterStore.State> before,
    dev.tollgate.domain.budget.BudgetUnit exceptionUnit) {

  public BudgetHold(List<BudgetBook.Match> matches, List<CounterStore.Claim> claims, List<CounterStore.State> before) {
    this(matches, claims, before, null);
  }
}
