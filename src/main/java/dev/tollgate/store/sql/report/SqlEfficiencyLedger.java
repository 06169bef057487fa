package dev.tollgate.store.sql.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.report.efficiency.EfficiencyLedger;
import dev.tollgate.report.efficiency.LedgerFacts;
import dev.tollgate.store.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger columns the efficiency, counterfactual and adoption reports read, straight from the {@code ledger} table (not from
 * rollups: duplicates and retry chains need each row's prompt hash and time). A period's rows are
 * read whole, so these reports suit months of up to a few million rows.
 */
public final class SqlEfficiencyLedger implements EfficiencyLedger {

  private static final String COLUMNS = "id, started_at_ns, key_name, team, workflow, agent, user_name, workload_class, provider, "
      + "requested_model, served_model, route_reason, status, input_tokens, cached_input_tokens, cache_write_tokens, "
      + "output_tokens, reasoning_tokens, cost_nanos, cache_hit, cost_saved_nanos, prompt_hash, prefix_hash, max_tokens, template, tier, guard_findings, stream, conversation";

  private final Database database;

  public SqlEfficiencyLedger(Database database) {
    this.database = database;
  }

  @Override
  public List<LedgerFacts> rows(Instant from, Instant to, String team) {
    List<Object> binds = new ArrayList<>(List.of(ReportSql.boundNanos(from), ReportSql.boundNanos(to)));
    String sql = "SELECT " + COLUMNS + " FROM ledger WHERE started_at_ns >= ? AND started_at_ns < ?";
    if (team != null) {
      sql += " AND team = ?";
      binds.add(team);
    }
    return ReportSql.query(database.dataSource(), sql + " ORDER BY started_at_ns, id", binds, SqlEfficiencyLedger::read);
  }

  private static LedgerFacts read(ResultSet rs) throws SQLException {
    TokenUsage usage = new TokenUsage(rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"),
        rs.getLong("cache_write_tokens"), rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"));
    return new LedgerFacts(rs.getString("id"), ReportSql.instant(rs, "started_at_ns"), rs.getString("key_name"),
        rs.getString("team"), rs.getString("workflow"), rs.getString("agent"), rs.getString("user_name"),
        rs.getString("workload_class"), rs.getString("provider"), rs.getString("requested_model"), rs.getString("served_model"),
        rs.getString("route_reason"), rs.getString("status"), usage, Money.ofNanos(rs.getLong("cost_nanos")),
        rs.getBoolean("cache_hit"), Money.ofNanos(rs.getLong("cost_saved_nanos")), rs.getString("prompt_hash"),
        rs.getString("prefix_hash"), ReportSql.nullableLong(rs, "max_tokens"), rs.getString("template"),
        rs.getString("tier"), rs.getString("guard_findings"), rs.getBoolean("stream"), rs.getString("conversation"));
  }
}
