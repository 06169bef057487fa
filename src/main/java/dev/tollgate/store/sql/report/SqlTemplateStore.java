package dev.tollgate.store.sql.report;

import dev.tollgate.report.efficiency.PromptTemplate;
import dev.tollgate.report.efficiency.TemplateStore;
import dev.tollgate.store.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The prompt template library in SQLite or PostgreSQL (table {@code prompt_templates}, migration V31.5). */
public final class SqlTemplateStore implements TemplateStore {

  private static final String COLUMNS = "name, workload_class, description, body, expected_output_tokens, created_at_ns, created_by";

  private final Database database;

  public SqlTemplateStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean insert(PromptTemplate t) {
    return ReportSql.update(database.dataSource(), "INSERT INTO prompt_templates (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", t.name(), t.workloadClass(), t.description(), t.body(),
        t.expectedOutputTokens(), ReportSql.toNanos(t.createdAt()), t.createdBy()) == 1;
  }

  @Override
  public boolean delete(String name) {
    return ReportSql.update(database.dataSource(), "DELETE FROM prompt_templates WHERE name = ?", name) == 1;
  }

  @Override
  public Optional<PromptTemplate> find(String name) {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM prompt_templates WHERE name = ?", List.of(name),
        SqlTemplateStore::read).stream().findFirst();
  }

  @Override
  public List<PromptTemplate> list() {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM prompt_templates ORDER BY name", List.of(),
        SqlTemplateStore::read);
  }

  private static PromptTemplate read(ResultSet rs) throws SQLException {
    return new PromptTemplate(rs.getString("name"), rs.getString("workload_class"), rs.getString("description"),
        rs.getString("body"), rs.getLong("expected_output_tokens"), ReportSql.instant(rs, "created_at_ns"),
        rs.getString("created_by"));
  }
}
