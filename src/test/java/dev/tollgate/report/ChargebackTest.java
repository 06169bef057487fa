package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Chargeback.Basis;
import dev.tollgate.report.Chargeback.Usage;
import dev.tollgate.report.focus.SkuUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChargebackTest {

  static Usage u(String team, String agent, long requests, long tokens, long nanos) {
    return new Usage(team, agent, requests, tokens, Money.ofNanos(nanos));
  }

  @Test
  void aSharedAgentIsSplitByUsageShareToTheNanoAndTheStatementReconciles() {
    List<Usage> usage = List.of(
        u("support", "kb-search", 10, 2_000, 600),
        u("sales", "kb-search", 5, 1_000, 400),
        u(null, "kb-search", 1, 10, 1),          // no team named: part of the pool all the same
        u("support", "triage-bot", 50, 9_000, 5_000),
        u("sales", null, 3, 300, 70),
        u(null, null, 2, 20, 9));                // unattributed, stays visible
    var s = Chargeback.build(usage, Map.of("support", "CC-100", "sales", "CC-200", "legal", "CC-200"), Basis.TOKENS);

    assertThat(s.sharedAgents()).singleElement().satisfies(a -> {
      assertThat(a.agent()).isEqualTo("kb-search");
      assertThat(a.pool()).isEqualTo(Money.ofNanos(1_001));
      assertThat(a.teams()).containsExactly("sales", "support");
    });
    // 1001 by tokens 1000 : 2000 → quotas 333.67 and 667.33 → floors 333 + 667, the leftover nano to sales (.67)
    assertThat(s.allocations()).extracting(Chargeback.Allocated::team, a -> a.amount().nanos())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sales", 334L), org.assertj.core.groups.Tuple.tuple("support", 667L));
    var byTeam = new java.util.HashMap<String, Chargeback.TeamLine>();
    s.teams().forEach(t -> byTeam.put(t.team(), t));
    assertThat(byTeam.get("support").direct().nanos()).isEqualTo(5_000);
    assertThat(byTeam.get("support").shared().nanos()).isEqualTo(667);
    assertThat(byTeam.get("sales").total().nanos()).isEqualTo(70 + 334);
    assertThat(byTeam.get("legal").total()).as("a configured team that spent nothing still has its line").isEqualTo(Money.ZERO);
    assertThat(byTeam.get(null).total().nanos()).isEqualTo(9);
    assertThat(s.teams()).last().extracting(Chargeback.TeamLine::team).as("unattributed last").isNull();

    assertThat(s.ledgerTotal().nanos()).isEqualTo(600 + 400 + 1 + 5_000 + 70 + 9);
    assertThat(s.total()).isEqualTo(s.ledgerTotal());
    assertThat(s.costCenters()).extracting(Chargeback.CostCenterLine::costCenter, c -> c.total().nanos())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("CC-100", 5_667L),
            org.assertj.core.groups.Tuple.tuple("CC-200", 404L), org.assertj.core.groups.Tuple.tuple(null, 9L));
  }

  @Test
  void anAgentOnlyOneTeamUsesIsChargedDirectly() {
    var s = Chargeback.build(List.of(u("support", "bot", 1, 1, 10), u(null, "bot", 1, 1, 5)), Map.of(), Basis.TOKENS);
    assertThat(s.sharedAgents()).isEmpty();
    assertThat(s.teams()).extracting(t -> t.total().nanos()).containsExactly(10L, 5L);
  }

  @Test
  void theBasisDecidesTheSplit() {
    List<Usage> usage = List.of(u("a", "x", 1, 900, 100), u("b", "x", 3, 100, 100));
    assertThat(Chargeback.build(usage, Map.of(), Basis.REQUESTS).allocations()).extracting(a -> a.amount().nanos())
        .containsExactly(50L, 150L);
    assertThat(Chargeback.build(usage, Map.of(), Basis.TOKENS).allocations()).extracting(a -> a.amount().nanos())
        .containsExactly(180L, 20L);
    assertThat(Chargeback.build(usage, Map.of(), Basis.COST).allocations()).extracting(a -> a.amount().nanos())
        .containsExactly(100L, 100L);
  }

  @Test
  void everyRandomLedgerReconcilesToTheNanoDollarPerTeamAndCostCenter() {
    Random random = new Random(11);
    String[] teams = {"a", "b", "c", "d", null};
    String[] agents = {"x", "y", "z", null};
    for (int round = 0; round < 500; round++) {
      List<Usage> usage = new ArrayList<>();
      int rows = random.nextInt(30);
      for (int i = 0; i < rows; i++) {
        usage.add(u(teams[random.nextInt(teams.length)], agents[random.nextInt(agents.length)], random.nextInt(100),
            random.nextInt(1_000_000), random.nextLong(0, 50_000_000_000L)));
      }
      var s = Chargeback.build(usage, Map.of("a", "CC1", "b", "CC1", "c", "CC2"), Basis.values()[round % 3]);
      long ledger = usage.stream().mapToLong(x -> x.cost().nanos()).sum();
      assertThat(s.teams().stream().mapToLong(t -> t.total().nanos()).sum()).isEqualTo(ledger);
      assertThat(s.costCenters().stream().mapToLong(c -> c.total().nanos()).sum()).isEqualTo(ledger);
      assertThat(s.teams()).allSatisfy(t -> assertThat(t.direct().plus(t.shared())).isEqualTo(t.total()));
      for (var agent : s.sharedAgents()) {
        long allocated = s.allocations().stream().filter(a -> a.agent().equals(agent.agent()))
            .mapToLong(a -> a.amount().nanos()).sum();
        assertThat(allocated).as("pool of %s", agent.agent()).isEqualTo(agent.pool().nanos());
      }
    }
  }

  // --- list and effective cost side by side ---------------------------------------------------------------------------

  static final LocalDate NOV1 = LocalDate.of(2026, 11, 1);
  static final LocalDate DEC1 = LocalDate.of(2026, 12, 1);
  static final long USD = 1_000_000_000L;

  /** A day's ledger sums for a team and agent on a model ("mini" or "big", both openai). */
  static SkuUsage sku(LocalDate day, String model, String team, String agent, long tokens, long nanos) {
    String served = model.equals("mini") ? "gpt-4o-mini" : "gpt-4o";
    return new SkuUsage(day, model, served, "openai", "acme", team, null, null, agent, null, Map.of(), 0, tokens, 0, 0, 0, 0, 1,
        nanos);
  }

  /** The ledger's sums per team and agent over the same lines, as the usage rollups give them. */
  static List<Usage> ledger(List<SkuUsage> lines) {
    Map<List<String>, long[]> sums = new java.util.LinkedHashMap<>();
    for (SkuUsage l : lines) {
      long[] v = sums.computeIfAbsent(java.util.Arrays.asList(l.team(), l.agent()), k -> new long[3]);
      v[0] += l.requests();
      v[1] += l.uncachedInputTokens();
      v[2] += l.costNanos();
    }
    List<Usage> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(u(k.get(0), k.get(1), v[0], v[1], v[2])));
    return out;
  }

  static Contract deal(String name, String model, int discount, long commitment) {
    return new Contract(name, "openai", model, NOV1, null, new Contract.Negotiated(BigDecimal.valueOf(discount), commitment, 0, 0,
        null));
  }

  static Map<String, Chargeback.TeamLine> byTeam(Chargeback.Statement s) {
    Map<String, Chargeback.TeamLine> out = new HashMap<>();
    s.teams().forEach(t -> out.put(t.team(), t));
    return out;
  }

  static long effectiveOf(ContractedCosts.Applied applied, String team, String agent) {
    return applied.lines().stream().filter(l -> Objects.equals(l.usage().team(), team) && Objects.equals(l.usage().agent(), agent))
        .mapToLong(ContractedCosts.Line::effectiveNanos).sum();
  }

  @Test
  void aSharedAgentUnderADiscountIsSplitAtEffectiveCostByTheSameSharesAsItsListCost() {
    // kb-search: support's rows cost more (3 USD for 1000 tokens), sales used it more (1 USD for 3000 tokens)
    List<SkuUsage> lines = List.of(
        sku(NOV1, "mini", "support", "kb-search", 1_000, 3 * USD),
        sku(NOV1, "mini", "sales", "kb-search", 3_000, USD),
        sku(NOV1.plusDays(3), "mini", null, "kb-search", 5, 7),
        sku(NOV1, "mini", "support", "triage-bot", 9_000, 5 * USD + 1),
        sku(NOV1, "mini", "sales", null, 300, USD / 3));
    var applied = ContractedCosts.apply(lines, ContractedCostsTest.PRICING, List.of(deal("openai-2026", null, 30, 0)), NOV1, DEC1);
    var report = EffectiveCostReport.build(applied, List.of("team"));
    var s = Chargeback.build(ledger(lines), applied, Map.of("support", "CC-100", "sales", "CC-200"), Basis.TOKENS);

    var kb = s.sharedAgents().getFirst();
    assertThat(kb.agent()).isEqualTo("kb-search");
    assertThat(kb.pool().nanos()).isEqualTo(4 * USD + 7);
    assertThat(kb.effectivePool().nanos()).as("the pool at effective cost: what the contracts made of the agent's rows")
        .isEqualTo(effectiveOf(applied, "support", "kb-search") + effectiveOf(applied, "sales", "kb-search")
            + effectiveOf(applied, null, "kb-search"))
        .isLessThan(kb.pool().nanos());
    var support = s.allocations().stream().filter(a -> a.team().equals("support")).findFirst().orElseThrow();
    var sales = s.allocations().stream().filter(a -> a.team().equals("sales")).findFirst().orElseThrow();
    // tokens 1000 : 3000 for both pools, not each team's own rows' effective cost (which would favour sales)
    for (var a : List.of(support, sales)) {
      assertThat(a.effective().nanos() * 4_000.0 / a.usage()).isCloseTo((double) kb.effectivePool().nanos(),
          org.assertj.core.data.Offset.offset(4_000.0 / a.usage()));
    }
    assertThat(sales.effective().nanos()).isGreaterThan(effectiveOf(applied, "sales", "kb-search"));
    assertThat(support.effective().plus(sales.effective())).isEqualTo(kb.effectivePool());
    assertThat(sales.amount().nanos() * support.effective().nanos()).as("the same shares: list and effective in proportion")
        .isCloseTo(support.amount().nanos() * sales.effective().nanos(), org.assertj.core.data.Offset.offset(4 * USD));

    var teams = byTeam(s);
    assertThat(teams.get("support").effective().nanos())
        .isEqualTo(effectiveOf(applied, "support", "triage-bot") + support.effective().nanos());
    assertThat(teams.get("support").savings()).isEqualTo(teams.get("support").total().minus(teams.get("support").effective()));
    assertThat(teams.get("sales").effective().nanos()).isEqualTo(effectiveOf(applied, "sales", null) + sales.effective().nanos());
    assertThat(s.teams().stream().mapToLong(t -> t.effective().nanos()).sum()).isEqualTo(report.effective().nanos());
    assertThat(s.costCenters().stream().mapToLong(c -> c.effective().nanos()).sum()).isEqualTo(report.effective().nanos());
    assertThat(s.effective()).isEqualTo(report.effective()).isEqualTo(s.contractedEffective());
    assertThat(s.total()).isEqualTo(report.list()).isEqualTo(s.ledgerTotal());
    assertThat(s.shortfall()).isEqualTo(Money.ZERO);
    assertThat(s.contracts()).containsExactly("openai-2026");
    assertThat(s.reconciles()).isTrue();
  }

  @Test
  void aCommitmentShortfallIsSharedByTeamsAndAMonthWithoutUsageOwesOnItsOwnLine() {
    // mini: 20 % off, 10 USD committed, 5 USD of list used → 4 USD drawn, 6 USD short, shared by use;
    // big: 2 USD committed and never used → short on no team's usage
    List<SkuUsage> lines = List.of(
        sku(NOV1, "mini", "support", "kb-search", 1_000, 2 * USD),
        sku(NOV1, "mini", "sales", "kb-search", 1_000, USD),
        sku(NOV1.plusDays(9), "mini", "support", null, 10, 2 * USD));
    var applied = ContractedCosts.apply(lines, ContractedCostsTest.PRICING,
        List.of(deal("mini-deal", "mini", 20, 10 * USD), deal("big-deal", "big", 0, 2 * USD)), NOV1, DEC1);
    var report = EffectiveCostReport.build(applied, List.of("team"));
    var s = Chargeback.build(ledger(lines), applied, Map.of("support", "CC-100", "sales", "CC-200", "legal", "CC-200"),
        Basis.TOKENS);

    assertThat(s.unallocatedShortfall()).isEqualTo(report.unallocatedShortfall()).isEqualTo(Money.ofNanos(2 * USD));
    assertThat(s.shortfall()).isEqualTo(report.shortfall()).isEqualTo(Money.ofNanos(8 * USD));
    assertThat(s.effective()).isEqualTo(report.effective()).isEqualTo(Money.ofNanos(4 * USD));
    long teamsShortfall = s.teams().stream().mapToLong(t -> t.shortfall().nanos()).sum();
    assertThat(teamsShortfall + s.unallocatedShortfall().nanos()).isEqualTo(s.shortfall().nanos());
    assertThat(s.costCenters().stream().mapToLong(c -> c.shortfall().nanos()).sum()).isEqualTo(teamsShortfall);
    var teams = byTeam(s);
    assertThat(teams.get("legal").shortfall()).as("no usage, no share of the shortfall").isEqualTo(Money.ZERO);
    // kb-search's 3 USD list carried 3/5 of the 6 USD short: 3.6 USD, split by tokens 1:1
    var kb = s.sharedAgents().getFirst();
    assertThat(kb.shortfallPool().nanos()).isEqualTo(3_600_000_000L);
    assertThat(s.allocations()).extracting(a -> a.shortfall().nanos()).containsExactly(1_800_000_000L, 1_800_000_000L);
    assertThat(teams.get("support").shortfall().nanos()).isEqualTo(1_800_000_000L + 2_400_000_000L);
    assertThat(s.payable()).isEqualTo(report.payable());
    assertThat(s.reconciles()).isTrue();

    String csv = Chargeback.csv(s, "2026-11");
    assertThat(csv).contains("\n2026-11,,(contracts without usage),0,0,0,0,0,0,2\n");
    String[] rows = csv.split("\n");
    assertThat(rows[rows.length - 1]).isEqualTo("2026-11,,TOTAL,2,3,5,3,4,1,8");
    BigDecimal shortfall = BigDecimal.ZERO;
    for (int i = 1; i < rows.length - 1; i++) shortfall = shortfall.add(new BigDecimal(rows[i].split(",")[9]));
    assertThat(shortfall).isEqualByComparingTo("8");
  }

  @Test
  void withoutContractsEveryLineCostsItsListPriceAndNothingIsShort() {
    Random random = new Random(7);
    String[] teams = {"a", "b", "c", null};
    String[] agents = {"x", "y", null};
    for (int round = 0; round < 200; round++) {
      List<SkuUsage> lines = new ArrayList<>();
      for (int i = random.nextInt(20); i > 0; i--) {
        lines.add(sku(NOV1.plusDays(random.nextInt(30)), random.nextBoolean() ? "mini" : "big", teams[random.nextInt(4)],
            agents[random.nextInt(3)], random.nextInt(10_000), random.nextLong(0, 20 * USD)));
      }
      var priced = Chargeback.build(ledger(lines), ContractedCosts.apply(lines, ContractedCostsTest.PRICING, List.of(), NOV1, DEC1),
          Map.of("a", "CC1", "c", "CC2"), Basis.values()[round % 3]);
      var plain = Chargeback.build(ledger(lines), Map.of("a", "CC1", "c", "CC2"), Basis.values()[round % 3]);
      for (var s : List.of(priced, plain)) {
        assertThat(s.teams()).allSatisfy(t -> {
          assertThat(t.effective()).isEqualTo(t.total());
          assertThat(t.shortfall()).isEqualTo(Money.ZERO);
        });
        assertThat(s.costCenters()).allSatisfy(c -> assertThat(c.effective()).isEqualTo(c.total()));
        assertThat(s.sharedAgents()).allSatisfy(a -> assertThat(a.effectivePool()).isEqualTo(a.pool()));
        assertThat(s.allocations()).allSatisfy(a -> assertThat(a.effective()).isEqualTo(a.amount()));
        assertThat(s.effective()).isEqualTo(s.ledgerTotal());
        assertThat(s.shortfall()).isEqualTo(Money.ZERO);
        assertThat(s.reconciles()).isTrue();
      }
      assertThat(priced.teams()).isEqualTo(plain.teams());
    }
  }

  @Test
  void everyRandomLedgerUnderContractsReconcilesEffectiveCostAndShortfallToTheEffectiveCostReport() {
    Random random = new Random(13);
    String[] teams = {"a", "b", "c", "d", null};
    String[] agents = {"x", "y", "z", null};
    for (int round = 0; round < 300; round++) {
      List<SkuUsage> lines = new ArrayList<>();
      for (int i = random.nextInt(25); i > 0; i--) {
        lines.add(sku(NOV1.plusDays(random.nextInt(30)), random.nextInt(3) == 0 ? "big" : "mini", teams[random.nextInt(5)],
            agents[random.nextInt(4)], random.nextInt(100_000), random.nextLong(0, 30 * USD)));
      }
      var contracts = List.of(deal("mini-deal", "mini", random.nextInt(60), random.nextLong(0, 200 * USD)),
          deal("wide", null, random.nextInt(40), random.nextLong(0, 50 * USD)));
      var applied = ContractedCosts.apply(lines, ContractedCostsTest.PRICING, contracts, NOV1, DEC1);
      var report = EffectiveCostReport.build(applied, List.of("team"));
      var s = Chargeback.build(ledger(lines), applied, Map.of("a", "CC1", "b", "CC1", "c", "CC2"), Basis.values()[round % 3]);
      assertThat(s.teams().stream().mapToLong(t -> t.total().nanos()).sum()).isEqualTo(report.list().nanos());
      assertThat(s.teams().stream().mapToLong(t -> t.effective().nanos()).sum()).isEqualTo(report.effective().nanos());
      assertThat(s.teams().stream().mapToLong(t -> t.shortfall().nanos()).sum() + s.unallocatedShortfall().nanos())
          .isEqualTo(report.shortfall().nanos());
      assertThat(s.costCenters().stream().mapToLong(c -> c.effective().nanos()).sum()).isEqualTo(report.effective().nanos());
      for (var agent : s.sharedAgents()) {
        var parts = s.allocations().stream().filter(a -> a.agent().equals(agent.agent())).toList();
        assertThat(parts.stream().mapToLong(a -> a.effective().nanos()).sum()).isEqualTo(agent.effectivePool().nanos());
        assertThat(parts.stream().mapToLong(a -> a.shortfall().nanos()).sum()).isEqualTo(agent.shortfallPool().nanos());
        long used = parts.stream().mapToLong(Chargeback.Allocated::usage).sum();
        for (var a : parts) { // each part within one nano-dollar of its exact share of the pool
          if (used == 0) continue;
          BigInteger exact = BigInteger.valueOf(agent.effectivePool().nanos()).multiply(BigInteger.valueOf(a.usage()));
          BigInteger mine = BigInteger.valueOf(a.effective().nanos()).multiply(BigInteger.valueOf(used));
          assertThat(mine.subtract(exact).abs()).isLessThan(BigInteger.valueOf(used));
        }
      }
      assertThat(s.reconciles()).isTrue();
    }
  }
}
