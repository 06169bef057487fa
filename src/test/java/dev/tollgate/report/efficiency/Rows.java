package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.domain.usage.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Synthetic ledger rows for the efficiency report tests. */
final class Rows {

  static final Instant T0 = Instant.parse("2026-11-10T09:00:00Z");
  static int seq;

  private Rows() {}

  /** A call of {@code workflow} from {@code key}, answered upstream by the "mini" model unless said otherwise. */
  static LedgerFacts call(Instant at, String key, String workflow, String hash, long in, long out, long costNanos) {
    return new LedgerFacts("r" + (++seq), at, key, "support", workflow, "agent-" + workflow, "ana", "chat", "openai", "mini",
        "mini-up", "requested", "ok", TokenUsage.of(in, out), Money.ofNanos(costNanos), false, Money.ZERO, hash, null, null, null);
  }

  static LedgerFacts with(LedgerFacts r, String status, Long maxTokens) {
    return new LedgerFacts(r.id(), r.startedAt(), r.key(), r.team(), r.workflow(), r.agent(), r.user(), r.workloadClass(),
        r.provider(), r.requestedModel(), r.servedModel(), r.routeReason(), status, r.usage(), r.cost(), r.cacheHit(),
        r.costSaved(), r.promptHash(), r.prefixHash(), maxTokens, r.template());
  }

  /** mini: $1 in, $0.50 cached, $2 out; big: $10 in, $5 cached, $30 out — per million tokens. Class chat allows both. */
  static PriceBook prices() {
    Price mini = Price.flat(new Rates(1_000_000_000L, 500_000_000L, 1_000_000_000L, 2_000_000_000L, 2_000_000_000L), "test");
    Price big = Price.flat(new Rates(10_000_000_000L, 5_000_000_000L, 10_000_000_000L, 30_000_000_000L, 30_000_000_000L), "test");
    return new PriceBook(Map.of("mini", mini, "big", big), Map.of("openai|mini-up", "mini", "openai|big-up", "big"),
        Map.of("chat", List.of("mini", "big")));
  }
}
