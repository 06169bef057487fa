package dev.tollgate.report;

import dev.tollgate.domain.outcome.RequestOutcome;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.OutcomeRecorder;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes reported on requests, stored by the same {@link OutcomeLog} as {@code POST /admin/v1/outcomes},
 * on {@code executor} (the database is not written from the request's event loop). A failed write is
 * logged: the request has been answered by then.
 */
public final class RequestOutcomes implements OutcomeRecorder {

  private static final Logger log = LoggerFactory.getLogger(RequestOutcomes.class);

  private final OutcomeLog outcomes;
  private final Executor executor;

  public RequestOutcomes(OutcomeLog outcomes, Executor executor) {
    this.outcomes = outcomes;
    this.executor = executor;
  }

  @Override
  public void record(RequestOutcome outcome, UsageRecord row) {
    executor.execute(() -> {
      try {
        outcomes.recordForRequest(outcome, row);
      } catch (RuntimeException e) {
        log.error("the outcome of request {} could not be recorded", row.id(), e);
      }
    });
  }
}
