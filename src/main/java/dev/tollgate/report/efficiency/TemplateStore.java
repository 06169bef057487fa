package dev.tollgate.report.efficiency;

import java.util.List;
import java.util.Optional;

/** Where prompt templates are kept (SQL in production); stores write what they are given. */
public interface TemplateStore {

  /** @return false when a template of that name exists already (nothing is written) */
  boolean insert(PromptTemplate template);

  /** @return false when there is no template of that name */
  boolean delete(String name);

  Optional<PromptTemplate> find(String name);

  /** Every template, ordered by name. */
  List<PromptTemplate> list();
}
