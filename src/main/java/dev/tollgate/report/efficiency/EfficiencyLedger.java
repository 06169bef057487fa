package dev.tollgate.report.efficiency;

import java.time.Instant;
import java.util.List;

/** Reads the ledger rows the efficiency reports need (SQL in production). */
public interface EfficiencyLedger {

  /** Rows started in {@code [from, to)}, oldest first; only {@code team}'s when it is not null. */
  List<LedgerFacts> rows(Instant from, Instant to, String team);
}
