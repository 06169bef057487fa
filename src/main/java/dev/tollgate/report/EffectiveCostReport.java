package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * List and effective cost side by side, grouped by attribution, provider, model or contract, with each
 * contract's month laid out (included usage, discount, commitment drawdown, overage, shortfall).
 *
 * <p>Reconciliation, all to the nano-dollar: Σ groups' list = the ledger total; Σ groups' effective =
 * the effective total = Σ contract months' effective + the list cost of usage under no contract; Σ groups'
 * shortfall + the unallocated shortfall (months a contract had no usage) = Σ contract months' shortfall.
 * Effective cost and shortfall reach the groups through each contract month's largest-remainder split by
 * list cost (tokens for self-hosted), i.e. by usage share.
 */
public final class EffectiveCostReport {

  /** One group: its key values (in group_by order), list and effective cost, its share of shortfall, tokens. */
  public record Group(List<String> key, Money list, Money effective, Money shortfall, long tokens) {

    /** What the contracts saved this group (negative when it paid more than list). */
    public Money savings() {
      return list.minus(effective);
    }
  }

  /** The report; {@code reconciles} checks the identities above. */
  public record Report(List<String> groupBy, List<Group> groups, List<ContractedCosts.Period> contracts, Money list,
      Money effective, Money shortfall, Money unallocatedShortfall, boolean reconciles) {

    /** What is owed: the usage's effective cost and every shortfall. */
    public Money payable() {
      return effective.plus(shortfall);
    }
  }

  private EffectiveCostReport() {}

  public static Report build(ContractedCosts.Applied applied, List<String> groupBy) {
    List<Group> groups = new ArrayList<>();
    long list = 0;
    long effective = 0;
    long shortfall = 0;
    for (Map.Entry<List<String>, long[]> e : ContractedCosts.group(applied, groupBy).entrySet()) {
      long[] v = e.getValue();
      groups.add(new Group(e.getKey(), Money.ofNanos(v[0]), Money.ofNanos(v[1]), Money.ofNanos(v[2]), v[3]));
      list = Math.addExact(list, v[0]);
      effective = Math.addExact(effective, v[1]);
      shortfall = Math.addExact(shortfall, v[2]);
    }
    long periodsEffective = 0;
    long periodsShortfall = 0;
    for (ContractedCosts.Period p : applied.periods()) {
      periodsEffective = Math.addExact(periodsEffective, p.result().effectiveNanos());
      periodsShortfall = Math.addExact(periodsShortfall, p.result().shortfallNanos());
    }
    long uncontracted = applied.lines().stream().filter(l -> l.contract() == null).mapToLong(ContractedCosts.Line::listNanos)
        .reduce(0, Math::addExact);
    long totalShortfall = Math.addExact(shortfall, applied.unallocatedShortfallNanos());
    boolean reconciles = list == applied.listNanos() && effective == applied.effectiveNanos()
        && effective == Math.addExact(periodsEffective, uncontracted) && totalShortfall == periodsShortfall;
    return new Report(List.copyOf(groupBy), List.copyOf(groups), applied.periods(), Money.ofNanos(list),
        Money.ofNanos(effective), Money.ofNanos(totalShortfall), Money.ofNanos(applied.unallocatedShortfallNanos()), reconciles);
  }

  /**
   * The groups as CSV: the group_by columns, then {@code list_usd,effective_usd,savings_usd,
   * commitment_shortfall_usd,tokens}; a line for shortfall no group carries, then a TOTAL line.
   */
  public static String csv(Report r) {
    StringBuilder sb = new StringBuilder();
    for (String g : r.groupBy()) sb.append(g).append(',');
    sb.append("list_usd,effective_usd,savings_usd,commitment_shortfall_usd,tokens\n");
    long tokens = 0;
    for (Group g : r.groups()) {
      for (String k : g.key()) sb.append(field(k)).append(',');
      sb.append(g.list().toUsdString()).append(',').append(g.effective().toUsdString()).append(',')
          .append(g.savings().toUsdString()).append(',').append(g.shortfall().toUsdString()).append(',').append(g.tokens())
          .append('\n');
      tokens += g.tokens();
    }
    if (!r.unallocatedShortfall().isZero()) {
      sb.append("(contracts without usage)").append(",".repeat(r.groupBy().size())).append("0,0,0,")
          .append(r.unallocatedShortfall().toUsdString()).append(",0\n");
    }
    sb.append("TOTAL").append(",".repeat(r.groupBy().size())).append(r.list().toUsdString()).append(',')
        .append(r.effective().toUsdString()).append(',').append(r.list().minus(r.effective()).toUsdString()).append(',')
        .append(r.shortfall().toUsdString()).append(',').append(tokens).append('\n');
    return sb.toString();
  }

  private static String field(String v) {
    if (v == null) return "";
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
