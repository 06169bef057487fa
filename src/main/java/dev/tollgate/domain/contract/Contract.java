package dev.tollgate.domain.contract;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What an organisation actually pays a provider, as opposed to the list price the gateway meters at:
 * negotiated terms (discount, commitment, included usage, overage) or, for a model the org runs
 * itself, the infrastructure's hourly cost. A contract covers one provider account, and optionally only
 * one model of it, for the UTC days {@code validFrom <= day < validUntil} (open-ended when
 * {@code validUntil} is null). Allowances are per calendar month (UTC).
 */
public record Contract(String name, String provider, String model, LocalDate validFrom, LocalDate validUntil, Terms terms) {

  public Contract {
    Objects.requireNonNull(name);
    Objects.requireNonNull(provider);
    Objects.requireNonNull(validFrom);
    Objects.requireNonNull(terms);
    if (validUntil != null && !validFrom.isBefore(validUntil)) {
      throw new IllegalArgumentException("valid_from must be before valid_until");
    }
  }

  /** True when the contract is in force on {@code day}. */
  public boolean coversDay(LocalDate day) {
    return !day.isBefore(validFrom) && (validUntil == null || day.isBefore(validUntil));
  }

  /** True when the contract applies to a row of {@code provider} (config name) and {@code model} (configured name). */
  public boolean covers(String provider, String model) {
    return this.provider.equals(provider) && (this.model == null || this.model.equals(model));
  }

  /** How usage under the contract is priced. */
  public sealed interface Terms permits Negotiated, SelfHosted {}

  /**
   * Negotiated terms, all per calendar month.
   *
   * @param discountPercent off list, 0 to 100, applied to usage beyond the included allowance
   * @param commitmentNanos spend committed per month (0 for none): paid whether used or not
   * @param includedNanos list cost free per month (0 for none); exclusive with {@code includedTokens}
   * @param includedTokens tokens free per month (0 for none)
   * @param overageDiscountPercent off list for usage beyond the commitment; null means the same as
   *     {@code discountPercent}
   */
  public record Negotiated(BigDecimal discountPercent, long commitmentNanos, long includedNanos, long includedTokens,
      BigDecimal overageDiscountPercent) implements Terms {

    public Negotiated {
      requirePercent(discountPercent, "discount");
      if (overageDiscountPercent != null) requirePercent(overageDiscountPercent, "overage discount");
      if (commitmentNanos < 0 || includedNanos < 0 || includedTokens < 0) {
        throw new IllegalArgumentException("commitment and included usage cannot be negative");
      }
      if (includedNanos > 0 && includedTokens > 0) {
        throw new IllegalArgumentException("included usage is either in USD or in tokens, not both");
      }
    }

    /** The discount for usage beyond the commitment. */
    public BigDecimal overagePercent() {
      return overageDiscountPercent != null ? overageDiscountPercent : discountPercent;
    }

    private static void requirePercent(BigDecimal p, String what) {
      if (p == null || p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
        throw new IllegalArgumentException(what + " must be between 0 and 100 percent, got " + p);
      }
    }
  }

  /**
   * A self-hosted model: the infrastructure costs {@code hourlyNanos} per hour whether busy or idle.
   *
   * @param tokensPerHour the throughput the hardware sustains, giving a fixed per-token price
   *     ({@code hourly / tokensPerHour}); null means <em>measured</em>: the month's infrastructure cost
   *     is spread over the tokens the ledger actually recorded
   */
  public record SelfHosted(long hourlyNanos, Long tokensPerHour) implements Terms {

    public SelfHosted {
      if (hourlyNanos < 0) throw new IllegalArgumentException("the hourly cost cannot be negative");
      if (tokensPerHour != null && tokensPerHour <= 0) throw new IllegalArgumentException("tokens per hour must be positive");
    }
  }
}
