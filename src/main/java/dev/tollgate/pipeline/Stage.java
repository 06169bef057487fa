package dev.tollgate.pipeline;

/**
 * One step before the upstream call. Stages run in the order {@link Pipeline} lists them, on the
 * request's event loop, and must not block: anything they need (keys, prices, counters) is already
 * in memory. A stage reads and enriches the {@link Exchange} and returns its decision.
 */
public interface Stage {

  Decision apply(Exchange exchange);

  /**
   * Called once the request has ended, for every stage whose {@link #apply} ran, in reverse order —
   * also after a refusal, an upstream failure or a client disconnect. Where a reservation is
   * released or a counter settled.
   */
  default void complete(Exchange exchange) {}

  /**
   * What {@link #apply} would decide, without side effects (no reservation, no upstream work): for
   * {@code POST /admin/v1/policy/simulate}. Stages without side effects simply apply.
   */
  default Decision simulate(Exchange exchange) {
    return apply(exchange);
  }
}
