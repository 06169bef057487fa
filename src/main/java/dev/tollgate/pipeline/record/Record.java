package dev.tollgate.pipeline.record;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.port.LedgerWriter;
import dev.tollgate.port.OutcomeRecorder;
import dev.tollgate.port.UsageObserver;
import java.util.List;

/**
 * The last stage: turns the finished exchange into its ledger row and hands it to the
 * {@link LedgerWriter}, which persists it off the request path; then tells the observers.
 * Runs for every request — served, refused or failed. A business outcome the request reported is
 * recorded only when the request succeeded (status {@code ok}, a cache hit included): a refused or failed
 * call resolved nothing.
 */
public final class Record {

  private final LedgerWriter ledger;
  private final List<UsageObserver> observers;
  private final OutcomeRecorder outcomes;

  public Record(LedgerWriter ledger, List<UsageObserver> observers) {
    this(ledger, observers, OutcomeRecorder.NONE);
  }

  public Record(LedgerWriter ledger, List<UsageObserver> observers, OutcomeRecorder outcomes) {
    this.ledger = ledger;
    this.observers = List.copyOf(observers);
    this.outcomes = outcomes;
  }

  /** Hands the row over; the stage completes when the answer may end (see {@link LedgerWriter#appendBeforeAnswer}). */
  public java.util.concurrent.CompletionStage<Void> complete(Exchange x) {
    UsageRecord row = toRecord(x);
    var recorded = ledger.appendBeforeAnswer(row);
    for (UsageObserver o : observers) o.observe(row);
    if (x.outcome() != null && row.status() == RequestStatus.OK) outcomes.record(x.outcome(), row);
    return recorded;
  }

  static UsageRecord toRecord(Exchange x) {
    var route = x.route();
    return new UsageRecord(
        x.requestId(),
        x.startedAt(),
        x.endedAt(),
        x.key() == null ? null : x.key().name(),
        x.attribution(),
        route == null ? null : route.provider().type(),
        x.requestedModel(),
        route == null || !(x.upstreamCalled() || x.cacheHit()) ? null : route.upstream(),
        route == null ? null : route.tier(),
        x.routeReason(),
        x.usage(),
        x.cost(),
        x.status(),
        x.error() == null ? null : x.error().kind().code(),
        x.latencyMs(),
        x.ttftMs(),
        x.exceptionId(),
        x.cacheHit(),
        x.usageEstimated(),
        x.stream(),
        x.httpStatus(),
        x.classReason(),
        x.findings(),
        x.upstreamCalls(), x.efficiency());
  }
}
