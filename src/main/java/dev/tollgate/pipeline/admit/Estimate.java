package dev.tollgate.pipeline.admit;

import dev.tollgate.domain.budget.Consumption;
import java.util.function.Supplier;

/**
 * What admission reserves for a request, and how precise it is.
 *
 * <p>Counting a prompt's tokens exactly is most of admission's cost, and it is wasted on the common
 * request that fits every budget with room to spare. So admission first tries a <b>bound</b> — at
 * least the exact worst case, found without tokenizing ({@link Admit#boundCase}). A hard cap is held
 * either way: reserving more than the request can use never lets a budget be overshot. Wherever the
 * bound would change the answer — a refusal, a class cap, a downgrade — admission counts exactly and
 * decides on that, so nobody is refused or downgraded because of the bound.
 */
final class Estimate {

  private final Consumption reserved;
  private final Supplier<Consumption> exact;
  private Consumption precise;

  private Estimate(Consumption reserved, Supplier<Consumption> exact, Consumption precise) {
    this.reserved = reserved;
    this.exact = exact;
    this.precise = precise;
  }

  static Estimate exact(Consumption worst) {
    return new Estimate(worst, null, worst);
  }

  static Estimate bounded(Consumption bound, Supplier<Consumption> exact) {
    return new Estimate(bound, exact, null);
  }

  /** What to reserve. */
  Consumption reserved() {
    return reserved;
  }

  boolean isBound() {
    return exact != null;
  }

  /** The exact worst case, counted on first use. */
  Consumption precise() {
    if (precise == null) precise = exact.get();
    return precise;
  }

  /** The same request, estimated exactly. */
  Estimate exactly() {
    return exact(precise());
  }
}
