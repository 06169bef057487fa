package dev.tollgate.port;

import dev.tollgate.domain.outcome.RequestOutcome;
import dev.tollgate.domain.usage.UsageRecord;

/**
 * Records the business outcome a successful request reported about itself ({@code X-Tollgate-Outcome}),
 * attributed like its ledger row. Called on the request's thread: an implementation stores it elsewhere.
 */
public interface OutcomeRecorder {

  OutcomeRecorder NONE = (outcome, row) -> {};

  void record(RequestOutcome outcome, UsageRecord row);
}
