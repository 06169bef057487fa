package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider prompt caching per workflow: how much of the input the providers already served from
 * their cache and what that saved, and which workflows would gain from it.
 *
 * <ul>
 *   <li><b>saved</b>: for each call, its cost had every cached input token been billed at the full input
 *       rate, minus its cost — both priced with the served model's current catalog price;
 *   <li><b>would gain</b>: calls whose {@code prefix_hash} (their first 4,096 characters, about
 *       {@value #PREFIX_TOKENS} tokens) appears at least {@value #MIN_USES} times in the workflow, and
 *       that were not already served mostly from a cache (fewer than {@value #PREFIX_TOKENS} cached
 *       tokens). Every such call after a prefix's first is estimated to save {@value #PREFIX_TOKENS}
 *       tokens at the difference between the model's input and cached-input rates — a rough, low
 *       estimate: the real shared prefix may be longer, and cache writes can cost extra.
 * </ul>
 */
public final class PromptCaching {

  public static final long PREFIX_TOKENS = 1_024;
  public static final int MIN_USES = 3;

  public record Workflow(String workflow, long calls, long inputTokens, long cachedInputTokens, Money saved,
      long repeatedPrefixCalls, long repeatedPrefixes, Money estimatedGain, long unpricedCalls) {

    /** Cached input as a share of all input, 0 to 1. */
    public double cachedShare() {
      return inputTokens == 0 ? 0 : (double) cachedInputTokens / inputTokens;
    }
  }

  private PromptCaching() {}

  /** Workflows, the largest estimated gain first, then the most saved. */
  public static List<Workflow> of(List<LedgerFacts> rows, PriceBook prices) {
    Map<String, Acc> byWorkflow = new LinkedHashMap<>();
    Map<String, List<LedgerFacts>> byPrefix = new HashMap<>();
    for (LedgerFacts r : rows) {
      if (!r.servedUpstream()) continue;
      Acc a = byWorkflow.computeIfAbsent(key(r.workflow()), k -> new Acc(r.workflow()));
      a.calls++;
      a.input += r.usage().inputTokens();
      a.cached += r.usage().cachedInputTokens();
      var model = prices.servedModelName(r);
      if (model.isEmpty() || prices.price(model.get()).isEmpty()) {
        a.unpriced++;
        continue;
      }
      TokenUsage u = r.usage();
      TokenUsage uncached = new TokenUsage(u.inputTokens(), 0, u.cacheWriteTokens(), u.outputTokens(), u.reasoningTokens());
      a.saved = a.saved.plus(prices.cost(model.get(), uncached).orElseThrow().minus(prices.cost(model.get(), u).orElseThrow()));
      if (r.prefixHash() != null) byPrefix.computeIfAbsent(key(r.workflow()) + "|" + r.prefixHash(), k -> new ArrayList<>()).add(r);
    }
    for (var e : byPrefix.entrySet()) {
      List<LedgerFacts> uses = e.getValue();
      if (uses.size() < MIN_USES) continue;
      Acc a = byWorkflow.get(key(uses.get(0).workflow()));
      a.repeatedPrefixes++;
      boolean first = true;
      for (LedgerFacts r : uses.stream().sorted(Comparator.comparing(LedgerFacts::startedAt)).toList()) {
        if (first) {
          first = false;
          continue;
        }
        if (r.usage().cachedInputTokens() >= PREFIX_TOKENS) continue;
        a.repeatedCalls++;
        String model = prices.servedModelName(r).orElseThrow();
        Money full = prices.cost(model, TokenUsage.of(PREFIX_TOKENS, 0)).orElseThrow();
        Money cached = prices.cost(model, new TokenUsage(PREFIX_TOKENS, PREFIX_TOKENS, 0, 0, 0)).orElseThrow();
        a.gain = a.gain.plus(full.minus(cached));
      }
    }
    List<Workflow> out = new ArrayList<>();
    for (Acc a : byWorkflow.values()) {
      out.add(new Workflow(a.workflow, a.calls, a.input, a.cached, a.saved, a.repeatedCalls, a.repeatedPrefixes, a.gain, a.unpriced));
    }
    out.sort(Comparator.comparing(Workflow::estimatedGain).reversed().thenComparing(Comparator.comparing(Workflow::saved).reversed())
        .thenComparing(w -> w.workflow() == null ? "" : w.workflow()));
    return out;
  }

  private static String key(String workflow) {
    return workflow == null ? "\u0000" : workflow;
  }

  private static final class Acc {
    final String workflow;
    long calls, input, cached, repeatedCalls, repeatedPrefixes, unpriced;
    Money saved = Money.ZERO, gain = Money.ZERO;

    Acc(String workflow) {
      this.workflow = workflow;
    }
  }
}
