package dev.tollgate.store.sql.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.WorkflowStage;
import dev.tollgate.report.WorkflowStore;
import dev.tollgate.store.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The use-case registry in SQLite or PostgreSQL (table {@code workflows}, migration V10). */
public final class SqlWorkflowStore implements WorkflowStore {

  private static final String COLUMNS =
      "name, owner, purpose, kpi, expected_value_nanos, stage, team, created_at_ns, updated_at_ns";

  private final Database database;

  public SqlWorkflowStore(Database database) {
    this.database = database; // connections are borrowed per call: making the store touches nothing
  }

  @Override
  public boolean insert(Workflow w) {
    return ReportSql.update(database.dataSource(),
        "INSERT INTO workflows (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", w.name(), w.owner(), w.purpose(), w.kpi(), value(w), w.stage().wire(), w.team(),
        ReportSql.toNanos(w.createdAt()), ReportSql.toNanos(w.updatedAt())) == 1;
  }

  @Override
  public boolean update(Workflow w) {
    return ReportSql.update(database.dataSource(), "UPDATE workflows SET owner = ?, purpose = ?, kpi = ?,"
        + " expected_value_nanos = ?, stage = ?, team = ?, updated_at_ns = ? WHERE name = ?", w.owner(), w.purpose(), w.kpi(), value(w),
        w.stage().wire(), w.team(), ReportSql.toNanos(w.updatedAt()), w.name()) == 1;
  }

  @Override
  public boolean delete(String name) {
    return ReportSql.update(database.dataSource(), "DELETE FROM workflows WHERE name = ?", name) == 1;
  }

  @Override
  public Optional<Workflow> find(String name) {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM workflows WHERE name = ?", List.of(name),
        SqlWorkflowStore::read).stream().findFirst();
  }

  @Override
  public List<Workflow> list() {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM workflows ORDER BY name", List.of(),
        SqlWorkflowStore::read);
  }

  private static Object value(Workflow w) {
    return ReportSql.bigint(w.expectedValue() == null ? null : w.expectedValue().nanos());
  }

  private static Workflow read(ResultSet rs) throws SQLException {
    Long value = ReportSql.nullableLong(rs, "expected_value_nanos");
    return new Workflow(rs.getString("name"), rs.getString("owner"), rs.getString("purpose"), rs.getString("kpi"),
        value == null ? null : Money.ofNanos(value), WorkflowStage.fromWire(rs.getString("stage")), rs.getString("team"),
        ReportSql.instant(rs, "created_at_ns"), ReportSql.instant(rs, "updated_at_ns"));
  }
}
