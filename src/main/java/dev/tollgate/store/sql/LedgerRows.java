package dev.tollgate.store.sql;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** How a {@link UsageRecord} maps onto a {@code ledger} row, both ways; the one place that knows. */
final class LedgerRows {

  static final List<String> COLUMNS = List.of(
      "id", "started_at_ns", "ended_at_ns", "key_name",
      "org", "team", "project", "workflow", "agent", "user_name", "channel", "conversation",
      "workload_class", "tags",
      "provider", "requested_model", "served_model", "tier", "route_reason",
      "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens",
      "cost_nanos", "status", "error_code", "http_status", "latency_ms", "ttft_ms", "exception_id",
      "cache_hit", "usage_estimated", "stream", "class_reason", "guard_findings", "attempts",
      "cost_saved_nanos", "template", "prompt_hash", "prefix_hash", "max_tokens");

  private static final int TAGS_INDEX = COLUMNS.indexOf("tags");

  private LedgerRows() {}

  /**
   * One statement inserting {@code rows} rows and naming the ones it stored. {@code ON CONFLICT DO
   * NOTHING} makes a retried batch harmless: if a commit succeeded but its acknowledgement was lost,
   * writing the batch again inserts nothing twice, and {@code RETURNING id} tells which rows are new
   * (the rollups add only those).
   */
  static String insertSql(Dialect dialect, int rows) {
    StringBuilder tuple = new StringBuilder("(");
    for (int i = 0; i < COLUMNS.size(); i++) {
      if (i > 0) tuple.append(", ");
      tuple.append(i == TAGS_INDEX ? SqlValues.jsonParameter(dialect) : "?");
    }
    tuple.append(')');
    StringBuilder sql = new StringBuilder("INSERT INTO ledger (").append(String.join(", ", COLUMNS)).append(") VALUES ");
    for (int r = 0; r < rows; r++) sql.append(r > 0 ? ", " : "").append(tuple);
    return sql.append(" ON CONFLICT (id) DO NOTHING RETURNING id").toString();
  }

  static String selectColumns() {
    return String.join(", ", COLUMNS);
  }

  /**
   * Checks, on the caller's thread, what the table would refuse later on the writer's thread, where
   * a refusal could only be retried forever.
   */
  static void validate(UsageRecord r) {
    if (r == null) throw new IllegalArgumentException("ledger record is null");
    if (r.id() == null || r.id().isBlank()) throw new IllegalArgumentException("ledger record has no id");
    if (r.startedAt() == null) throw new IllegalArgumentException("ledger record " + r.id() + " has no started_at");
    if (r.status() == null) throw new IllegalArgumentException("ledger record " + r.id() + " has no status");
    SqlValues.toNanos(r.startedAt());
    if (r.endedAt() != null) SqlValues.toNanos(r.endedAt());
  }

  /** Binds the row's values to the placeholders after the first {@code skip} ones. */
  static void bind(PreparedStatement ps, int skip, UsageRecord r) throws SQLException {
    Attribution a = r.attribution();
    TokenUsage u = r.usage();
    int i = skip;
    ps.setString(++i, r.id());
    SqlValues.setInstant(ps, ++i, r.startedAt());
    SqlValues.setInstant(ps, ++i, r.endedAt());
    ps.setString(++i, r.keyName());
    ps.setString(++i, a.org());
    ps.setString(++i, a.team());
    ps.setString(++i, a.project());
    ps.setString(++i, a.workflow());
    ps.setString(++i, a.agent());
    ps.setString(++i, a.user());
    ps.setString(++i, a.channel());
    ps.setString(++i, a.conversation());
    ps.setString(++i, a.workloadClass());
    ps.setString(++i, SqlValues.tagsToJson(a.tags()));
    ps.setString(++i, r.provider());
    ps.setString(++i, r.requestedModel());
    ps.setString(++i, r.servedModel());
    ps.setString(++i, r.tier());
    ps.setString(++i, r.routeReason());
    ps.setLong(++i, u.inputTokens());
    ps.setLong(++i, u.cachedInputTokens());
    ps.setLong(++i, u.cacheWriteTokens());
    ps.setLong(++i, u.outputTokens());
    ps.setLong(++i, u.reasoningTokens());
    ps.setLong(++i, r.cost().nanos());
    ps.setString(++i, r.status().wire());
    ps.setString(++i, r.errorCode());
    ps.setInt(++i, r.httpStatus());
    ps.setLong(++i, r.latencyMs());
    SqlValues.setNullableLong(ps, ++i, r.ttftMs());
    ps.setString(++i, r.exceptionId());
    ps.setBoolean(++i, r.cacheHit());
    ps.setBoolean(++i, r.usageEstimated());
    ps.setBoolean(++i, r.stream());
    ps.setString(++i, r.classReason());
    String findings = r.guardFindingsText();
    ps.setString(++i, findings.isEmpty() ? null : findings);
    ps.setInt(++i, r.attempts());
    var e = r.efficiency();
    ps.setLong(++i, e.costSaved().nanos());
    ps.setString(++i, e.template());
    ps.setString(++i, e.promptHash());
    ps.setString(++i, e.prefixHash());
    SqlValues.setNullableLong(ps, ++i, e.maxTokens());
  }

  static UsageRecord read(ResultSet rs) throws SQLException {
    Attribution attribution = new Attribution(
        rs.getString("org"),
        rs.getString("team"),
        rs.getString("project"),
        rs.getString("workflow"),
        rs.getString("agent"),
        rs.getString("user_name"),
        rs.getString("channel"),
        rs.getString("conversation"),
        rs.getString("workload_class"),
        SqlValues.tagsFromJson(rs.getString("tags")));
    TokenUsage usage = new TokenUsage(
        rs.getLong("input_tokens"),
        rs.getLong("cached_input_tokens"),
        rs.getLong("cache_write_tokens"),
        rs.getLong("output_tokens"),
        rs.getLong("reasoning_tokens"));
    return new UsageRecord(
        rs.getString("id"),
        SqlValues.getInstant(rs, "started_at_ns"),
        SqlValues.getInstant(rs, "ended_at_ns"),
        rs.getString("key_name"),
        attribution,
        rs.getString("provider"),
        rs.getString("requested_model"),
        rs.getString("served_model"),
        rs.getString("tier"),
        rs.getString("route_reason"),
        usage,
        Money.ofNanos(rs.getLong("cost_nanos")),
        RequestStatus.fromWire(rs.getString("status")),
        rs.getString("error_code"),
        rs.getLong("latency_ms"),
        SqlValues.getNullableLong(rs, "ttft_ms"),
        rs.getString("exception_id"),
        rs.getBoolean("cache_hit"),
        rs.getBoolean("usage_estimated"),
        rs.getBoolean("stream"),
        rs.getInt("http_status"),
        rs.getString("class_reason"),
        UsageRecord.parseGuardFindings(rs.getString("guard_findings")),
        rs.getInt("attempts"),
        new dev.tollgate.domain.usage.Efficiency(Money.ofNanos(rs.getLong("cost_saved_nanos")), rs.getString("template"),
            rs.getString("prompt_hash"), rs.getString("prefix_hash"), SqlValues.getNullableLong(rs, "max_tokens")));
  }
}
