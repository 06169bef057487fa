package dev.tollgate.pipeline;

import dev.tollgate.pipeline.admit.Admit;
import dev.tollgate.pipeline.attribute.Attribute;
import dev.tollgate.pipeline.authenticate.Authenticate;
import dev.tollgate.pipeline.cache.CacheLookup;
import dev.tollgate.pipeline.cache.ResponseCache;
import dev.tollgate.pipeline.call.CallProvider;
import dev.tollgate.pipeline.classify.Classify;
import dev.tollgate.pipeline.guard.Guard;
import dev.tollgate.pipeline.decode.Decode;
import dev.tollgate.pipeline.meter.Meter;
import dev.tollgate.pipeline.record.Record;
import dev.tollgate.pipeline.route.Route;
import dev.tollgate.port.BudgetNotifier;
import dev.tollgate.port.CounterStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path, in order:
 *
 * <pre>
 *   authenticate → decode → attribute → restrain → classify → guard → route → cache → admit → call provider → meter → record
 * </pre>
 *
 * The cache stage sits after route (its key holds the served model) and before admit, so that a hit
 * reserves no budget: it answers from memory ({@link Decision.Answer}) and the stages after it do not run.
 *
 * Each stage before the call may stop the request with a reason; a stopped request is answered at
 * once and still metered and recorded (status {@code blocked}). Once the request has ended, for
 * whatever reason, every stage that ran gets its {@link Stage#complete} in reverse order, then the
 * request is metered and recorded — exactly once.
 */
public final class Pipeline {

  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final List<Stage> stages;
  private final CallProvider call;
  private final Meter meter;
  private final Record record;
  private final Clock clock;
  private final ResponseCache responseCache;
  private final RequestTracing tracing;

  public Pipeline(Clock clock, PromptEstimator estimator, CounterStore counters, BudgetNotifier notifier, Record record) {
    this(clock, estimator, counters, notifier, record, new dev.tollgate.pipeline.call.CircuitBreakers(clock,
        dev.tollgate.port.UpstreamEvents.NONE), CallProvider::delayed, dev.tollgate.port.UpstreamEvents.NONE,
        new dev.tollgate.domain.alert.Restrictions());
  }

  /**
   * @param breakers the deployments' circuit breakers (shared with what reports their state)
   * @param retryTimer runs retries after their backoff
   * @param restrictions what alerts' automatic actions throttle or suspend
   */
  public Pipeline(Clock clock, PromptEstimator estimator, CounterStore counters, BudgetNotifier notifier, Record record,
      dev.tollgate.pipeline.call.CircuitBreakers breakers, dev.tollgate.pipeline.call.RetryTimer retryTimer,
      dev.tollgate.port.UpstreamEvents events) {
    this(clock, estimator, counters, notifier, record, breakers, retryTimer, events, new dev.tollgate.domain.alert.Restrictions());
  }

  public Pipeline(Clock clock, PromptEstimator estimator, CounterStore counters, BudgetNotifier notifier, Record record,
      dev.tollgate.pipeline.call.CircuitBreakers breakers, dev.tollgate.pipeline.call.RetryTimer retryTimer,
      dev.tollgate.port.UpstreamEvents events, dev.tollgate.domain.alert.Restrictions restrictions) {
    this(clock, estimator, counters, notifier, record, breakers, retryTimer, events, restrictions, RequestTracing.OFF);
  }

  /** @param tracing watches every request from its start to its ledger row (a span per request), or {@link RequestTracing#OFF} */
  public Pipeline(Clock clock, PromptEstimator estimator, CounterStore counters, BudgetNotifier notifier, Record record,
      dev.tollgate.pipeline.call.CircuitBreakers breakers, dev.tollgate.pipeline.call.RetryTimer retryTimer,
      dev.tollgate.port.UpstreamEvents events, dev.tollgate.domain.alert.Restrictions restrictions, RequestTracing tracing) {
    this.tracing = tracing;
    this.clock = clock;
    this.meter = new Meter(estimator);
    this.record = record;
    this.responseCache = new ResponseCache(clock);
    this.stages = List.of(
        new Authenticate(clock),
        new Decode(),
        new Attribute(),
        new dev.tollgate.pipeline.restrain.Restrain(restrictions, clock),
        new Classify(estimator),
        new Guard(),
        new Route(),
        new CacheLookup(responseCache),
        new Admit(counters, estimator, notifier, clock));
    this.call = new CallProvider(meter, breakers, retryTimer, events, clock,
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** Runs the request through every stage and the provider call. */
  public void handle(Exchange x, ClientChannel client) {
    begin(x);
    runFrom(0, x, client);
  }

  /** Runs stages from {@code index} on; an asynchronous decision resumes here on the request's event loop. */
  private void runFrom(int index, Exchange x, ClientChannel client) {
    for (int i = index; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      Decision decision;
      try {
        decision = stage.apply(x);
      } catch (RuntimeException e) {
        decision = failed(stage, x, e);
      }
      int ran = i + 1;
      if (decision instanceof Decision.Later later) {
        later.decision().whenComplete((d, e) -> client.loop().execute(() -> {
          Decision settled = e != null ? failed(stage, x, e) : d;
          if (settled instanceof Decision.Stop stop) refuse(x, client, stop.error(), ran);
          else if (settled instanceof Decision.Answer answer) answer(x, client, answer.reply(), ran);
          else runFrom(ran, x, client);
        }));
        return;
      }
      if (decision instanceof Decision.Stop stop) {
        refuse(x, client, stop.error(), ran);
        return;
      }
      if (decision instanceof Decision.Answer answer) {
        answer(x, client, answer.reply(), ran);
        return;
      }
    }
    int completed = stages.size();
    try {
      call.run(x, x.tapped(client), () -> finish(x, completed));
    } catch (RuntimeException e) {
      log.error("provider call failed on request {}", x.requestId(), e);
      refuse(x, client, GatewayError.of(ErrorKind.INTERNAL, "The gateway failed on this request (id " + x.requestId() + ")."), completed);
    }
  }

  /** Serves an answer a stage already has (a cache hit): recorded first, like every answer, then sent. */
  private void answer(Exchange x, ClientChannel client, Reply reply, int stagesRan) {
    CompletionStage<Void> recorded;
    try {
      recorded = finish(x, stagesRan);
    } catch (RuntimeException e) {
      log.error("recording answered request {} failed", x.requestId(), e);
      recorded = CompletableFuture.completedStage(null);
    }
    afterRecorded(recorded, client, () -> reply.sendTo(client));
  }

  /** The response cache, for its metrics. */
  public ResponseCache responseCache() {
    return responseCache;
  }

  private static Decision failed(Stage stage, Exchange x, Throwable e) {
    log.error("stage {} failed on request {}", stage.getClass().getSimpleName(), x.requestId(), e);
    return Decision.stop(GatewayError.of(ErrorKind.INTERNAL, "The gateway failed on this request (id " + x.requestId() + ")."));
  }

  /**
   * Runs the stages after authentication as a dry run for a request of an already known key: the
   * class, the route, the guard's findings and the budgets' verdict, without reserving anything or
   * calling a provider. Returns the stop decision, or {@link Decision#CONTINUE} if it would be admitted.
   */
  public Decision simulate(Exchange x) {
    for (int i = 1; i < stages.size(); i++) {
      Decision d = stages.get(i).simulate(x);
      if (d instanceof Decision.Later later) d = later.decision().toCompletableFuture().join();
      if (d instanceof Decision.Stop) return d;
      if (d instanceof Decision.Answer) return Decision.CONTINUE;
    }
    return Decision.CONTINUE;
  }

  /** Refuses a request the HTTP edge could not even read (e.g. too large); it is recorded all the same. */
  public void refuse(Exchange x, ClientChannel client, GatewayError error) {
    begin(x);
    refuse(x, client, error, 0);
  }

  private void begin(Exchange x) {
    try {
      x.trace(tracing.begin(x));
    } catch (RuntimeException e) {
      log.error("tracing request {} failed", x.requestId(), e);
    }
  }

  private void refuse(Exchange x, ClientChannel client, GatewayError error, int stagesRan) {
    x.fail(error);
    CompletionStage<Void> recorded;
    try {
      recorded = finish(x, stagesRan);
    } catch (RuntimeException e) {
      log.error("recording refused request {} failed", x.requestId(), e);
      recorded = CompletableFuture.completedStage(null);
    }
    afterRecorded(recorded, client, () -> {
      if (!client.started()) client.sendError(error);
    });
  }

  /** Runs {@code lastWrite} once the row is recorded as the ledger's durability mode requires — at once if it already is. */
  public static void afterRecorded(CompletionStage<Void> recorded, ClientChannel client, Runnable lastWrite) {
    CompletableFuture<Void> f = recorded.toCompletableFuture();
    if (f.isDone()) lastWrite.run();
    else f.whenComplete((v, e) -> client.loop().execute(lastWrite));
  }

  /** Completes the stages that ran (in reverse), meters and records the request; returns when its last bytes may go. */
  private CompletionStage<Void> finish(Exchange x, int stagesRan) {
    x.ended(clock.instant(), System.nanoTime());
    for (int i = stagesRan - 1; i >= 0; i--) {
      try {
        stages.get(i).complete(x);
      } catch (RuntimeException e) {
        log.error("completion of stage {} failed on request {}", stages.get(i).getClass().getSimpleName(), x.requestId(), e);
      }
    }
    try {
      if (x.route() != null && x.upstreamCalled()) meter.complete(x, null);
    } catch (RuntimeException e) {
      log.error("metering request {} failed", x.requestId(), e);
    }
    CompletionStage<Void> recorded = record.complete(x);
    try {
      x.trace().end(x);
    } catch (RuntimeException e) {
      log.error("ending the trace of request {} failed", x.requestId(), e);
    }
    return recorded;
  }
}
