package dev.tollgate.report.focus;

import java.time.LocalDate;
import java.util.Map;

/**
 * The ledger summed for one UTC day and one combination of model, provider, attribution, tags and
 * prompt-size bucket: what one set of FOCUS rows (one per token kind) is made from.
 *
 * @param provider the provider type the ledger recorded ({@code openai}, {@code openai-compatible}…)
 * @param tierBucket how many of the price-tier thresholds the rows' prompts exceeded (see
 *     {@link FocusUsageSource#usage}); 0 when no prompt was above any
 * @param uncachedInputTokens prompt tokens neither read from nor written to a cache, per row at least 0
 * @param plainOutputTokens completion tokens without reasoning, per row at least 0
 * @param costNanos the ledger's cost for these rows
 */
public record SkuUsage(
    LocalDate day,
    String requestedModel,
    String servedModel,
    String provider,
    String org,
    String team,
    String project,
    String workflow,
    String agent,
    String workloadClass,
    Map<String, String> tags,
    int tierBucket,
    long uncachedInputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long plainOutputTokens,
    long reasoningTokens,
    long requests,
    long costNanos) {

  public SkuUsage {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** The same sums, dated another UTC day. */
  public SkuUsage withDay(LocalDate other) {
    return new SkuUsage(other, requestedModel, servedModel, provider, org, team, project, workflow, agent, workloadClass, tags,
        tierBucket, uncachedInputTokens, cacheReadTokens, cacheWriteTokens, plainOutputTokens, reasoningTokens, requests,
        costNanos);
  }
}
