package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway saved in a period, and what a workflow could still save, reconciled with the
 * ledger: {@code spent} is the sum of the rows' cost and {@code cacheSaved} the sum of their
 * {@code cost_saved}, to the nano-dollar.
 *
 * <ul>
 *   <li><b>cache</b>: response-cache hits and the cost they saved (as recorded on each hit);
 *   <li><b>routing</b>: calls the gateway routed away from the model asked for
 *       ({@code route_reason} {@code budget_downgrade} or {@code class_preferred}): the call's usage at
 *       the requested model's price minus what it cost; calls sent to a dearer model count as zero;
 *   <li><b>switching</b>: per workflow and workload class, its calls' usage priced on every model the
 *       class allows; the cheapest, and what the period would have cost on it. Calls without a class
 *       have no allowed set, so no counterfactual. Calls the guard bound to private models are priced
 *       on the class's private-tier models only ({@link CheapestAllowed}).
 * </ul>
 */
public final class Savings {

  static final Set<String> DOWNGRADES = Set.of("budget_downgrade", "class_preferred");

  public record Routing(String reason, long calls, Money saved) {}

  public record Switch(String workflow, String workloadClass, long calls, Money cost, String cheapestModel, Money costOnCheapest,
      Money saving) {}

  public record Report(long requests, Money spent, long cacheHits, Money cacheSaved, List<Routing> routing, Money routingSaved,
      List<Switch> switching, Money switchingSaving, long unpricedCalls) {}

  private Savings() {}

  public static Report of(List<LedgerFacts> rows, PriceBook prices) {
    Money spent = Money.ZERO;
    Money cacheSaved = Money.ZERO;
    long hits = 0;
    long unpriced = 0;
    Map<String, long[]> routingCalls = new LinkedHashMap<>();
    Map<String, Money> routingSaved = new LinkedHashMap<>();
    Map<String, List<LedgerFacts>> byWorkflow = new LinkedHashMap<>();
    for (LedgerFacts r : rows) {
      spent = spent.plus(r.cost());
      cacheSaved = cacheSaved.plus(r.costSaved());
      if (r.cacheHit()) hits++;
      if (!r.servedUpstream()) continue;
      if (r.routeReason() != null && DOWNGRADES.contains(r.routeReason())) {
        var asked = prices.cost(r.requestedModel(), r.usage());
        if (asked.isEmpty()) {
          unpriced++;
        } else {
          Money diff = asked.get().minus(r.cost());
          routingCalls.computeIfAbsent(r.routeReason(), k -> new long[1])[0]++;
          routingSaved.merge(r.routeReason(), diff.nanos() > 0 ? diff : Money.ZERO, Money::plus);
        }
      }
      if (r.workloadClass() != null && prices.allowedByClass().containsKey(r.workloadClass())) {
        String group = (r.workflow() == null ? "" : r.workflow()) + "\u0000" + r.workloadClass() + "\u0000"
            + CheapestAllowed.privateOnly(r, prices);
        byWorkflow.computeIfAbsent(group, k -> new ArrayList<>()).add(r);
      }
    }
    List<Routing> routing = new ArrayList<>();
    Money routed = Money.ZERO;
    for (var e : routingCalls.entrySet()) {
      Money saved = routingSaved.get(e.getKey());
      routing.add(new Routing(e.getKey(), e.getValue()[0], saved));
      routed = routed.plus(saved);
    }
    List<Switch> switching = new ArrayList<>();
    Money switchTotal = Money.ZERO;
    for (List<LedgerFacts> calls : byWorkflow.values()) {
      Switch s = cheapest(calls, prices);
      if (s == null) continue;
      switching.add(s);
      switchTotal = switchTotal.plus(s.saving());
    }
    switching.sort(Comparator.comparing(Switch::saving).reversed().thenComparing(s -> s.workflow() == null ? "" : s.workflow()));
    return new Report(rows.size(), spent, hits, cacheSaved, routing, routed, switching, switchTotal, unpriced);
  }

  /** The cheapest allowed model for these calls (same workflow and class), or null when none is priced. */
  private static Switch cheapest(List<LedgerFacts> calls, PriceBook prices) {
    LedgerFacts first = calls.get(0);
    Money cost = Money.ZERO;
    for (LedgerFacts r : calls) cost = cost.plus(r.cost());
    var choice = CheapestAllowed.of(prices, first.workloadClass(), CheapestAllowed.privateOnly(first, prices),
        calls.stream().map(LedgerFacts::usage).toList());
    if (choice.isEmpty()) return null;
    String best = choice.get().model();
    Money bestCost = choice.get().cost();
    Money saving = cost.minus(bestCost);
    return new Switch(first.workflow(), first.workloadClass(), calls.size(), cost, best, bestCost,
        saving.nanos() > 0 ? saving : Money.ZERO);
  }
}
