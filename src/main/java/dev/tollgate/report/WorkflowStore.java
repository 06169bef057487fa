package dev.tollgate.report;

import java.util.List;
import java.util.Optional;

/** Where registered workflows are kept (SQL in production); stores write what they are given. */
public interface WorkflowStore {

  /** @return false when a workflow of that name exists already (nothing is written) */
  boolean insert(Workflow workflow);

  /** @return false when there is no workflow of that name */
  boolean update(Workflow workflow);

  /** @return false when there is no workflow of that name */
  boolean delete(String name);

  Optional<Workflow> find(String name);

  /** Every workflow, ordered by name. */
  List<Workflow> list();
}
