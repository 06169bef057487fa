package dev.tollgate.store.sql;

import dev.tollgate.domain.budget.Budget;
import dev.tollgate.port.BudgetStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Budgets made through the admin API, in SQLite or PostgreSQL. */
public final class SqlBudgetStore implements BudgetStore {

  private final DataSource dataSource;
  private final Clock clock;

  public SqlBudgetStore(Database database, Clock clock) {
    this.dataSource = database.dataSource();
    this.clock = clock;
  }

  @Override
  public void insert(Budget budget) {
    long now = nowNanos();
    execute("INSERT INTO budgets (id, document, created_at_ns, updated_at_ns) VALUES (?, ?, ?, ?)",
        budget.id(), BudgetDocuments.write(budget), now, now);
  }

  @Override
  public boolean update(Budget budget) {
    return execute("UPDATE budgets SET document = ?, updated_at_ns = ? WHERE id = ?",
        BudgetDocuments.write(budget), nowNanos(), budget.id()) == 1;
  }

  @Override
  public boolean delete(String id) {
    return execute("DELETE FROM budgets WHERE id = ?", id) == 1;
  }

  @Override
  public List<Budget> list() {
    return query("SELECT document FROM budgets ORDER BY created_at_ns, id", null);
  }

  @Override
  public Optional<Budget> find(String id) {
    return query("SELECT document FROM budgets WHERE id = ?", id).stream().findFirst();
  }

  private List<Budget> query(String sql, String id) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (id != null) ps.setString(1, id);
      List<Budget> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(BudgetDocuments.read(rs.getString(1)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("budgets could not be read: " + e.getMessage(), e);
    }
  }

  private int execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the budget could not be saved: " + e.getMessage(), e);
    }
  }

  private long nowNanos() {
    var now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
