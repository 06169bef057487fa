package dev.tollgate.port;

import dev.tollgate.domain.budget.Budget;
import java.util.List;
import java.util.Optional;

/** Durable store of budgets made through the admin API. */
public interface BudgetStore {

  void insert(Budget budget);

  /** Replaces the budget with the same id; false if there is none. */
  boolean update(Budget budget);

  boolean delete(String id);

  List<Budget> list();

  Optional<Budget> find(String id);
}
