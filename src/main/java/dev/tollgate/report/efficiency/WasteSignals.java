package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Waste the gateway can see in the ledger, per workflow, agent, user or template, with an efficiency
 * score. Rows are read oldest first; only fingerprints are compared, never prompts.
 *
 * <ul>
 *   <li><b>duplicate</b>: a call answered upstream whose prompt hash the same group already had answered
 *       upstream within {@link #DUPLICATE_WINDOW} (and which is not a retry) — its cost is waste;
 *   <li><b>retry chain</b>: a call with the prompt hash of an error from the same key within
 *       {@link #RETRY_WINDOW} before it — the failed attempts' cost is waste;
 *   <li><b>long prompt, tiny output</b>: at least {@link #LONG_PROMPT_TOKENS} in, at most
 *       {@link #TINY_OUTPUT_TOKENS} out;
 *   <li><b>oversized max_tokens</b>: {@code max_tokens} of at least {@link #OVERSIZED_MIN} of which the
 *       answer used a quarter or less (it holds budget in reservations and invites runaway answers).
 * </ul>
 *
 * Score = 100 − 60·W − 25·L − 15·M, clamped to 0–100 and rounded, where W is the waste's share of the
 * group's cost, L the share of its upstream calls with a long prompt and tiny output, and M the share
 * of its calls that set max_tokens which oversized it.
 */
public final class WasteSignals {

  public static final Duration DUPLICATE_WINDOW = Duration.ofHours(24);
  public static final Duration RETRY_WINDOW = Duration.ofMinutes(5);
  public static final long LONG_PROMPT_TOKENS = 4_000;
  public static final long TINY_OUTPUT_TOKENS = 50;
  public static final long OVERSIZED_MIN = 1_024;

  /** What to group by. */
  public enum By {
    WORKFLOW(LedgerFacts::workflow), AGENT(LedgerFacts::agent), USER(LedgerFacts::user), TEMPLATE(LedgerFacts::template);

    final Function<LedgerFacts, String> field;

    By(Function<LedgerFacts, String> field) {
      this.field = field;
    }

    public static By fromWire(String s) {
      for (By b : values()) if (b.name().equalsIgnoreCase(s)) return b;
      throw new IllegalArgumentException("'by' must be workflow, agent, user or template");
    }
  }

  /** One group's signals. {@code name} is null for rows without a value. */
  public record Group(String name, long requests, long upstreamCalls, Money cost, long duplicates, Money duplicateCost,
      long retries, Money retryCost, long longPromptTinyOutput, long withMaxTokens, long oversizedMaxTokens,
      long unusedMaxTokens, Money waste, int score) {}

  private WasteSignals() {}

  /** Groups, most waste first, then by cost. */
  public static List<Group> of(List<LedgerFacts> rows, By by) {
    Map<String, Acc> groups = new LinkedHashMap<>();
    Map<String, LedgerFacts> lastError = new HashMap<>();   // key|hash → latest error
    Set<String> errorsCounted = new HashSet<>();
    Map<String, Instant> lastAnswered = new HashMap<>();    // group|hash → latest upstream answer
    for (LedgerFacts r : rows.stream().sorted(Comparator.comparing(LedgerFacts::startedAt)).toList()) {
      String name = by.field.apply(r);
      Acc g = groups.computeIfAbsent(name == null ? "\u0000" : name, k -> new Acc(name));
      g.requests++;
      g.cost = g.cost.plus(r.cost());
      boolean retry = false;
      if (r.promptHash() != null && r.key() != null) {
        String chain = r.key() + "|" + r.promptHash();
        LedgerFacts failed = lastError.get(chain);
        if (failed != null && within(failed.startedAt(), r.startedAt(), RETRY_WINDOW)) {
          retry = true;
          g.retries++;
          if (errorsCounted.add(failed.id())) g.retryCost = g.retryCost.plus(failed.cost());
        }
        if (r.error()) lastError.put(chain, r);
      }
      if (!r.servedUpstream()) continue;
      g.upstreamCalls++;
      if (r.promptHash() != null) {
        String seen = (name == null ? "\u0000" : name) + "|" + r.promptHash();
        Instant before = lastAnswered.get(seen);
        if (!retry && before != null && within(before, r.startedAt(), DUPLICATE_WINDOW)) {
          g.duplicates++;
          g.duplicateCost = g.duplicateCost.plus(r.cost());
        }
        lastAnswered.put(seen, r.startedAt());
      }
      long in = r.usage().inputTokens();
      long out = r.usage().outputTokens();
      if (in >= LONG_PROMPT_TOKENS && out <= TINY_OUTPUT_TOKENS) g.longTiny++;
      if (r.maxTokens() != null) {
        g.withMaxTokens++;
        if (r.maxTokens() >= OVERSIZED_MIN && out * 4 <= r.maxTokens()) {
          g.oversized++;
          g.unused += r.maxTokens() - out;
        }
      }
    }
    List<Group> out = new ArrayList<>();
    for (Acc a : groups.values()) out.add(a.group());
    out.sort(Comparator.comparing(Group::waste).reversed().thenComparing(Comparator.comparing(Group::cost).reversed())
        .thenComparing(g -> g.name() == null ? "" : g.name()));
    return out;
  }

  /** The score's formula, on its own so that the documentation's worked example is a test. */
  public static int score(Money waste, Money cost, long longTiny, long upstreamCalls, long oversized, long withMaxTokens) {
    double w = cost.nanos() <= 0 ? 0 : Math.min(1, (double) waste.nanos() / cost.nanos());
    double l = upstreamCalls == 0 ? 0 : (double) longTiny / upstreamCalls;
    double m = withMaxTokens == 0 ? 0 : (double) oversized / withMaxTokens;
    double s = 100 - 60 * w - 25 * l - 15 * m;
    return (int) Math.round(Math.max(0, Math.min(100, s)));
  }

  private static boolean within(Instant earlier, Instant later, Duration window) {
    return !later.isBefore(earlier) && Duration.between(earlier, later).compareTo(window) <= 0;
  }

  private static final class Acc {
    final String name;
    long requests, upstreamCalls, duplicates, retries, longTiny, withMaxTokens, oversized, unused;
    Money cost = Money.ZERO, duplicateCost = Money.ZERO, retryCost = Money.ZERO;

    Acc(String name) {
      this.name = name;
    }

    Group group() {
      Money waste = duplicateCost.plus(retryCost);
      return new Group(name, requests, upstreamCalls, cost, duplicates, duplicateCost, retries, retryCost, longTiny,
          withMaxTokens, oversized, unused, waste, score(waste, cost, longTiny, upstreamCalls, oversized, withMaxTokens));
    }
  }
}
