package dev.tollgate.pipeline.admit;

import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.Consumption;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.pipeline.AdmissionPolicy;
import dev.tollgate.pipeline.BudgetHold;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.ModelChoice;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.pipeline.Stage;
import dev.tollgate.port.BudgetNotifier;
import dev.tollgate.port.CounterStore;
import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Admission: no upstream work starts unless every budget covering the request has room for its
 * worst case. The protocol:
 *
 * <ol>
 *   <li><b>Estimate conservatively</b>: the prompt counted with a real tokenizer (raised by a safety
 *       margin for models whose tokenizer is not public) plus {@code max_tokens} — or the model's
 *       output limit, or a configured default — priced at the model's full input and output rates.
 *   <li><b>Reserve atomically</b> that worst case in every covering budget at once
 *       ({@link CounterStore#reserve}); a hard budget without room refuses the request, naming
 *       itself, its use, its limit and when it resets. Soft budgets only count.
 *   <li><b>Settle</b> once the request has ended — served, failed, cut or abandoned — replacing the
 *       reservation with what was really used ({@link #complete}), so nothing stays held.
 * </ol>
 *
 * A soft budget with {@code on_exceed: downgrade} that would be exceeded moves the request to the
 * cheapest model the key may use, said openly in {@code route_reason} and a response header.
 */
public final class Admit implements Stage {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Admit.class);

  private final CounterStore counters;
  private final PromptEstimator estimator;
  private final PromptEstimator bound = new PromptEstimator(new dev.tollgate.tokens.Utf8LengthBound());
  private final BudgetNotifier notifier;
  private final Clock clock;

  public Admit(CounterStore counters, PromptEstimator estimator, BudgetNotifier notifier, Clock clock) {
    this.counters = counters;
    this.estimator = estimator;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public Decision apply(Exchange x) {
    var cls = x.workloadClass();
    BudgetBook book = x.state().budgets();
    if (book.isEmpty() && (cls == null || cls.maxCost() == null)) return Decision.CONTINUE;
    Instant now = clock.instant();
    List<BudgetBook.Match> matches = book.matching(x.attribution(), x.key().name(), now);
    if (matches.isEmpty() && (cls == null || cls.maxCost() == null)) return Decision.CONTINUE;
    // Tokenizing a long prompt costs far more than the rest of admission. Reserve a provable upper
    // bound instead, and count exactly only where the bound would decide something (see Estimate).
    return admit(x, matches, x.promptTokensKnown() ? Estimate.exact(worstCase(x, x.route()))
        : Estimate.bounded(boundCase(x, x.route()), () -> worstCase(x, x.route())));
  }

  private Decision admit(Exchange x, List<BudgetBook.Match> matches, Estimate estimate) {
    var cls = x.workloadClass();
    Consumption worst = estimate.reserved();
    if (cls != null && cls.maxCost() != null && worst.nanos() > cls.maxCost().nanos()) {
      if (estimate.isBound()) return admit(x, matches, estimate.exactly());
      return Decision.stop(Refusals.classCap(cls, worst.nanos(), x));
    }
    if (matches.isEmpty()) return Decision.CONTINUE;
    List<BudgetBook.Match> counted = new ArrayList<>();
    boolean downgrade = false;
    for (BudgetBook.Match m : matches) {
      Budget b = m.budget();
      if (b.window().kind() != WindowKind.REQUEST) {
        counted.add(m);
      } else if (b.unit().of(worst) > b.limit()) {
        if (estimate.isBound()) return admit(x, matches, estimate.exactly());
        if (b.hard()) return Decision.stop(Refusals.perRequest(m, b.unit().of(worst), x));
        downgrade |= b.action() == BudgetAction.DOWNGRADE;
      }
    }
    List<Claim> claims = new ArrayList<>(counted.size());
    for (BudgetBook.Match m : counted) {
      Budget b = m.budget();
      claims.add(new Claim(Counter.of(m), b.unit().of(worst), b.hard() ? b.limit() : CounterStore.UNLIMITED));
    }
    Instant now = clock.instant();
    var pending = counters.reserve(x.requestId(), claims, now, now.plus(x.state().admission().holdTtl())).toCompletableFuture();
    boolean downgradeByRequestCap = downgrade;
    if (pending.isDone() && !pending.isCompletedExceptionally()) {
      return decide(x, pending.join(), matches, counted, claims, downgradeByRequestCap, estimate);
    }
    // A counter store that cannot answer (e.g. Redis down, fail_closed) admits nothing: 503, never an unchecked request.
    return Decision.later(pending.handle((outcome, e) -> e != null ? countersUnavailable(x)
        : decide(x, outcome, matches, counted, claims, downgradeByRequestCap, estimate)).thenCompose(Admit::settled));
  }

  /** A decision as a stage to wait on, so that a later decision made inside a later one is waited for too. */
  private static java.util.concurrent.CompletionStage<Decision> settled(Decision d) {
    return d instanceof Decision.Later later ? later.decision() : java.util.concurrent.CompletableFuture.completedFuture(d);
  }

  private static Decision countersUnavailable(Exchange x) {
    return Decision.stop(dev.tollgate.pipeline.GatewayError.of(dev.tollgate.pipeline.ErrorKind.COUNTERS_UNAVAILABLE,
        "The budget counters are unavailable right now, so this request could not be checked against its budgets and was"
            + " not admitted (no budget may be overshot). Retry in a few seconds; if it persists, tell your gateway admin"
            + " (request id " + x.requestId() + ")."));
  }

  private Decision decide(Exchange x, Outcome outcome, List<BudgetBook.Match> matches, List<BudgetBook.Match> counted,
      List<Claim> claims, boolean downgrade, Estimate estimate) {
    if (outcome instanceof Outcome.Denied denied) {
      // Nothing was reserved. The bound did not fit; the exact count may.
      if (estimate.isBound()) return admit(x, matches, estimate.exactly());
      BudgetBook.Match m = counted.get(denied.claimIndex());
      var exception = headroomException(x, m.budget().unit());
      if (exception != null) return withException(x, exception, counted, claims, downgrade, denied);
      return Decision.stop(Refusals.exhausted(m, denied.state(), claims.get(denied.claimIndex()).amount(), x));
    }
    List<CounterStore.State> before = ((Outcome.Granted) outcome).before();
    x.budgetHold(new BudgetHold(counted, claims, before));
    for (int i = 0; i < counted.size(); i++) {
      Budget b = counted.get(i).budget();
      // Whether the request would exceed is judged on its exact worst case, not on the bound it reserved.
      if (b.action() == BudgetAction.DOWNGRADE && before.get(i).total() + claims.get(i).amount() > b.limit()
          && before.get(i).total() + b.unit().of(estimate.precise()) > b.limit()) {
        downgrade = true;
      }
    }
    if (downgrade) downgrade(x);
    headroomHeaders(x, counted, claims, before);
    return Decision.CONTINUE;
  }

  /** An active exception covering the request with extra headroom in {@code unit}, or null. */
  private static dev.tollgate.domain.exception.BudgetException headroomException(Exchange x, BudgetUnit unit) {
    if (x.state().exceptions().isEmpty()) return null;
    var cls = x.workloadClass();
    for (var e : x.state().exceptions().covering(x.attribution(), x.key().name(), cls == null ? null : cls.name(), x.startedAt())) {
      if (extra(e, unit) > 0) return e;
    }
    return null;
  }

  private static long extra(dev.tollgate.domain.exception.BudgetException e, BudgetUnit unit) {
    return switch (unit) {
      case USD -> e.extraUsd().nanos();
      case TOKENS, INPUT_TOKENS, OUTPUT_TOKENS -> e.extraTokens();
      case REQUESTS -> 0;
    };
  }

  /**
   * A hard budget had no room, but an active exception gives extra: reserve again, atomically, with
   * that unit's hard limits raised by the exception's extra and a claim on the exception's own counter
   * — so the exception unlocks exactly what it says, and its use is counted against it.
   */
  private Decision withException(Exchange x, dev.tollgate.domain.exception.BudgetException e, List<BudgetBook.Match> counted,
      List<Claim> claims, boolean downgrade, Outcome.Denied first) {
    BudgetUnit unit = counted.get(first.claimIndex()).budget().unit();
    long extra = extra(e, unit);
    List<Claim> raised = new ArrayList<>(claims.size() + 1);
    for (int i = 0; i < claims.size(); i++) {
      Claim c = claims.get(i);
      boolean sameUnit = counted.get(i).budget().unit() == unit && c.limit() != CounterStore.UNLIMITED;
      raised.add(sameUnit ? new Claim(c.counter(), c.amount(), c.limit() + extra) : c);
    }
    long amount = claims.get(first.claimIndex()).amount();
    raised.add(new Claim(new Counter("exc|" + e.id(), 0, e.expiresAt()), amount, extra));
    Instant now = clock.instant();
    var pending = counters.reserve(x.requestId(), raised, now, now.plus(x.state().admission().holdTtl())).toCompletableFuture();
    if (pending.isDone() && !pending.isCompletedExceptionally()) return afterException(x, e, counted, raised, unit, downgrade, pending.join());
    return Decision.later(pending.handle((retry, error) -> error != null ? countersUnavailable(x)
        : afterException(x, e, counted, raised, unit, downgrade, retry)));
  }

  private static Decision afterException(Exchange x, dev.tollgate.domain.exception.BudgetException e, List<BudgetBook.Match> counted,
      List<Claim> raised, BudgetUnit unit, boolean downgrade, Outcome retry) {
    if (retry instanceof Outcome.Denied denied) {
      int i = Math.min(denied.claimIndex(), counted.size() - 1);
      return Decision.stop(Refusals.exhausted(counted.get(i), denied.state(), raised.get(i).amount(), x));
    }
    x.exceptionId(e.id());
    List<CounterStore.State> before = ((Outcome.Granted) retry).before();
    x.budgetHold(new BudgetHold(counted, raised, before, unit));
    if (downgrade) downgrade(x);
    headroomHeaders(x, counted, raised.subList(0, counted.size()), before.subList(0, counted.size()));
    return Decision.CONTINUE;
  }

  /** The same checks as {@link #apply}, against the counters as they are now, reserving nothing. */
  @Override
  public Decision simulate(Exchange x) {
    var cls = x.workloadClass();
    Instant now = clock.instant();
    List<BudgetBook.Match> matches = x.state().budgets().matching(x.attribution(), x.key().name(), now);
    Consumption worst = worstCase(x, x.route());
    if (cls != null && cls.maxCost() != null && worst.nanos() > cls.maxCost().nanos()) {
      return Decision.stop(Refusals.classCap(cls, worst.nanos(), x));
    }
    List<Exchange.BudgetCheck> checks = new ArrayList<>();
    Decision verdict = Decision.CONTINUE;
    for (BudgetBook.Match m : matches) {
      Budget b = m.budget();
      long needed = b.unit().of(worst);
      CounterStore.State s = b.window().kind() == WindowKind.REQUEST ? new CounterStore.State(0, 0)
          : counters.read(Counter.of(m), now);
      boolean fits = s.total() + needed <= b.limit();
      checks.add(new Exchange.BudgetCheck(m, s.used(), s.reserved(), needed, fits));
      if (!fits && b.hard() && verdict == Decision.CONTINUE) {
        verdict = Decision.stop(b.window().kind() == WindowKind.REQUEST ? Refusals.perRequest(m, needed, x)
            : Refusals.exhausted(m, s, needed, x));
      }
    }
    x.budgetChecks(checks);
    return verdict;
  }

  /** Settles the reservation with the real use, or releases it if the request used nothing. */
  @Override
  public void complete(Exchange x) {
    BudgetHold hold = x.budgetHold();
    if (hold == null) return;
    Instant now = clock.instant();
    if (!x.upstreamCalled()) {
      counters.release(x.requestId(), now).exceptionally(e -> logFailure("release", x, e));
      return;
    }
    TokenUsage u = x.usage() == null ? TokenUsage.NONE : x.usage();
    Consumption actual = new Consumption(u.inputTokens(), u.outputTokens(), x.cost().nanos(), 1);
    List<Claim> actuals = new ArrayList<>(hold.claims().size());
    for (int i = 0; i < hold.claims().size(); i++) {
      BudgetUnit unit = i < hold.matches().size() ? hold.matches().get(i).budget().unit() : hold.exceptionUnit();
      actuals.add(new Claim(hold.claims().get(i).counter(), unit.of(actual), CounterStore.UNLIMITED));
    }
    counters.settle(x.requestId(), actuals, now)
        .thenAccept(after -> warn(hold, actuals, after))
        .exceptionally(e -> logFailure("settle", x, e));
  }

  private Void logFailure(String what, Exchange x, Throwable e) {
    // The hold lapses on its own at holdUntil; the ledger row still records the use.
    log.error("budget {} failed for request {}: {}", what, x.requestId(), e.toString());
    return null;
  }

  /** Tells people about every warning threshold the settled use has reached (the notifier says each once). */
  private void warn(BudgetHold hold, List<Claim> actuals, List<CounterStore.State> after) {
    for (int i = 0; i < hold.matches().size(); i++) {
      BudgetBook.Match m = hold.matches().get(i);
      long usedAfter = after.get(i).used();
      for (BigDecimal threshold : m.budget().warnAt()) {
        long mark = threshold.multiply(BigDecimal.valueOf(m.budget().limit())).longValue();
        // The notifier tells people once per threshold and period, however many requests cross it together.
        if (usedAfter >= mark && actuals.get(i).amount() > 0) notifier.thresholdCrossed(m.budget(), m.subject(), m.span(), threshold, usedAfter);
      }
    }
  }

  /** The most this request can cost, in every unit: its prompt, and the most output it may produce. */
  Consumption worstCase(Exchange x, ModelRoute route) {
    var policy = x.state().admission();
    long prompt = x.promptTokens(() -> estimator.promptTokens(route.upstream(), x.body()));
    if (!openAiTokenizer(route.upstream())) prompt = prompt * policy.safetyPercent() / 100;
    return withOutput(x, route, prompt);
  }

  /**
   * At least {@link #worstCase}, without tokenizing: the prompt's UTF-8 length bounds its tokens for
   * any byte-level tokenizer, so no safety margin is added for vendors whose tokenizer is not public.
   */
  Consumption boundCase(Exchange x, ModelRoute route) {
    return withOutput(x, route, bound.promptTokens(route.upstream(), x.body()));
  }

  private Consumption withOutput(Exchange x, ModelRoute route, long prompt) {
    var policy = x.state().admission();
    long output = requestedMaxOutput(x);
    if (x.endpoint() == dev.tollgate.pipeline.Endpoint.EMBEDDINGS) output = 0; // an embedding has no output tokens
    else if (output <= 0) output = route.maxOutputTokens() != null ? route.maxOutputTokens() : policy.defaultOutputTokens();
    long nanos = CostCalculator.cost(route.price(), TokenUsage.of(prompt, output)).nanos();
    return new Consumption(prompt, output, nanos, 1);
  }

  private static long requestedMaxOutput(Exchange x) {
    var body = x.body();
    if (body.path("max_completion_tokens").canConvertToLong()) return body.get("max_completion_tokens").asLong();
    if (body.path("max_tokens").canConvertToLong()) return body.get("max_tokens").asLong();
    if (body.path("max_output_tokens").canConvertToLong()) return body.get("max_output_tokens").asLong(); // Responses API
    return 0;
  }

  private static boolean openAiTokenizer(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.startsWith("gpt-") || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt")
        || m.startsWith("text-embedding");
  }

  /** Moves the request to the cheapest model its key and class allow, if there is a cheaper one. */
  private static void downgrade(Exchange x) {
    ModelChoice.cheapest(x, x.route()).ifPresent(cheaper -> x.routed(cheaper, "budget_downgrade"));
  }

  /** Headroom of the tightest token budget and the tightest USD budget, after this reservation. */
  private static void headroomHeaders(Exchange x, List<BudgetBook.Match> matches, List<Claim> claims, List<CounterStore.State> before) {
    long tokens = Long.MAX_VALUE;
    long nanos = Long.MAX_VALUE;
    for (int i = 0; i < matches.size(); i++) {
      Budget b = matches.get(i).budget();
      long left = Math.max(0, b.limit() - before.get(i).total() - claims.get(i).amount());
      if (b.unit().isTokens()) tokens = Math.min(tokens, left);
      if (b.unit() == BudgetUnit.USD) nanos = Math.min(nanos, left);
    }
    if (tokens != Long.MAX_VALUE) x.answerHeaders().put("x-tollgate-budget-remaining-tokens", Long.toString(tokens));
    if (nanos != Long.MAX_VALUE) {
      x.answerHeaders().put("x-tollgate-budget-remaining-usd", dev.tollgate.domain.money.Money.ofNanos(nanos).toUsdString());
    }
  }
}
