package dev.tollgate.store.sql.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.report.focus.FocusUsageSource;
import dev.tollgate.report.focus.SkuUsage;
import dev.tollgate.store.sql.Database;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ledger summed per UTC day, model, provider, attribution, tags and prompt-size bucket, for the
 * FOCUS export — one grouped query, so the database does the summing whatever the number of rows.
 * The token kinds are summed the way {@link dev.tollgate.domain.pricing.CostCalculator} prices them:
 * uncached input and output without reasoning never below zero per row.
 */
public final class SqlFocusUsage implements FocusUsageSource {

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "requested_model, served_model, provider, org, team, project, workflow, agent, "
      + "workload_class, tags";

  private final Database database;

  public SqlFocusUsage(Database database) {
    this.database = database; // connections are borrowed per call: making the store touches nothing
  }

  @Override
  public List<SkuUsage> usage(Instant from, Instant to, long[] tierThresholds) {
    List<Object> binds = new ArrayList<>();
    StringBuilder bucket = new StringBuilder();
    for (long threshold : tierThresholds) {
      bucket.append(bucket.isEmpty() ? "" : " + ").append("CASE WHEN input_tokens > ? THEN 1 ELSE 0 END");
      binds.add(threshold);
    }
    if (bucket.isEmpty()) bucket.append("0");
    String day = "CASE WHEN started_at_ns >= 0 THEN started_at_ns / " + NANOS_PER_DAY
        + " ELSE (started_at_ns + 1) / " + NANOS_PER_DAY + " - 1 END";
    String sql = "SELECT day, " + GROUP + ", bucket,"
        + " SUM(CASE WHEN input_tokens - cached_input_tokens - cache_write_tokens > 0"
        + "   THEN input_tokens - cached_input_tokens - cache_write_tokens ELSE 0 END),"
        + " SUM(cached_input_tokens), SUM(cache_write_tokens),"
        + " SUM(CASE WHEN output_tokens - reasoning_tokens > 0 THEN output_tokens - reasoning_tokens ELSE 0 END),"
        + " SUM(reasoning_tokens), COUNT(*), SUM(cost_nanos)"
        + " FROM (SELECT " + day + " AS day, " + bucket + " AS bucket, ledger.* FROM ledger"
        + "   WHERE started_at_ns >= ? AND started_at_ns < ?) AS l"
        + " GROUP BY day, " + GROUP + ", bucket"
        + " ORDER BY day, requested_model, served_model, provider, team, project, workflow, agent";
    binds.add(ReportSql.boundNanos(from));
    binds.add(ReportSql.boundNanos(to));
    List<SkuUsage> out = new ArrayList<>();
    for (SkuUsage u : ReportSql.query(database.dataSource(), sql, binds, rs -> new SkuUsage(
        LocalDate.ofEpochDay(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), tags(rs.getString(11)),
        rs.getInt(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getLong(18),
        rs.getLong(19)))) {
      boolean empty = u.uncachedInputTokens() == 0 && u.cacheReadTokens() == 0 && u.cacheWriteTokens() == 0
          && u.plainOutputTokens() == 0 && u.reasoningTokens() == 0 && u.costNanos() == 0;
      if (!empty) out.add(u);
    }
    return out;
  }

  private static Map<String, String> tags(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("stored tags are not a JSON object of strings: " + json, e);
    }
  }
}
