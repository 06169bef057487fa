package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.port.UsageQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The monthly chargeback (or showback) statement: what each team and cost center owes for AI, with
 * shared agents split among the teams that used them, adding up exactly to the ledger.
 *
 * <p>How: an agent seen under two or more teams in the month is <em>shared</em>. Its whole cost —
 * including rows no team was named on — forms a pool, split among the teams that used it in
 * proportion to their use of that agent (tokens, requests or cost: the {@link Basis}), by
 * {@link Allocation#largestRemainder largest remainder}, so no nano-dollar is lost or made up. Every
 * other row is charged directly to its own team; rows without a team and without a shared agent
 * stay "unattributed" (team null) rather than vanish. Hence Σ team totals = ledger total, exactly.
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

  /** The ledger's sums for one (team, agent) pair in the month; either may be null. */
  public record Usage(String team, String agent, long requests, long tokens, Money cost) {}

  /** One team's line: charged directly, allocated from shared agents, and in all. */
  public record TeamLine(String team, String costCenter, Money direct, Money shared, Money total, long requests) {}

  /** A cost center's subtotal and its teams. */
  public record CostCenterLine(String costCenter, Money total, List<String> teams) {}

  /** A shared agent: its whole cost in the month and the teams it was split among. */
  public record SharedAgent(String agent, Money pool, List<String> teams) {}

  /** One team's part of one shared agent. */
  public record Allocated(String agent, String team, long usage, BigDecimal sharePct, Money amount) {}

  /**
   * The statement; {@code total} is the sum of the team lines and equals {@code ledgerTotal} (the
   * sum of every input row).
   */
  public record Statement(List<TeamLine> teams, List<CostCenterLine> costCenters, List<SharedAgent> sharedAgents,
      List<Allocated> allocations, Money ledgerTotal, Money total, Basis basis) {

    public boolean reconciles() {
      return total.equals(ledgerTotal);
    }
  }

  /** The statement for {@code from <= started_at < to}, from the ledger's sums per team and agent. */
  public static Statement fromLedger(UsageQuery ledger, Instant from, Instant to, ZoneId zone,
      Map<String, String> costCenters, Basis basis) {
    List<Usage> lines = new ArrayList<>();
    for (UsageAggregate a : ledger.aggregate(new UsageFilter(from, to, Map.of(), List.of("team", "agent"), null, zone))) {
      lines.add(new Usage(a.group().get("team"), a.group().get("agent"), a.requests(), a.inputTokens() + a.outputTokens(),
          a.cost()));
    }
    return build(lines, costCenters, basis);
  }

  /**
   * The statement as CSV: {@code month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests},
   * one line per team ("(unattributed)" for rows naming no team), then a TOTAL line; amounts are
   * exact decimals of USD.
   */
  public static String csv(Statement s, String month) {
    StringBuilder sb = new StringBuilder("month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests\n");
    long requests = 0;
    Money direct = Money.ZERO;
    Money shared = Money.ZERO;
    for (TeamLine t : s.teams()) {
      sb.append(month).append(',').append(csvField(t.costCenter())).append(',')
          .append(csvField(t.team() == null ? "(unattributed)" : t.team())).append(',')
          .append(t.direct().toUsdString()).append(',').append(t.shared().toUsdString()).append(',')
          .append(t.total().toUsdString()).append(',').append(t.requests()).append('\n');
      requests += t.requests();
      direct = direct.plus(t.direct());
      shared = shared.plus(t.shared());
    }
    sb.append(month).append(",,TOTAL,").append(direct.toUsdString()).append(',').append(shared.toUsdString()).append(',')
        .append(s.total().toUsdString()).append(',').append(requests).append('\n');
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
   * @param costCenters team → cost center for the teams the config knows (their lines appear even
   *     when they spent nothing); teams missing here have no cost center
   */
  public static Statement build(Collection<Usage> usage, Map<String, String> costCenters, Basis basis) {
    Comparator<String> byName = Comparator.nullsLast(Comparator.naturalOrder());
    Map<String, TreeSet<String>> teamsOfAgent = new TreeMap<>();
    for (Usage u : usage) {
      if (u.agent() != null && u.team() != null) teamsOfAgent.computeIfAbsent(u.agent(), a -> new TreeSet<>()).add(u.team());
    }
    Map<String, long[]> perTeam = new TreeMap<>(byName); // direct, shared, requests
    costCenters.keySet().forEach(t -> perTeam.put(t, new long[3]));
    Map<String, long[]> pools = new TreeMap<>(); // agent → pool
    Map<String, Map<String, Long>> useOfAgent = new TreeMap<>(); // agent → team → usage
    long ledger = 0;
    for (Usage u : usage) {
      ledger = Math.addExact(ledger, u.cost().nanos());
      long[] line = perTeam.computeIfAbsent(u.team(), t -> new long[3]);
      line[2] += u.requests();
      boolean shared = u.agent() != null && teamsOfAgent.getOrDefault(u.agent(), new TreeSet<>()).size() >= 2;
      if (!shared) {
        line[0] = Math.addExact(line[0], u.cost().nanos());
        continue;
      }
      pools.computeIfAbsent(u.agent(), a -> new long[1])[0] += u.cost().nanos();
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
    for (var pool : pools.entrySet()) {
      String agent = pool.getKey();
      List<String> teams = new ArrayList<>(useOfAgent.get(agent).keySet());
      long[] weights = teams.stream().mapToLong(t -> useOfAgent.get(agent).get(t)).toArray();
      long[] parts = Allocation.largestRemainder(pool.getValue()[0], weights);
      long used = 0;
      for (long w : weights) used += w;
      for (int i = 0; i < teams.size(); i++) {
        perTeam.get(teams.get(i))[1] += parts[i];
        allocations.add(new Allocated(agent, teams.get(i), weights[i], Rankings.percent(weights[i], used),
            Money.ofNanos(parts[i])));
      }
      sharedAgents.add(new SharedAgent(agent, Money.ofNanos(pool.getValue()[0]), List.copyOf(teams)));
    }

    List<TeamLine> lines = new ArrayList<>();
    Map<String, long[]> centers = new TreeMap<>(byName);
    Map<String, List<String>> centerTeams = new LinkedHashMap<>();
    long total = 0;
    for (var e : perTeam.entrySet()) {
      long[] v = e.getValue();
      long teamTotal = Math.addExact(v[0], v[1]);
      total = Math.addExact(total, teamTotal);
      String center = e.getKey() == null ? null : costCenters.get(e.getKey());
      lines.add(new TeamLine(e.getKey(), center, Money.ofNanos(v[0]), Money.ofNanos(v[1]), Money.ofNanos(teamTotal), v[2]));
      centers.computeIfAbsent(center, c -> new long[1])[0] += teamTotal;
      centerTeams.computeIfAbsent(center, c -> new ArrayList<>()).add(e.getKey());
    }
    List<CostCenterLine> centerLines = new ArrayList<>();
    centers.forEach((c, v) -> centerLines.add(new CostCenterLine(c, Money.ofNanos(v[0]), centerTeams.get(c))));
    Statement s = new Statement(List.copyOf(lines), List.copyOf(centerLines), List.copyOf(sharedAgents),
        List.copyOf(allocations), Money.ofNanos(ledger), Money.ofNanos(total), Objects.requireNonNull(basis));
    if (!s.reconciles()) throw new IllegalStateException("chargeback does not reconcile: " + s.total() + " vs " + s.ledgerTotal());
    return s;
  }
}
