package dev.tollgate.report.efficiency;

import static dev.tollgate.report.efficiency.Rows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The savings and prompt-caching figures, reconciled with the rows to the nano-dollar. */
class SavingsTest {

  static LedgerFacts row(String id, String workflow, String cls, String requested, String served, String reason, TokenUsage u,
      long cost, boolean hit, long saved) {
    return new LedgerFacts(id, T0, "k", "support", workflow, null, null, cls, "openai", requested, served + "-up", reason, "ok",
        u, Money.ofNanos(cost), hit, Money.ofNanos(saved), "h" + id, null, null, null);
  }

  @Test
  void cacheRoutingAndSwitchingReconcileWithTheLedger() {
    List<LedgerFacts> rows = List.of(
        // served by big as asked: 1M in, 100k out → $10 + $3
        row("1", "research", "chat", "big", "big", "requested", TokenUsage.of(1_000_000, 100_000), 13_000_000_000L, false, 0),
        // downgraded from big to mini: 500k in, 10k out → $0.52 paid; $5.30 at big
        row("2", "research", "chat", "big", "mini", "budget_downgrade", TokenUsage.of(500_000, 10_000), 520_000_000L, false, 0),
        // a cache hit: nothing paid, $0.123456789 saved
        row("3", "research", "chat", "big", "big", "requested", TokenUsage.NONE, 0, true, 123_456_789L),
        // no class: no switching counterfactual
        row("4", "misc", null, "mini", "mini", "requested", TokenUsage.of(1_000, 1_000), 3_000, false, 0));

    Savings.Report s = Savings.of(rows, Rows.prices());

    assertThat(s.requests()).isEqualTo(4);
    assertThat(s.spent()).isEqualTo(Money.ofNanos(13_000_000_000L + 520_000_000L + 3_000));
    assertThat(s.cacheHits()).isEqualTo(1);
    assertThat(s.cacheSaved()).isEqualTo(Money.ofNanos(123_456_789L));
    assertThat(s.routing()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo("budget_downgrade");
      assertThat(r.saved()).isEqualTo(Money.ofNanos(5_300_000_000L - 520_000_000L));
    });
    assertThat(s.switching()).singleElement().satisfies(w -> {
      assertThat(w.workflow()).isEqualTo("research");
      assertThat(w.cheapestModel()).isEqualTo("mini");
      assertThat(w.cost()).isEqualTo(Money.ofNanos(13_520_000_000L));
      // on mini: 1.5M in ($1.50) + 110k out ($0.22)
      assertThat(w.costOnCheapest()).isEqualTo(Money.ofNanos(1_720_000_000L));
      assertThat(w.saving()).isEqualTo(Money.ofNanos(13_520_000_000L - 1_720_000_000L));
    });
    assertThat(s.switchingSaving()).isEqualTo(Money.ofNanos(11_800_000_000L));
  }

  @Test
  void aCallRoutedToADearerModelSavesNothing() {
    var up = row("1", "w", "chat", "mini", "big", "class_preferred", TokenUsage.of(1_000_000, 0), 10_000_000_000L, false, 0);
    assertThat(Savings.of(List.of(up), Rows.prices()).routingSaved()).isEqualTo(Money.ZERO);
  }

  @Test
  void providerCachedInputIsSavedMoneyAndRepeatedLongPrefixesAreCandidates() {
    var cached = new LedgerFacts("c", T0, "k", "support", "rag", null, null, "chat", "openai", "mini", "mini-up", "requested", "ok",
        new TokenUsage(10_000, 8_000, 0, 100, 0), Money.ofNanos(6_200), false, Money.ZERO, "p1", "prefix-a", null, null);
    var repeats = List.of(
        new LedgerFacts("r1", T0, "k", "support", "bot", null, null, "chat", "openai", "big", "big-up", "requested", "ok",
            TokenUsage.of(5_000, 10), Money.ofNanos(50_300), false, Money.ZERO, "q1", "prefix-b", null, null),
        new LedgerFacts("r2", T0.plusSeconds(1), "k", "support", "bot", null, null, "chat", "openai", "big", "big-up", "requested",
            "ok", TokenUsage.of(5_000, 10), Money.ofNanos(50_300), false, Money.ZERO, "q2", "prefix-b", null, null),
        new LedgerFacts("r3", T0.plusSeconds(2), "k", "support", "bot", null, null, "chat", "openai", "big", "big-up", "requested",
            "ok", TokenUsage.of(5_000, 10), Money.ofNanos(50_300), false, Money.ZERO, "q3", "prefix-b", null, null));
    List<LedgerFacts> rows = new java.util.ArrayList<>(repeats);
    rows.add(cached);

    List<PromptCaching.Workflow> out = PromptCaching.of(rows, Rows.prices());

    assertThat(out).extracting(PromptCaching.Workflow::workflow).containsExactly("bot", "rag");
    PromptCaching.Workflow bot = out.get(0);
    assertThat(bot.repeatedPrefixes()).isEqualTo(1);
    assertThat(bot.repeatedPrefixCalls()).isEqualTo(2);
    // 2 × 1024 tokens × ($10 − $5) per million = $0.01024
    assertThat(bot.estimatedGain()).isEqualTo(Money.ofNanos(10_240_000));
    PromptCaching.Workflow rag = out.get(1);
    assertThat(rag.cachedShare()).isEqualTo(0.8);
    // 8000 cached tokens × ($1 − $0.50) per million = $0.004
    assertThat(rag.saved()).isEqualTo(Money.ofNanos(4_000_000));
    assertThat(rag.estimatedGain()).as("a prefix used once is no candidate").isEqualTo(Money.ZERO);
  }
}
