package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Chargeback.Basis;
import dev.tollgate.report.Chargeback.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
