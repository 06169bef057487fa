package dev.tollgate.domain.contract;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.List;

/**
 * What usage at list price really costs under a {@link Contract}, for one calendar month (or the
 * part of it a report covers), in whole nano-dollars.
 *
 * <p>Negotiated terms are applied in this order, each step to what the previous one left:
 * <ol>
 *   <li><b>Included usage</b>: the month's free allowance comes off first — list cost up to
 *       {@code includedNanos}, or the list cost of the first {@code includedTokens} tokens (the
 *       month's tokens are priced at their average rate: list × min(tokens, allowance) / tokens).</li>
 *   <li><b>Discount and commitment drawdown</b>: the rest costs list × (1 − discount) and is drawn
 *       from the month's commitment.</li>
 *   <li><b>Overage</b>: once the commitment is used up, the list cost it did not cover — beyond
 *       commitment ÷ (1 − discount) — costs list × (1 − overage discount).</li>
 * </ol>
 * A commitment not used up is a <b>shortfall</b>: owed anyway, shown apart from the usage's cost.
 * Without a commitment, all chargeable usage is at the discounted rate. Allowances and commitments
 * are prorated to the days covered ({@code amount × days / days in month}, rounded down), so a
 * report of half a month compares half the commitment with half a month's use.
 *
 * <p>Self-hosted terms: the infrastructure costs {@code hourly × 24 × days}. With a stated throughput
 * the usage costs tokens × hourly / tokensPerHour and the idle remainder is the shortfall; measured
 * (no throughput stated), the whole infrastructure cost is spread over the month's tokens.
 *
 * <p>Each amount is rounded once to the nano-dollar (half-even); the parts then add up exactly:
 * {@code list = included + discount + effective}, with {@code discount} negative when the usage costs
 * more than list (a self-hosted model dearer than its list price). Splitting the amounts over teams
 * or rows is the reports' job ({@link #allocationWeights}).
 */
public final class EffectiveCost {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** One line of usage: its cost at list price and its tokens. */
  public record Line(long listNanos, long tokens) {}

  /**
   * The month's outcome. {@code effectiveNanos} is what the usage cost; {@code shortfallNanos} what
   * was owed on top (unused commitment, idle infrastructure).
   */
  public record Result(long listNanos, long includedNanos, long discountNanos, long commitmentNanos, long drawdownNanos,
      long overageNanos, long shortfallNanos, long effectiveNanos) {

    /** The usage's cost plus what was owed anyway. */
    public long payableNanos() {
      return Math.addExact(effectiveNanos, shortfallNanos);
    }
  }

  private EffectiveCost() {}

  /**
   * @param daysCovered the days of {@code month} the lines are from and the contract is in force
   *     (1 to the month's length)
   */
  public static Result of(Contract.Terms terms, YearMonth month, int daysCovered, List<Line> lines) {
    if (daysCovered < 1 || daysCovered > month.lengthOfMonth()) {
      throw new IllegalArgumentException("days covered must be 1 to " + month.lengthOfMonth() + ", got " + daysCovered);
    }
    return switch (terms) {
      case Contract.Negotiated n -> negotiated(n, month, daysCovered, lines);
      case Contract.SelfHosted s -> selfHosted(s, daysCovered, lines);
    };
  }

  private static Result negotiated(Contract.Negotiated n, YearMonth month, int days, List<Line> lines) {
    long list = 0;
    long tokens = 0;
    for (Line l : lines) {
      list = Math.addExact(list, l.listNanos());
      tokens = Math.addExact(tokens, l.tokens());
    }
    long commitment = prorate(n.commitmentNanos(), days, month.lengthOfMonth());
    long included;
    if (n.includedTokens() > 0) {
      long freeTokens = Math.min(tokens, prorate(n.includedTokens(), days, month.lengthOfMonth()));
      included = tokens == 0 ? 0 : big(list).multiply(big(freeTokens)).divide(big(tokens)).longValueExact();
    } else {
      included = Math.min(list, prorate(n.includedNanos(), days, month.lengthOfMonth()));
    }
    long chargeable = list - included;
    long discounted = times(chargeable, keep(n.discountPercent()));
    long drawdown = 0;
    long overage = 0;
    long effective;
    if (commitment == 0) {
      effective = discounted;
    } else if (discounted <= commitment) {
      drawdown = discounted;
      effective = discounted;
    } else {
      drawdown = commitment;
      BigDecimal keep = keep(n.discountPercent()); // > 0 here: a 100 % discount never exceeds a commitment
      long coveredList = BigDecimal.valueOf(commitment).divide(keep, 0, RoundingMode.FLOOR).longValueExact();
      overage = times(Math.max(0, chargeable - coveredList), keep(n.overagePercent()));
      effective = Math.addExact(commitment, overage);
    }
    long shortfall = commitment - drawdown;
    return new Result(list, included, list - included - effective, commitment, drawdown, overage, shortfall, effective);
  }

  private static Result selfHosted(Contract.SelfHosted s, int days, List<Line> lines) {
    long list = 0;
    long tokens = 0;
    for (Line l : lines) {
      list = Math.addExact(list, l.listNanos());
      tokens = Math.addExact(tokens, l.tokens());
    }
    long infrastructure = Math.multiplyExact(s.hourlyNanos(), 24L * days);
    long effective;
    if (s.tokensPerHour() == null) {
      effective = tokens == 0 ? 0 : infrastructure;
    } else {
      effective = new BigDecimal(big(tokens).multiply(big(s.hourlyNanos())))
          .divide(BigDecimal.valueOf(s.tokensPerHour()), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
    long shortfall = Math.max(0, infrastructure - effective);
    return new Result(list, 0, list - effective, 0, 0, 0, shortfall, effective);
  }

  /** The price of one million tokens under self-hosted terms, in USD, for {@code tokens} used in {@code days}. */
  public static BigDecimal selfHostedUsdPerMillionTokens(Contract.SelfHosted s, int days, long tokens) {
    if (s.tokensPerHour() != null) {
      return BigDecimal.valueOf(s.hourlyNanos()).multiply(BigDecimal.valueOf(1_000_000))
          .divide(BigDecimal.valueOf(s.tokensPerHour()), 9, RoundingMode.HALF_EVEN).movePointLeft(9).stripTrailingZeros();
    }
    if (tokens == 0) return null;
    return BigDecimal.valueOf(Math.multiplyExact(s.hourlyNanos(), 24L * days)).multiply(BigDecimal.valueOf(1_000_000))
        .divide(BigDecimal.valueOf(tokens), 9, RoundingMode.HALF_EVEN).movePointLeft(9).stripTrailingZeros();
  }

  /** The fraction of list kept after a discount: (100 − percent) / 100, exact. */
  static BigDecimal keep(BigDecimal discountPercent) {
    return HUNDRED.subtract(discountPercent).divide(HUNDRED);
  }

  private static long times(long nanos, BigDecimal factor) {
    return BigDecimal.valueOf(nanos).multiply(factor).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  private static long prorate(long amount, int days, int monthDays) {
    if (days == monthDays) return amount;
    return big(amount).multiply(big(days)).divide(big(monthDays)).longValueExact();
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  /**
   * What the month's effective cost and shortfall are shared out by: each line's list cost under
   * negotiated terms (the discount follows the spend), its tokens when self-hosted (infrastructure is
   * paid for throughput, and list prices of a self-hosted model are often zero).
   */
  public static long[] allocationWeights(Contract.Terms terms, List<Line> lines) {
    return switch (terms) {
      case Contract.Negotiated n -> lines.stream().mapToLong(Line::listNanos).toArray();
      case Contract.SelfHosted s -> lines.stream().mapToLong(Line::tokens).toArray();
    };
  }
}
