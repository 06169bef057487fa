package dev.tollgate.port;

import dev.tollgate.domain.exception.BudgetException;
import java.util.List;
import java.util.Optional;

/** Durable store of exception requests and decisions. */
public interface ExceptionStore {

  void insert(BudgetException e);

  /** Replaces the exception with the same id; false if there is none. */
  boolean update(BudgetException e);

  List<BudgetException> list();

  Optional<BudgetException> find(String id);
}
