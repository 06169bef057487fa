package dev.tollgate.report;

import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.contract.EffectiveCost;
import dev.tollgate.report.focus.FocusUsageSource;
import dev.tollgate.report.focus.ModelPricing;
import dev.tollgate.report.focus.SkuUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies contracts to the ledger: each usage line gets the contract in force for its provider account,
 * model and day, each contract's months are priced by {@link EffectiveCost}, and the month's effective
 * cost and shortfall are shared out over its lines by {@link Allocation#largestRemainder largest
 * remainder} — so Σ lines' effective cost = Σ months' effective cost, to the nano-dollar. Lines under
 * no contract cost their list price (the ledger's cost).
 *
 * <p>A model-specific contract wins over a provider-wide one; the config refuses two contracts of the
 * same scope in force on the same day.
 */
public final class ContractedCosts {

  /**
   * One usage line priced: provider account and model as the price list resolved them (null when the
   * model has no price), its contract (null for none), list cost (the ledger's), effective cost, and its
   * share of the month's shortfall.
   */
  public record Line(SkuUsage usage, String provider, String model, Contract contract, long listNanos, long effectiveNanos,
      long shortfallNanos) {}

  /**
   * One contract for one month of the range: the days it covered, the outcome, and for self-hosted terms
   * the effective price per million tokens (null when no token was served under measured throughput).
   */
  public record Period(Contract contract, YearMonth month, int days, long tokens, EffectiveCost.Result result,
      BigDecimal selfHostedUsdPerMillionTokens) {}

  /**
   * Everything applied. {@code unallocatedShortfallNanos} is shortfall of months in which a contract had
   * no usage at all, so no line could carry it.
   */
  public record Applied(List<Line> lines, List<Period> periods, long unallocatedShortfallNanos) {

    public long listNanos() {
      return lines.stream().mapToLong(Line::listNanos).reduce(0, Math::addExact);
    }

    public long effectiveNanos() {
      return lines.stream().mapToLong(Line::effectiveNanos).reduce(0, Math::addExact);
    }

    /** Shortfall carried by the lines plus the unallocated rest: every contract's shortfall. */
    public long shortfallNanos() {
      return Math.addExact(lines.stream().mapToLong(Line::shortfallNanos).reduce(0, Math::addExact), unallocatedShortfallNanos);
    }
  }

  private ContractedCosts() {}

  /**
   * @param firstDay the range's first UTC day
   * @param endDay the UTC day after its last
   */
  public static Applied apply(List<SkuUsage> usage, ModelPricing pricing, List<Contract> contracts, LocalDate firstDay,
      LocalDate endDay) {
    List<String> providers = new ArrayList<>();
    List<String> models = new ArrayList<>();
    List<Contract> chosen = new ArrayList<>();
    for (SkuUsage u : usage) {
      var resolved = pricing.resolve(u.requestedModel(), u.servedModel(), u.provider());
      String provider = resolved.map(ModelPricing.Priced::account).orElse(u.provider());
      String model = resolved.map(ModelPricing.Priced::model)
          .orElse(u.servedModel() != null ? u.servedModel() : u.requestedModel());
      providers.add(provider);
      models.add(model);
      chosen.add(contractFor(contracts, provider, model, u.day()));
    }
    long[] effective = new long[usage.size()];
    long[] shortfall = new long[usage.size()];
    for (int i = 0; i < usage.size(); i++) {
      if (chosen.get(i) == null) effective[i] = usage.get(i).costNanos();
    }

    List<Period> periods = new ArrayList<>();
    long unallocated = 0;
    for (Contract c : contracts) {
      for (YearMonth month = YearMonth.from(firstDay); !month.atDay(1).isAfter(endDay.minusDays(1)); month = month.plusMonths(1)) {
        int days = daysCovered(c, month, firstDay, endDay);
        if (days == 0) continue;
        List<Integer> members = new ArrayList<>();
        List<EffectiveCost.Line> lines = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < usage.size(); i++) {
          if (chosen.get(i) != c || !YearMonth.from(usage.get(i).day()).equals(month)) continue;
          SkuUsage u = usage.get(i);
          long t = tokens(u);
          members.add(i);
          lines.add(new EffectiveCost.Line(u.costNanos(), t));
          tokens = Math.addExact(tokens, t);
        }
        EffectiveCost.Result r = EffectiveCost.of(c.terms(), month, days, lines);
        BigDecimal perMillion = c.terms() instanceof Contract.SelfHosted s
            ? EffectiveCost.selfHostedUsdPerMillionTokens(s, days, tokens) : null;
        periods.add(new Period(c, month, days, tokens, r, perMillion));
        if (members.isEmpty()) {
          unallocated = Math.addExact(unallocated, r.shortfallNanos());
          continue;
        }
        long[] weights = EffectiveCost.allocationWeights(c.terms(), lines);
        long[] e = Allocation.largestRemainder(r.effectiveNanos(), weights);
        long[] s = Allocation.largestRemainder(r.shortfallNanos(), weights);
        for (int k = 0; k < members.size(); k++) {
          effective[members.get(k)] = e[k];
          shortfall[members.get(k)] = s[k];
        }
      }
    }
    List<Line> out = new ArrayList<>(usage.size());
    for (int i = 0; i < usage.size(); i++) {
      out.add(new Line(usage.get(i), providers.get(i), models.get(i), chosen.get(i), usage.get(i).costNanos(), effective[i],
          shortfall[i]));
    }
    return new Applied(List.copyOf(out), List.copyOf(periods), unallocated);
  }

  /**
   * The ledger's usage with {@code from <= started_at < to}, priced under {@code contracts}: what the
   * effective-cost report and the chargeback statement both read, so their effective totals agree.
   *
   * <p>Contract months are UTC calendar months and the ledger is summed per UTC day. When both bounds
   * are UTC midnights (the effective-cost report's days; a month of an org in UTC) this is exactly
   * those days. Otherwise (a month in another time zone) the period owns the UTC days whose midnight
   * falls inside it, so consecutive periods share out every day of a commitment exactly once, and
   * the few hours of usage on a UTC day the period only partly covers are priced on its nearest own
   * day.
   */
  public static Applied ofLedger(FocusUsageSource source, ModelPricing pricing, List<Contract> contracts, Instant from,
      Instant to) {
    LocalDate first = dayFrom(from);
    LocalDate end = dayFrom(to);
    if (!first.isBefore(end)) { // under a day, with no UTC midnight inside: the day it is in
      first = LocalDate.ofInstant(from, ZoneOffset.UTC);
      end = first.plusDays(1);
    }
    List<SkuUsage> usage = new ArrayList<>();
    for (SkuUsage u : source.usage(from, to, pricing.thresholds())) {
      if (u.day().isBefore(first)) u = u.withDay(first);
      else if (!u.day().isBefore(end)) u = u.withDay(end.minusDays(1));
      usage.add(u);
    }
    return apply(usage, pricing, contracts, first, end);
  }

  /** The first UTC day starting at or after {@code t}. */
  private static LocalDate dayFrom(Instant t) {
    LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(t) ? day : day.plusDays(1);
  }

  /** The contract in force for a provider account's model on a day: model-specific first, then provider-wide. */
  public static Contract contractFor(List<Contract> contracts, String provider, String model, LocalDate day) {
    Contract wide = null;
    for (Contract c : contracts) {
      if (!c.coversDay(day) || !c.covers(provider, model)) continue;
      if (c.model() != null) return c;
      if (wide == null) wide = c;
    }
    return wide;
  }

  /** The tokens a line holds, every kind counted once. */
  static long tokens(SkuUsage u) {
    return Math.addExact(Math.addExact(Math.addExact(u.uncachedInputTokens(), u.cacheReadTokens()),
        Math.addExact(u.cacheWriteTokens(), u.plainOutputTokens())), u.reasoningTokens());
  }

  /** Days of {@code month} inside the range and the contract's validity. */
  static int daysCovered(Contract c, YearMonth month, LocalDate firstDay, LocalDate endDay) {
    LocalDate start = max(max(month.atDay(1), firstDay), c.validFrom());
    LocalDate end = month.plusMonths(1).atDay(1);
    if (endDay.isBefore(end)) end = endDay;
    if (c.validUntil() != null && c.validUntil().isBefore(end)) end = c.validUntil();
    return start.isBefore(end) ? (int) (end.toEpochDay() - start.toEpochDay()) : 0;
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  /** Groups lines by the named keys; kept small so the report handler only renders. */
  public static Map<List<String>, long[]> group(Applied applied, List<String> groupBy) {
    Map<List<String>, long[]> out = new LinkedHashMap<>();
    for (Line l : applied.lines()) {
      List<String> key = new ArrayList<>(groupBy.size());
      for (String g : groupBy) key.add(dimension(l, g));
      long[] sums = out.computeIfAbsent(key, k -> new long[4]); // list, effective, shortfall, tokens
      sums[0] = Math.addExact(sums[0], l.listNanos());
      sums[1] = Math.addExact(sums[1], l.effectiveNanos());
      sums[2] = Math.addExact(sums[2], l.shortfallNanos());
      sums[3] = Math.addExact(sums[3], tokens(l.usage()));
    }
    return out;
  }

  /** The dimensions a report can group by. */
  public static final List<String> DIMENSIONS = List.of("team", "project", "workflow", "agent", "workload_class", "provider",
      "model", "contract", "day", "month");

  static String dimension(Line l, String name) {
    SkuUsage u = l.usage();
    return switch (name) {
      case "team" -> u.team();
      case "project" -> u.project();
      case "workflow" -> u.workflow();
      case "agent" -> u.agent();
      case "workload_class" -> u.workloadClass();
      case "provider" -> l.provider();
      case "model" -> l.model();
      case "contract" -> l.contract() == null ? null : l.contract().name();
      case "day" -> u.day().toString();
      case "month" -> YearMonth.from(u.day()).toString();
      default -> throw new IllegalArgumentException("cannot group by '" + name + "'; allowed: " + String.join(", ", DIMENSIONS));
    };
  }
}
