package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.port.UsageQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The monthly chargeback (or showback) statement: what each team and cost center owes for AI, with
 * shared agents split among the teams that used them, adding up exactly to the ledger — at list
 * price (the ledger's cost) and, beside it, at effective cost under the contracts, with each team's
 * share of unused commitments.
 *
 * <p>How: an agent seen under two or more teams in the month is <em>shared</em>. Its whole cost —
 * including rows no team was named on — forms a pool, split among the teams that used it in
 * proportion to their use of that agent (tokens, requests or cost: the {@link Basis}), by
 * {@link Allocation#largestRemainder largest remainder}, so no nano-dollar is lost or made up. Every
 * other row is charged directly to its own team; rows without a team and without a shared agent
 * stay "unattributed" (team null) rather than vanish. Hence Σ team totals = ledger total, exactly.
 *
 * <p>Effective cost and shortfall per team and agent come from {@link ContractedCosts} (the same
 * pricing as the effective-cost report). A shared agent's effective pool and shortfall pool are split
 * with the very weights of its list pool, by largest remainder again; so Σ teams' effective = the
 * effective-cost report's effective total, and Σ teams' shortfall + the shortfall of contract months
 * without usage (which no team carries) = its total shortfall. Without contracts, effective = list and
 * there is no shortfall.
 */
public final class Chargeback {

  private Chargeback() {}

  /** What "use of a shared agent" is measured in when its pool is split. */
  public enum Basis {
    TOKENS, REQUESTS, COST;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static Basis fromWire(String s) {
      for (Basis b : values()) if (b.wire().equals(s)) return b;
      throw new IllegalArgumentException("'basis' must be one of tokens, requests, cost; got '" + s + "'");
    }
  }

  /**
   * The ledger's sums for one (team, agent) pair in the month; either may be null. {@code cost} is the
   * list cost, {@code effective} its cost under the contracts, {@code shortfall} its share of unused
   * commitments.
   */
  public record Usage(String team, String agent, long requests, long tokens, Money cost, Money effective, Money shortfall) {

    /** Usage under no contract: effective = list, nothing short. */
    public Usage(String team, String agent, long requests, long tokens, Money cost) {
      this(team, agent, requests, tokens, cost, cost, Money.ZERO);
    }
  }

  /**
   * One team's line: charged directly, allocated from shared agents, and in all (list); the same
   * total at effective cost, and the team's share of commitment shortfall.
   */
  public record TeamLine(String team, String costCenter, Money direct, Money shared, Money total, long requests,
      Money effective, Money shortfall) {

    /** What the contracts saved the team (negative when it paid more than list). */
    public Money savings() {
      return total.minus(effective);
    }
  }

  /** A cost center's subtotal and its teams, at list and effective cost, and its shortfall. */
  public record CostCenterLine(String costCenter, Money total, List<String> teams, Money effective, Money shortfall) {

    public Money savings() {
      return total.minus(effective);
    }
  }

  /** A shared agent: its whole cost in the month (list, effective, shortfall) and the teams it was split among. */
  public record SharedAgent(String agent, Money pool, List<String> teams, Money effectivePool, Money shortfallPool) {}

  /** One team's part of one shared agent: of the list pool ({@code amount}), the effective pool and the shortfall pool. */
  public record Allocated(String agent, String team, long usage, BigDecimal sharePct, Money amount, Money effective,
      Money shortfall) {}

  /**
   * The statement. {@code total} is the sum of the team lines' list cost and equals {@code ledgerTotal}
   * (the sum of every input row); {@code effective} is the sum of their effective cost and equals
   * {@code contractedEffective} (the contracts' effective total for the month, as the effective-cost
   * report has it); {@code shortfall} is the sum of their shortfall plus {@code unallocatedShortfall}
   * and equals {@code contractedShortfall}.
   */
  public record Statement(List<TeamLine> teams, List<CostCenterLine> costCenters, List<SharedAgent> sharedAgents,
      List<Allocated> allocations, Money ledgerTotal, Money total, Basis basis, Money effective, Money shortfall,
      Money unallocatedShortfall, Money contractedEffective, Money contractedShortfall, List<String> contracts) {

    /** Σ teams' list = the ledger total. */
    public boolean listReconciles() {
      return total.equals(ledgerTotal);
    }

    /** Σ teams' effective = the effective-cost report's effective total. */
    public boolean effectiveReconciles() {
      return effective.equals(contractedEffective);
    }

    /** Σ teams' shortfall + unallocated = the effective-cost report's total shortfall. */
    public boolean shortfallReconciles() {
      return shortfall.equals(contractedShortfall);
    }

    /** All three identities hold, to the nano-dollar. */
    public boolean reconciles() {
      return listReconciles() && effectiveReconciles() && shortfallReconciles();
    }

    public Money savings() {
      return total.minus(effective);
    }

    /** What is owed under the contracts: the effective cost and every shortfall. */
    public Money payable() {
      return effective.plus(shortfall);
    }
  }

  /** The statement at list price only (no contracts) for {@code from <= started_at < to}, from the ledger's sums per team and agent. */
  public static Statement fromLedger(UsageQuery ledger, Instant from, Instant to, ZoneId zone,
      Map<String, String> costCenters, Basis basis) {
    return build(ledgerUsage(ledger, from, to, zone), costCenters, basis);
  }

  /**
   * The statement with effective cost: list from the ledger's sums per team and agent, effective cost
   * and shortfall from {@code applied} (the same period priced by {@link ContractedCosts#ofLedger}).
   */
  public static Statement fromLedger(UsageQuery ledger, ContractedCosts.Applied applied, Instant from, Instant to, ZoneId zone,
      Map<String, String> costCenters, Basis basis) {
    return build(ledgerUsage(ledger, from, to, zone), applied, costCenters, basis);
  }

  private static List<Usage> ledgerUsage(UsageQuery ledger, Instant from, Instant to, ZoneId zone) {
    List<Usage> lines = new ArrayList<>();
    for (UsageAggregate a : ledger.aggregate(new UsageFilter(from, to, Map.of(), List.of("team", "agent"), null, zone))) {
      lines.add(new Usage(a.group().get("team"), a.group().get("agent"), a.requests(), a.inputTokens() + a.outputTokens(),
          a.cost()));
    }
    return lines;
  }

  /**
   * The statement as CSV: {@code month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests,
   * effective_usd,savings_usd,commitment_shortfall_usd}, one line per team ("(unattributed)" for rows
   * naming no team), a "(contracts without usage)" line when some shortfall has no usage to carry it,
   * then a TOTAL line; amounts are exact decimals of USD. The first seven columns are the list-price
   * statement as it always was.
   */
  public static String csv(Statement s, String month) {
    StringBuilder sb = new StringBuilder(
        "month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests,effective_usd,savings_usd,commitment_shortfall_usd\n");
    long requests = 0;
    Money direct = Money.ZERO;
    Money shared = Money.ZERO;
    for (TeamLine t : s.teams()) {
      sb.append(month).append(',').append(csvField(t.costCenter())).append(',')
          .append(csvField(t.team() == null ? "(unattributed)" : t.team())).append(',')
          .append(t.direct().toUsdString()).append(',').append(t.shared().toUsdString()).append(',')
          .append(t.total().toUsdString()).append(',').append(t.requests()).append(',')
          .append(t.effective().toUsdString()).append(',').append(t.savings().toUsdString()).append(',')
          .append(t.shortfall().toUsdString()).append('\n');
      requests += t.requests();
      direct = direct.plus(t.direct());
      shared = shared.plus(t.shared());
    }
    if (!s.unallocatedShortfall().isZero()) {
      sb.append(month).append(",,(contracts without usage),0,0,0,0,0,0,").append(s.unallocatedShortfall().toUsdString())
          .append('\n');
    }
    sb.append(month).append(",,TOTAL,").append(direct.toUsdString()).append(',').append(shared.toUsdString()).append(',')
        .append(s.total().toUsdString()).append(',').append(requests).append(',').append(s.effective().toUsdString())
        .append(',').append(s.savings().toUsdString()).append(',').append(s.shortfall().toUsdString()).append('\n');
    return sb.toString();
  }

  private static String csvField(String v) {
    if (v == null) return "";
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /**
   * The statement from usage that already carries its effective cost and shortfall (or none: then
   * effective = list); nothing unallocated, and the expected effective and shortfall totals are the
   * usage's own.
   *
   * @param costCenters team → cost center for the teams the config knows (their lines appear even
   *     when they spent nothing); teams missing here have no cost center
   */
  public static Statement build(Collection<Usage> usage, Map<String, String> costCenters, Basis basis) {
    long effective = 0;
    long shortfall = 0;
    for (Usage u : usage) {
      effective = Math.addExact(effective, u.effective().nanos());
      shortfall = Math.addExact(shortfall, u.shortfall().nanos());
    }
    return build(usage, costCenters, basis, 0, effective, shortfall, List.of());
  }

  /**
   * The statement from the ledger's sums (list) and the contracts' pricing of the same period:
   * each (team, agent) gets the effective cost and shortfall {@code applied} gives it; the effective and
   * shortfall totals to reconcile with are {@code applied}'s, which the {@link EffectiveCostReport} of it also shows.
   */
  public static Statement build(Collection<Usage> usage, ContractedCosts.Applied applied, Map<String, String> costCenters,
      Basis basis) {
    Map<List<String>, long[]> priced = new HashMap<>(ContractedCosts.group(applied, List.of("team", "agent")));
    List<Usage> merged = new ArrayList<>(usage.size());
    for (Usage u : usage) {
      long[] v = priced.remove(Arrays.asList(u.team(), u.agent()));
      merged.add(new Usage(u.team(), u.agent(), u.requests(), u.tokens(), u.cost(), Money.ofNanos(v == null ? 0 : v[1]),
          Money.ofNanos(v == null ? 0 : v[2])));
    }
    // Usage the contracts priced that the ledger's sums did not hold (a row written between the two reads): kept, so
    // the effective total still reconciles.
    priced.forEach((k, v) -> merged.add(new Usage(k.get(0), k.get(1), 0, 0, Money.ZERO, Money.ofNanos(v[1]),
        Money.ofNanos(v[2]))));
    // The applied totals are the effective-cost report's totals (its groups sum to them, EffectiveCostReport.reconciles).
    List<String> contracts = applied.periods().stream().map(p -> p.contract().name()).distinct().toList();
    return build(merged, costCenters, basis, applied.unallocatedShortfallNanos(), applied.effectiveNanos(),
        applied.shortfallNanos(), contracts);
  }

  private static Statement build(Collection<Usage> usage, Map<String, String> costCenters, Basis basis, long unallocated,
      long expectedEffective, long expectedShortfall, List<String> contracts) {
    Comparator<String> byName = Comparator.nullsLast(Comparator.naturalOrder());
    Map<String, TreeSet<String>> teamsOfAgent = new TreeMap<>();
    for (Usage u : usage) {
      if (u.agent() != null && u.team() != null) teamsOfAgent.computeIfAbsent(u.agent(), a -> new TreeSet<>()).add(u.team());
    }
    Map<String, long[]> perTeam = new TreeMap<>(byName); // direct, shared, requests, effective, shortfall
    costCenters.keySet().forEach(t -> perTeam.put(t, new long[5]));
    Map<String, long[]> pools = new TreeMap<>(); // agent → list, effective, shortfall
    Map<String, Map<String, Long>> useOfAgent = new TreeMap<>(); // agent → team → usage
    long ledger = 0;
    for (Usage u : usage) {
      ledger = Math.addExact(ledger, u.cost().nanos());
      long[] line = perTeam.computeIfAbsent(u.team(), t -> new long[5]);
      line[2] += u.requests();
      boolean shared = u.agent() != null && teamsOfAgent.getOrDefault(u.agent(), new TreeSet<>()).size() >= 2;
      if (!shared) {
        line[0] = Math.addExact(line[0], u.cost().nanos());
        line[3] = Math.addExact(line[3], u.effective().nanos());
        line[4] = Math.addExact(line[4], u.shortfall().nanos());
        continue;
      }
      long[] pool = pools.computeIfAbsent(u.agent(), a -> new long[3]);
      pool[0] = Math.addExact(pool[0], u.cost().nanos());
      pool[1] = Math.addExact(pool[1], u.effective().nanos());
      pool[2] = Math.addExact(pool[2], u.shortfall().nanos());
      if (u.team() != null) {
        long measure = switch (basis) {
          case TOKENS -> u.tokens();
          case REQUESTS -> u.requests();
          case COST -> u.cost().nanos();
        };
        useOfAgent.computeIfAbsent(u.agent(), a -> new TreeMap<>()).merge(u.team(), measure, Long::sum);
      }
    }

    List<SharedAgent> sharedAgents = new ArrayList<>();
    List<Allocated> allocations = new ArrayList<>();
    for (var entry : pools.entrySet()) {
      String agent = entry.getKey();
      long[] pool = entry.getValue();
      List<String> teams = new ArrayList<>(useOfAgent.get(agent).keySet());
      long[] weights = teams.stream().mapToLong(t -> useOfAgent.get(agent).get(t)).toArray();
      // one set of weights for all three pools: effective cost and shortfall follow the list split's shares
      long[] parts = Allocation.largestRemainder(pool[0], weights);
      long[] effective = Allocation.largestRemainder(pool[1], weights);
      long[] shortfall = Allocation.largestRemainder(pool[2], weights);
      long used = 0;
      for (long w : weights) used += w;
      for (int i = 0; i < teams.size(); i++) {
        long[] line = perTeam.get(teams.get(i));
        line[1] = Math.addExact(line[1], parts[i]);
        line[3] = Math.addExact(line[3], effective[i]);
        line[4] = Math.addExact(line[4], shortfall[i]);
        allocations.add(new Allocated(agent, teams.get(i), weights[i], Rankings.percent(weights[i], used),
            Money.ofNanos(parts[i]), Money.ofNanos(effective[i]), Money.ofNanos(shortfall[i])));
      }
      sharedAgents.add(new SharedAgent(agent, Money.ofNanos(pool[0]), List.copyOf(teams), Money.ofNanos(pool[1]),
          Money.ofNanos(pool[2])));
    }

    List<TeamLine> lines = new ArrayList<>();
    Map<String, long[]> centers = new TreeMap<>(byName); // list, effective, shortfall
    Map<String, List<String>> centerTeams = new LinkedHashMap<>();
    long total = 0;
    long effectiveTotal = 0;
    long shortfallTotal = unallocated;
    for (var e : perTeam.entrySet()) {
      long[] v = e.getValue();
      long teamTotal = Math.addExact(v[0], v[1]);
      total = Math.addExact(total, teamTotal);
      effectiveTotal = Math.addExact(effectiveTotal, v[3]);
      shortfallTotal = Math.addExact(shortfallTotal, v[4]);
      String center = e.getKey() == null ? null : costCenters.get(e.getKey());
      lines.add(new TeamLine(e.getKey(), center, Money.ofNanos(v[0]), Money.ofNanos(v[1]), Money.ofNanos(teamTotal), v[2],
          Money.ofNanos(v[3]), Money.ofNanos(v[4])));
      long[] c = centers.computeIfAbsent(center, k -> new long[3]);
      c[0] = Math.addExact(c[0], teamTotal);
      c[1] = Math.addExact(c[1], v[3]);
      c[2] = Math.addExact(c[2], v[4]);
      centerTeams.computeIfAbsent(center, k -> new ArrayList<>()).add(e.getKey());
    }
    List<CostCenterLine> centerLines = new ArrayList<>();
    centers.forEach((c, v) -> centerLines.add(new CostCenterLine(c, Money.ofNanos(v[0]), centerTeams.get(c), Money.ofNanos(v[1]),
        Money.ofNanos(v[2]))));
    Statement s = new Statement(List.copyOf(lines), List.copyOf(centerLines), List.copyOf(sharedAgents),
        List.copyOf(allocations), Money.ofNanos(ledger), Money.ofNanos(total), Objects.requireNonNull(basis),
        Money.ofNanos(effectiveTotal), Money.ofNanos(shortfallTotal), Money.ofNanos(unallocated),
        Money.ofNanos(expectedEffective), Money.ofNanos(expectedShortfall), List.copyOf(contracts));
    if (!s.reconciles()) {
      throw new IllegalStateException("chargeback does not reconcile: list " + s.total() + " vs " + s.ledgerTotal()
          + ", effective " + s.effective() + " vs " + s.contractedEffective() + ", shortfall " + s.shortfall() + " vs "
          + s.contractedShortfall());
    }
    return s;
  }
}
