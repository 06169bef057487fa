package dev.tollgate.report.efficiency;

import java.time.Instant;
import java.util.List;

/** Reads the ledger rows the efficiency reports need (SQL in production). */
public interface EfficiencyLedger {

  /**
   * Rows started in {@code [from, to)}, oldest first; only {@code team}'s when it is not null.
   *
   * @throws IllegalArgumentException when the period holds more rows than the reader keeps in memory,
   *     with a message that says how many and how to narrow it
   */
  default List<LedgerFacts> rows(Instant from, Instant to, String team) {
    return rows(from, to, team, null);
  }

  /** As {@link #rows(Instant, Instant, String)}, only {@code user}'s rows when it is not null. */
  List<LedgerFacts> rows(Instant from, Instant to, String team, String user);
}
