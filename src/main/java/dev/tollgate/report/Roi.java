package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cost set against results: cost per outcome and return on investment per workflow, and a
 * before/after comparison of an initiative. Cost comes from the ledger, results from recorded
 * outcomes; amounts stay exact, ratios are rounded half-even (nine decimals for USD per unit, four
 * for ROI, two for percentages).
 */
public final class Roi {

  private static final int USD_SCALE = 9;

  private Roi() {}

  /** A workflow's ledger sums in the period (workflow null: rows naming none). */
  public record Cost(String workflow, long requests, long tokens, Money cost) {}

  /** One outcome type of a workflow; {@code costPerOutcome} is the workflow's whole cost over this type's count. */
  public record TypeLine(String type, long count, Money value, BigDecimal costPerOutcome) {}

  /**
   * One workflow. {@code roi} = (value − cost) / cost, null when the cost is zero;
   * {@code costPerOutcome} = cost / all outcomes counted, null when there are none.
   */
  public record Line(String workflow, Workflow registered, long requests, Money cost, List<TypeLine> outcomes,
      long outcomeCount, Money value, Money net, BigDecimal costPerOutcome, BigDecimal roi) {}

  public record Report(List<Line> lines, Money cost, Money value, Money net, BigDecimal roi) {}

  /** Per workflow seen in the ledger or in the outcomes, largest cost first. */
  public static Report build(List<Cost> costs, List<OutcomeStore.Total> outcomes, Map<String, Workflow> registry) {
    Map<String, Cost> byWorkflow = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>();
    for (Cost c : costs) {
      byWorkflow.merge(c.workflow(), c, (a, b) -> new Cost(a.workflow(), a.requests() + b.requests(),
          a.tokens() + b.tokens(), a.cost().plus(b.cost())));
      names.add(c.workflow());
    }
    Map<String, List<OutcomeStore.Total>> outcomesOf = new LinkedHashMap<>();
    for (OutcomeStore.Total t : outcomes) {
      outcomesOf.computeIfAbsent(t.group(), k -> new ArrayList<>()).add(t);
      names.add(t.group());
    }
    List<Line> lines = new ArrayList<>();
    Money totalCost = Money.ZERO;
    Money totalValue = Money.ZERO;
    for (String name : names) {
      Cost c = byWorkflow.getOrDefault(name, new Cost(name, 0, 0, Money.ZERO));
      List<TypeLine> types = new ArrayList<>();
      long count = 0;
      Money value = Money.ZERO;
      for (OutcomeStore.Total t : outcomesOf.getOrDefault(name, List.of())) {
        types.add(new TypeLine(t.type(), t.count(), t.value(), perUnit(c.cost(), t.count())));
        count += t.count();
        value = value.plus(t.value());
      }
      types.sort(Comparator.comparing(TypeLine::type));
      Money net = value.minus(c.cost());
      lines.add(new Line(name, name == null ? null : registry.get(name), c.requests(), c.cost(), List.copyOf(types), count,
          value, net, perUnit(c.cost(), count), ratio(net, c.cost())));
      totalCost = totalCost.plus(c.cost());
      totalValue = totalValue.plus(value);
    }
    lines.sort(Comparator.comparing((Line l) -> l.cost().nanos()).reversed()
        .thenComparing(Line::workflow, Comparator.nullsLast(Comparator.naturalOrder())));
    Money net = totalValue.minus(totalCost);
    return new Report(List.copyOf(lines), totalCost, totalValue, net, ratio(net, totalCost));
  }

  /** One period of an initiative's before/after comparison. */
  public record Period(Instant from, Instant to, long requests, long tokens, Money cost, long outcomes, Money value) {

    public BigDecimal days() {
      return BigDecimal.valueOf(Duration.between(from, to).toSeconds()).divide(BigDecimal.valueOf(86_400), 6,
          RoundingMode.HALF_EVEN);
    }

    public BigDecimal costPerDay() {
      return days().signum() == 0 ? null : cost.toUsd().divide(days(), USD_SCALE, RoundingMode.HALF_EVEN);
    }

    public BigDecimal costPerRequest() {
      return perUnit(cost, requests);
    }

    public BigDecimal costPerOutcome() {
      return perUnit(cost, outcomes);
    }

    public BigDecimal outcomesPerDay() {
      return days().signum() == 0 ? null : BigDecimal.valueOf(outcomes).divide(days(), 4, RoundingMode.HALF_EVEN);
    }
  }

  /** After against baseline, in percent of the baseline (null where the baseline is zero or unknown). */
  public record Comparison(Period baseline, Period after, BigDecimal costPerDayChangePct,
      BigDecimal costPerRequestChangePct, BigDecimal costPerOutcomeChangePct, BigDecimal outcomesPerDayChangePct) {}

  public static Comparison compare(Period baseline, Period after) {
    return new Comparison(baseline, after, change(baseline.costPerDay(), after.costPerDay()),
        change(baseline.costPerRequest(), after.costPerRequest()), change(baseline.costPerOutcome(), after.costPerOutcome()),
        change(baseline.outcomesPerDay(), after.outcomesPerDay()));
  }

  static BigDecimal perUnit(Money cost, long units) {
    if (units == 0) return null;
    return cost.toUsd().divide(BigDecimal.valueOf(units), USD_SCALE, RoundingMode.HALF_EVEN);
  }

  static BigDecimal ratio(Money part, Money whole) {
    if (whole.isZero()) return null;
    return part.toUsd().divide(whole.toUsd(), 4, RoundingMode.HALF_EVEN);
  }

  static BigDecimal change(BigDecimal before, BigDecimal after) {
    if (before == null || after == null || before.signum() == 0) return null;
    return after.subtract(before).multiply(BigDecimal.valueOf(100)).divide(before, 2, RoundingMode.HALF_EVEN);
  }
}
