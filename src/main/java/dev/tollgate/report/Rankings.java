package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Top-N and month-over-month growth over one dimension. Every answer carries its remainder ("all
 * others") and total, so what is shown always adds up to the ledger, to the nano-dollar.
 */
public final class Rankings {

  private Rankings() {}

  /** What to rank by. */
  public enum Metric {
    COST, REQUESTS, TOKENS;

    /** @throws IllegalArgumentException naming the allowed values */
    public static Metric fromWire(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'metric' must be one of cost, requests, tokens; got '" + s + "'");
      }
    }
  }

  /** One value of the dimension (null: rows that do not name one) and its sums. */
  public record Line(String value, long requests, long inputTokens, long outputTokens, Money cost) {

    public static final Line ZERO = new Line(null, 0, 0, 0, Money.ZERO);

    public static Line of(UsageAggregate a, String dimension) {
      return new Line(a.group().get(dimension), a.requests(), a.inputTokens(), a.outputTokens(), a.cost());
    }

    public long tokens() {
      return inputTokens + outputTokens;
    }

    Line plus(Line o) {
      return new Line(value, requests + o.requests, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
          cost.plus(o.cost));
    }

    Line named(String v) {
      return new Line(v, requests, inputTokens, outputTokens, cost);
    }

    long measure(Metric m) {
      return switch (m) {
        case COST -> cost.nanos();
        case REQUESTS -> requests;
        case TOKENS -> tokens();
      };
    }
  }

  /** The first {@code n} lines, the rest summed in {@code others}, and the total of all. */
  public record Top(List<Line> rows, Line others, int othersCount, Line total) {}

  /** A value's spend this period against the period before. */
  public record Growth(String value, Money current, Money previous, Money change, BigDecimal changePct,
      long currentRequests, long previousRequests) {}

  /** Sums lines per value: an aggregation grouped by more than the dimension collapses onto it. */
  public static List<Line> merge(List<Line> lines) {
    Map<String, Line> byValue = new HashMap<>();
    Set<String> order = new LinkedHashSet<>();
    for (Line l : lines) {
      order.add(l.value());
      byValue.merge(l.value(), l, Line::plus);
    }
    return order.stream().map(byValue::get).toList();
  }

  /**
   * The {@code n} largest values by {@code metric} (ties by value name; the "none" value last).
   *
   * @throws IllegalArgumentException if n is below 1
   */
  public static Top top(List<Line> lines, int n, Metric metric) {
    if (n < 1) throw new IllegalArgumentException("'n' must be at least 1");
    List<Line> sorted = new ArrayList<>(merge(lines));
    sorted.sort(Comparator.comparingLong((Line l) -> l.measure(metric)).reversed()
        .thenComparing(Line::value, Comparator.nullsLast(Comparator.naturalOrder())));
    Line total = Line.ZERO;
    for (Line l : sorted) total = total.plus(l);
    List<Line> shown = sorted.subList(0, Math.min(n, sorted.size()));
    Line others = Line.ZERO;
    for (Line l : sorted.subList(shown.size(), sorted.size())) others = others.plus(l);
    return new Top(List.copyOf(shown), others.named(null), sorted.size() - shown.size(), total.named(null));
  }

  /** Every value seen in either period, largest increase first (ties by value name). */
  public static List<Growth> growth(List<Line> current, List<Line> previous) {
    Map<String, Line> now = new HashMap<>();
    Map<String, Line> before = new HashMap<>();
    Set<String> values = new LinkedHashSet<>();
    for (Line l : merge(current)) {
      now.put(l.value(), l);
      values.add(l.value());
    }
    for (Line l : merge(previous)) {
      before.put(l.value(), l);
      values.add(l.value());
    }
    List<Growth> out = new ArrayList<>();
    for (String v : values) {
      Line c = now.getOrDefault(v, Line.ZERO);
      Line p = before.getOrDefault(v, Line.ZERO);
      Money change = c.cost().minus(p.cost());
      out.add(new Growth(v, c.cost(), p.cost(), change, percent(change.nanos(), p.cost().nanos()), c.requests(),
          p.requests()));
    }
    out.sort(Comparator.comparingLong((Growth g) -> g.change().nanos()).reversed()
        .thenComparing(Growth::value, Comparator.nullsLast(Comparator.naturalOrder())));
    return out;
  }

  /** {@code part / whole × 100} to two decimals (half-even), or null when {@code whole} is zero. */
  public static BigDecimal percent(long part, long whole) {
    if (whole == 0) return null;
    return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(whole), 2,
        RoundingMode.HALF_EVEN);
  }
}
