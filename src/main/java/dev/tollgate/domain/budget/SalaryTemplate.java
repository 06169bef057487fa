package dev.tollgate.domain.budget;

import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * A team's AI budget as a share of what its people cost: {@code annual salary × headcount × share},
 * spread evenly over twelve months, with a review a year out. Typical shares: 2–5% for business
 * roles, more for engineering.
 */
public record SalaryTemplate(int headcount, Money annualSalaryPerHead, BigDecimal share) {

  public SalaryTemplate {
    if (headcount <= 0) throw new IllegalArgumentException("headcount must be positive");
    if (annualSalaryPerHead.nanos() <= 0) throw new IllegalArgumentException("annual salary must be positive");
    if (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0) throw new IllegalArgumentException("share must be in (0, 1]");
  }

  /** The monthly limit, rounded down to the cent. */
  public Money monthlyLimit() {
    BigDecimal yearly = annualSalaryPerHead.toUsd().multiply(BigDecimal.valueOf(headcount)).multiply(share);
    return Money.ofUsd(yearly.divide(BigDecimal.valueOf(12), 2, RoundingMode.DOWN));
  }

  public LocalDate reviewDate(LocalDate today) {
    return today.plusMonths(12);
  }

  public String explain() {
    return headcount + " × $" + annualSalaryPerHead.toUsdString() + " salary × " + share.stripTrailingZeros().toPlainString()
        + " / 12 months = $" + monthlyLimit().toUsdString() + " a month";
  }
}
