package dev.tollgate.store.sql.report;

import dev.tollgate.report.ContractStore;
import dev.tollgate.store.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Contracts of the admin API in SQLite or PostgreSQL (table {@code contracts}, migration V34). */
public final class SqlContractStore implements ContractStore {

  private static final String COLUMNS = "name, definition, created_at_ns, updated_at_ns";

  private final Database database;

  public SqlContractStore(Database database) {
    this.database = database; // connections are borrowed per call: making the store touches nothing
  }

  @Override
  public boolean insert(Stored c) {
    return ReportSql.update(database.dataSource(), "INSERT INTO contracts (" + COLUMNS + ") VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (name) DO NOTHING", c.name(), c.definition(), ReportSql.toNanos(c.createdAt()),
        ReportSql.toNanos(c.updatedAt())) == 1;
  }

  @Override
  public boolean replace(Stored c) {
    return ReportSql.update(database.dataSource(), "UPDATE contracts SET definition = ?, updated_at_ns = ? WHERE name = ?",
        c.definition(), ReportSql.toNanos(c.updatedAt()), c.name()) == 1;
  }

  @Override
  public boolean delete(String name) {
    return ReportSql.update(database.dataSource(), "DELETE FROM contracts WHERE name = ?", name) == 1;
  }

  @Override
  public Optional<Stored> find(String name) {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM contracts WHERE name = ?", List.of(name),
        SqlContractStore::read).stream().findFirst();
  }

  @Override
  public List<Stored> list() {
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + " FROM contracts ORDER BY name", List.of(),
        SqlContractStore::read);
  }

  private static Stored read(ResultSet rs) throws SQLException {
    return new Stored(rs.getString("name"), rs.getString("definition"), ReportSql.instant(rs, "created_at_ns"),
        ReportSql.instant(rs, "updated_at_ns"));
  }
}
