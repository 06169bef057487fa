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
 * held in memory together, so a period of more than {@code maxRows} rows is refused with a message
 * instead of read: a month of a busy ledger would otherwise take the gateway's heap, and with it the
 * ledger writer. The rows are counted first (on the time, team and user indexes), which is quick.
 */
public final class SqlEfficiencyLedger implements EfficiencyLedger {

  private static final String COLUMNS = "id, started_at_ns, key_name, team, workflow, agent, user_name, workload_class, provider, "
      + "requested_model, served_model, route_reason, status, input_tokens, cached_input_tokens, cache_write_tokens, "
      + "output_tokens, reasoning_tokens, cost_nanos, cache_hit, cost_saved_nanos, prompt_hash, prefix_hash, max_tokens, template, tier, guard_findings, stream, conversation";

  /** About 0.5 GB of rows in memory at most. */
  public static final long DEFAULT_MAX_ROWS = 1_000_000;

  private final Database database;
  private final long maxRows;

  public SqlEfficiencyLedger(Database database) {
    this(database, DEFAULT_MAX_ROWS);
  }

  public SqlEfficiencyLedger(Database database, long maxRows) {
    this.database = database;
    this.maxRows = maxRows;
  }

  @Override
  public List<LedgerFacts> rows(Instant from, Instant to, String team, String user) {
    List<Object> binds = new ArrayList<>(List.of(ReportSql.boundNanos(from), ReportSql.boundNanos(to)));
    String where = " FROM ledger WHERE started_at_ns >= ? AND started_at_ns < ?";
    if (team != null) {
      where += " AND team = ?";
      binds.add(team);
    }
    if (user != null) {
      where += " AND user_name = ?";
      binds.add(user);
    }
    long count = ReportSql.query(database.dataSource(), "SELECT COUNT(*)" + where, binds, rs -> rs.getLong(1)).get(0);
    if (count > maxRows) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "The period holds %,d ledger rows%s; this report reads rows one by one and takes at most %,d. "
              + "Ask for a shorter period (from, to)%s.",
          count, team == null && user == null ? "" : " in its filter", maxRows,
          team == null ? " or for one team" : user == null ? " or for one user" : ""));
    }
    return ReportSql.query(database.dataSource(), "SELECT " + COLUMNS + where + " ORDER BY started_at_ns, id", binds,
        SqlEfficiencyLedger::read);
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
