package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * "A cheaper model was allowed": what a period would have cost had each request gone to the cheapest
 * model its workload class allows ({@link CheapestAllowed}, for that request's own tokens), set beside
 * what it cost, for any grouping of the ledger.
 *
 * <p>Each row gets one counterfactual cost, whatever the grouping: a request answered upstream with a
 * class is priced on its cheapest allowed model; every other row (no class, a class no longer
 * configured, a cache hit, a refusal, an error) keeps its actual cost, so its difference is zero.
 * Groups are sums of rows and the total is the sum of the groups, so every breakdown adds up to the
 * total — and the actual total to the ledger — to the nano-dollar.
 */
public final class Counterfactual {

  /** The ledger dimensions the report groups and filters by. */
  public enum Dimension {
    TEAM, WORKFLOW, AGENT, USER, KEY, MODEL, REQUESTED_MODEL, PROVIDER, WORKLOAD_CLASS, TEMPLATE;

    public static Dimension fromWire(String s) {
      String name = s.trim().toLowerCase(Locale.ROOT);
      if (name.equals("class")) return WORKLOAD_CLASS;
      for (Dimension d : values()) if (d.wire().equals(name)) return d;
      throw new IllegalArgumentException("unknown dimension '" + s + "'; use one of " + Arrays.stream(values()).map(Dimension::wire).toList());
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The row's value; {@code model} is the configured model that served it (its provider id when no longer configured). */
    String of(LedgerFacts r, PriceBook prices) {
      return switch (this) {
        case TEAM -> r.team();
        case WORKFLOW -> r.workflow();
        case AGENT -> r.agent();
        case USER -> r.user();
        case KEY -> r.key();
        case MODEL -> r.servedModel() == null ? null : prices.servedModelName(r).orElse(r.servedModel());
        case REQUESTED_MODEL -> r.requestedModel();
        case PROVIDER -> r.provider();
        case WORKLOAD_CLASS -> r.workloadClass();
        case TEMPLATE -> r.template();
      };
    }
  }

  /**
   * One group's sums.
   *
   * @param repriced requests priced on another allowed model (the rest keep their cost)
   * @param cheapestModels how many repriced requests each cheapest model took
   */
  public record Line(List<String> group, long requests, long repriced, Money actual, Money counterfactual,
      Map<String, Long> cheapestModels) {

    /** What the group would have saved (negative when the allowed models cost more than what served it). */
    public Money difference() {
      return actual.minus(counterfactual);
    }
  }

  /**
   * @param ledger the sum of the rows' cost, read independently of the lines
   * @param unpriced requests with a class whose allowed models are none of them priced, kept at cost
   */
  public record Report(List<Dimension> groupBy, List<Line> lines, Line total, Money ledger, long unpriced) {

    public boolean reconciles() {
      Money actual = Money.ZERO;
      Money counterfactual = Money.ZERO;
      for (Line l : lines) {
        actual = actual.plus(l.actual());
        counterfactual = counterfactual.plus(l.counterfactual());
      }
      return actual.equals(total.actual()) && counterfactual.equals(total.counterfactual()) && ledger.equals(total.actual());
    }
  }

  private Counterfactual() {}

  /** A row's value of a dimension, as the report groups it. */
  public static String value(Dimension d, LedgerFacts r, PriceBook prices) {
    return d.of(r, prices);
  }

  /** The report over {@code rows}, grouped by {@code groupBy} (empty: one line), largest difference first. */
  public static Report of(List<LedgerFacts> rows, PriceBook prices, List<Dimension> groupBy) {
    Map<List<String>, Sums> groups = new LinkedHashMap<>();
    Sums total = new Sums();
    Money ledger = Money.ZERO;
    long unpriced = 0;
    for (LedgerFacts r : rows) {
      ledger = ledger.plus(r.cost());
      Money counterfactual = r.cost();
      String model = null;
      if (r.servedUpstream() && r.workloadClass() != null && prices.allowedByClass().containsKey(r.workloadClass())) {
        var choice = CheapestAllowed.of(prices, r.workloadClass(), CheapestAllowed.privateOnly(r, prices), List.of(r.usage()));
        if (choice.isPresent()) {
          counterfactual = choice.get().cost();
          model = choice.get().model();
        } else {
          unpriced++;
        }
      }
      List<String> key = new ArrayList<>(groupBy.size());
      for (Dimension d : groupBy) key.add(d.of(r, prices));
      groups.computeIfAbsent(key, k -> new Sums()).add(r.cost(), counterfactual, model);
      total.add(r.cost(), counterfactual, model);
    }
    List<Line> lines = new ArrayList<>();
    groups.forEach((k, s) -> lines.add(s.line(k)));
    lines.sort(Comparator.comparing(Line::difference).reversed().thenComparing(l -> String.valueOf(l.group())));
    return new Report(List.copyOf(groupBy), lines, total.line(List.of()), ledger, unpriced);
  }

  private static final class Sums {
    long requests;
    long repriced;
    Money actual = Money.ZERO;
    Money counterfactual = Money.ZERO;
    final Map<String, Long> models = new TreeMap<>();

    void add(Money cost, Money alternative, String model) {
      requests++;
      actual = actual.plus(cost);
      counterfactual = counterfactual.plus(alternative);
      if (model != null) {
        repriced++;
        models.merge(model, 1L, Long::sum);
      }
    }

    Line line(List<String> group) {
      return new Line(java.util.Collections.unmodifiableList(new ArrayList<>(group)), requests, repriced, actual, counterfactual,
          java.util.Collections.unmodifiableMap(new TreeMap<>(models)));
    }
  }
}
