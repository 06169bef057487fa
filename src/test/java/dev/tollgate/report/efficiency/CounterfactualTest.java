package dev.tollgate.report.efficiency;

import static dev.tollgate.report.efficiency.Rows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What each request would have cost on its class's cheapest allowed model, reconciled for every grouping. */
class CounterfactualTest {

  /** mini $1/$2, big $10/$30, vault (private) $5/$15 per million in/out; chat allows all three; secure routes PII privately. */
  static PriceBook prices() {
    Price mini = Price.flat(new Rates(1_000_000_000L, 500_000_000L, 1_000_000_000L, 2_000_000_000L, 2_000_000_000L), "test");
    Price big = Price.flat(new Rates(10_000_000_000L, 5_000_000_000L, 10_000_000_000L, 30_000_000_000L, 30_000_000_000L), "test");
    Price vault = Price.flat(new Rates(5_000_000_000L, 2_500_000_000L, 5_000_000_000L, 15_000_000_000L, 15_000_000_000L), "test");
    return new PriceBook(Map.of("mini", mini, "big", big, "vault", vault),
        Map.of("openai|mini-up", "mini", "openai|big-up", "big", "local|vault-up", "vault"),
        Map.of("chat", List.of("mini", "big", "vault"), "secure", List.of("mini", "vault"), "premium", List.of("big")),
        Set.of("vault"), Set.of("secure"));
  }

  static LedgerFacts row(String id, String team, String user, String cls, String served, String reason, String findings,
      long in, long out, long cost, boolean hit) {
    String provider = served.equals("vault") ? "local" : "openai";
    return new LedgerFacts(id, T0, "k-" + team, team, "wf", null, user, cls, provider, served, served + "-up", reason, "ok",
        TokenUsage.of(in, out), Money.ofNanos(cost), hit, Money.ZERO, null, null, null, null,
        served.equals("vault") ? "private" : "standard", findings, false, null);
  }

  // 1,000 in and 1,000 out: big $0.04, vault $0.02, mini $0.003
  static final LedgerFacts ON_BIG = row("1", "support", "ana", "chat", "big", "requested", null, 1000, 1000, 40_000_000L, false);
  static final LedgerFacts ON_MINI = row("2", "support", "bo", "chat", "mini", "requested", null, 1000, 1000, 3_000_000L, false);
  static final LedgerFacts PII_ON_VAULT = row("3", "research", "cy", "secure", "vault", "pii_private", "email=1", 1000, 1000,
      20_000_000L, false);
  static final LedgerFacts NO_CLASS = row("4", "research", "cy", null, "big", "requested", null, 1000, 1000, 40_000_000L, false);
  static final LedgerFacts HIT = row("5", "support", "ana", "chat", "big", "requested", null, 0, 0, 0, true);
  static final LedgerFacts ONLY_BIG = row("6", "support", "bo", "premium", "big", "requested", null, 1000, 1000, 40_000_000L, false);
  static final LedgerFacts FINDINGS_SECURE = row("7", "research", "cy", "secure", "vault", "requested", "iban=1", 1000, 1000,
      20_000_000L, false);

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("served by a dearer allowed model: priced on the cheapest", ON_BIG, 3_000_000L, "mini"),
        Arguments.of("already on the cheapest: no difference", ON_MINI, 3_000_000L, "mini"),
        Arguments.of("bound to private models by the guard: the cheapest private one", PII_ON_VAULT, 20_000_000L, "vault"),
        Arguments.of("findings in a route_private class: private models only", FINDINGS_SECURE, 20_000_000L, "vault"),
        Arguments.of("no class: no allowed set, kept at cost", NO_CLASS, 40_000_000L, null),
        Arguments.of("a cache hit cost nothing and stays so", HIT, 0L, null),
        Arguments.of("the class allows only the model used", ONLY_BIG, 40_000_000L, "big"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachRequestIsPricedOnItsClassCheapestAllowedModel(String why, LedgerFacts r, long counterfactual, String model) {
    Counterfactual.Report report = Counterfactual.of(List.of(r), prices(), List.of());
    assertThat(report.total().counterfactual()).isEqualTo(Money.ofNanos(counterfactual));
    assertThat(report.total().difference()).isEqualTo(r.cost().minus(Money.ofNanos(counterfactual)));
    if (model == null) assertThat(report.total().cheapestModels()).isEmpty();
    else assertThat(report.total().cheapestModels()).containsExactly(Map.entry(model, 1L));
  }

  static Stream<Arguments> groupings() {
    return Stream.of(Arguments.of(List.of()), Arguments.of(List.of(Counterfactual.Dimension.TEAM)),
        Arguments.of(List.of(Counterfactual.Dimension.USER)), Arguments.of(List.of(Counterfactual.Dimension.MODEL)),
        Arguments.of(List.of(Counterfactual.Dimension.WORKLOAD_CLASS, Counterfactual.Dimension.TEAM)),
        Arguments.of(List.of(Counterfactual.Dimension.KEY, Counterfactual.Dimension.WORKFLOW, Counterfactual.Dimension.PROVIDER)));
  }

  @ParameterizedTest
  @MethodSource("groupings")
  void everyBreakdownAddsUpToTheTotalAndTheTotalToTheLedger(List<Counterfactual.Dimension> groupBy) {
    List<LedgerFacts> all = List.of(ON_BIG, ON_MINI, PII_ON_VAULT, NO_CLASS, HIT, ONLY_BIG, FINDINGS_SECURE);
    Counterfactual.Report report = Counterfactual.of(all, prices(), groupBy);

    Money ledger = all.stream().map(LedgerFacts::cost).reduce(Money.ZERO, Money::plus);
    assertThat(report.total().actual()).isEqualTo(ledger);
    // 3 + 3 + 20 + 40 + 0 + 40 + 20 thousandths of a cent… in nano-dollars
    assertThat(report.total().counterfactual()).isEqualTo(Money.ofNanos(3_000_000L + 3_000_000L + 20_000_000L + 40_000_000L
        + 40_000_000L + 20_000_000L));
    assertThat(report.lines().stream().map(Counterfactual.Line::counterfactual).reduce(Money.ZERO, Money::plus))
        .isEqualTo(report.total().counterfactual());
    assertThat(report.lines().stream().mapToLong(Counterfactual.Line::requests).sum()).isEqualTo(all.size());
    assertThat(report.reconciles()).isTrue();
  }

  @Test
  void theSavingsReportSwitchesPrivateBoundCallsToPrivateModelsOnlyLikeTheCounterfactual() {
    Savings.Report s = Savings.of(List.of(PII_ON_VAULT, row("8", "research", "cy", "secure", "big", "requested", null, 1000, 1000,
        40_000_000L, false)), prices());
    assertThat(s.switching()).extracting(Savings.Switch::cheapestModel).containsExactlyInAnyOrder("vault", "mini");
    assertThat(s.switching()).filteredOn(w -> w.cheapestModel().equals("vault")).singleElement()
        .satisfies(w -> assertThat(w.saving()).isEqualTo(Money.ZERO));
  }

  @Test
  void theLargestPossibleSavingComesFirst() {
    Counterfactual.Report report = Counterfactual.of(List.of(ON_MINI, PII_ON_VAULT, ON_BIG), prices(),
        List.of(Counterfactual.Dimension.USER));
    assertThat(report.lines()).extracting(l -> l.group().get(0)).containsExactly("ana", "bo", "cy");
    assertThat(report.lines().get(0).difference()).isEqualTo(Money.ofNanos(37_000_000L));
  }
}
