package dev.tollgate.port;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Live budget and rate-limit counters. The protocol, in plain words:
 *
 * <ol>
 *   <li><b>Reserve</b> the worst case of a request in every budget that covers it, in one atomic
 *       step: if any enforced claim would take its counter past its limit (used + reserved + amount),
 *       nothing is reserved and the first such claim is named; otherwise all are reserved together.
 *       Check-then-spend cannot be raced: the check and the reservation are one operation.
 *   <li><b>Settle</b> with what the request really used: its holds are dropped and the actual
 *       amounts added to the counters' use.
 *   <li><b>Release</b> the holds of a request that used nothing (refused later, failed before the
 *       provider, cancelled).
 *   <li>A hold nobody settles or releases — its process died — lapses at its {@code holdUntil}, so a
 *       crashed replica never leaves a phantom reservation that refuses requests forever.
 * </ol>
 *
 * One call is one round trip, so the interface fits an atomic Redis script as well as memory. The
 * request-path operations are asynchronous so that a networked store never blocks an event loop; the
 * in-memory store answers with completed stages.
 */
public interface CounterStore extends AutoCloseable {

  /**
   * One counter: one budget's tally for one subject in one period.
   *
   * @param rollingSeconds 0 for a fixed period; otherwise use counts only the last that many seconds
   * @param expiresAt when the period is over and the counter may be forgotten; null for never
   */
  record Counter(String key, int rollingSeconds, Instant expiresAt) {

    /** The counter a budget match adds to: rolling ones live as long as their window, fixed ones until their period is over. */
    public static Counter of(dev.tollgate.domain.budget.BudgetBook.Match m) {
      var w = m.budget().window();
      return new Counter(m.counterKey(), w.rolling() ? dev.tollgate.domain.budget.BudgetWindow.ROLLING_SECONDS : 0,
          w.rolling() ? null : m.span().end());
    }
  }

  /** An amount to reserve (or, on settle, the amount used) on a counter; {@code limit} is {@link #UNLIMITED} for counting only. */
  record Claim(Counter counter, long amount, long limit) {}

  long UNLIMITED = Long.MAX_VALUE;

  /** A counter's use and the holds on it at one moment. */
  record State(long used, long reserved) {
    public long total() {
      return used + reserved;
    }
  }

  /** The result of {@link #reserve}: every counter's state before this reservation, or the claim that did not fit. */
  sealed interface Outcome {
    record Granted(List<State> before) implements Outcome {}

    record Denied(int claimIndex, State state) implements Outcome {}
  }

  CompletionStage<Outcome> reserve(String reservationId, List<Claim> claims, Instant now, Instant holdUntil);

  /**
   * Drops the holds of {@code reservationId} (if they have not lapsed) and adds the actual amounts;
   * returns each counter's state afterwards, in the order of {@code actuals}.
   */
  CompletionStage<List<State>> settle(String reservationId, List<Claim> actuals, Instant now);

  CompletionStage<Void> release(String reservationId, Instant now);

  /** A counter's state now; blocking — for status reports and tests, not the request path. */
  State read(Counter counter, Instant now);

  /** Every counter whose key starts with {@code keyPrefix}, with its state now; blocking — for status reports. */
  java.util.Map<String, State> scan(String keyPrefix, Instant now);

  /** Adds use that happened outside a reservation — for rebuilding counters from the ledger at start-up. */
  void add(Counter counter, long amount, Instant at);

  /** Holds currently in force across all counters (for checks that nothing was left behind); blocking. */
  long activeReservations(Instant now);

  @Override
  default void close() {}
}
