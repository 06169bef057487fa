package dev.tollgate.report.focus;

import java.time.Instant;
import java.util.List;

/** Reads the ledger summed the way a FOCUS export needs it (SQL in production). */
public interface FocusUsageSource {

  /**
   * Ledger rows with {@code from <= started_at < to}, summed per UTC day, requested and served model,
   * provider, org, team, project, workflow, agent, workload class, tags and tier bucket — the number
   * of {@code tierThresholds} (ascending) that a row's input tokens exceed — skipping groups with no
   * tokens and no cost.
   */
  List<SkuUsage> usage(Instant from, Instant to, long[] tierThresholds);
}
