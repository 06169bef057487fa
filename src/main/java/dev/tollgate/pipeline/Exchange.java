package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import java.time.Instant;
import java.util.function.Function;

/**
 * Everything known about one request as it passes the stages: typed fields, each written by the
 * stage that owns it (noted beside it), read by the stages after. Lives on one event loop, so it
 * needs no locking.
 */
public final class Exchange {

  // Set by the HTTP edge.
  private final String requestId;
  private final Instant startedAt;
  private final long startNanos;
  private final Endpoint endpoint;
  private final GatewayState state;
  private final Function<String, String> header;
  private final byte[] rawBody;

  private dev.tollgate.port.ProviderAdapter.NativeRequest nativeRequest;
  // authenticate
  private VirtualKey key;
  // decode
  private ObjectNode body;
  private boolean stream;
  private boolean clientAskedForUsage;
  // attribute
  private Attribution attribution = Attribution.EMPTY;
  private dev.tollgate.domain.outcome.RequestOutcome outcome;
  // classify
  private dev.tollgate.domain.policy.WorkloadClass workloadClass;
  private String classReason;
  private long promptTokens = -1;
  // guard
  private java.util.Map<String, Integer> findings = java.util.Map.of();
  private boolean privateOnly;
  private dev.tollgate.domain.guard.RedactionMap redaction;
  // route
  private java.util.List<ModelRoute> fallbacks = java.util.List.of();
  private String requestedModel;
  private ModelRoute route;
  private String routeReason;
  // cache
  private dev.tollgate.domain.usage.Efficiency efficiency = dev.tollgate.domain.usage.Efficiency.NONE;
  private boolean cacheHit;
  private java.util.function.UnaryOperator<ClientChannel> answerTap;
  // admit (and route, for unlocked tiers)
  private String exceptionId;
  private BudgetHold budgetHold;
  private java.util.List<BudgetCheck> budgetChecks = java.util.List.of();
  private final java.util.Map<String, String> answerHeaders = new java.util.LinkedHashMap<>();
  // tracing (outside the stages)
  private java.util.Map<String, String> upstreamHeaders = java.util.Map.of(); // made only when a header is added
  private RequestTracing.Trace trace = RequestTracing.Trace.NONE;
  // call provider and meter
  private TokenUsage usage;
  private boolean usageEstimated;
  private Long ttftMs;
  private Money cost = Money.ZERO;
  private boolean upstreamCalled;
  private int upstreamCalls;
  private String responseModel;
  private java.util.List<String> finishReasons = java.util.List.of();
  private String completionText;
  // outcome
  private RequestStatus status = RequestStatus.OK;
  private GatewayError error;
  private int httpStatus = 200;
  private Instant endedAt;
  private long latencyMs;

  public Exchange(String requestId, Instant startedAt, long startNanos, Endpoint endpoint, GatewayState state,
      Function<String, String> header, byte[] rawBody) {
    this.requestId = requestId;
    this.startedAt = startedAt;
    this.startNanos = startNanos;
    this.endpoint = endpoint;
    this.state = state;
    this.header = header;
    this.rawBody = rawBody;
  }

  public String requestId() { return requestId; }
  public Instant startedAt() { return startedAt; }
  public long startNanos() { return startNanos; }
  public Endpoint endpoint() { return endpoint; }
  public GatewayState state() { return state; }
  /** A request header by case-insensitive name, or null. */
  public String header(String name) { return header.apply(name); }
  public byte[] rawBody() { return rawBody; }

  /** The client's request in its own protocol when the edge translated it (e.g. Anthropic Messages), else null. */
  public dev.tollgate.port.ProviderAdapter.NativeRequest nativeRequest() { return nativeRequest; }
  public void nativeRequest(dev.tollgate.port.ProviderAdapter.NativeRequest r) { this.nativeRequest = r; }

  public VirtualKey key() { return key; }
  public void key(VirtualKey key) { this.key = key; }

  public ObjectNode body() { return body; }
  public boolean stream() { return stream; }
  public boolean clientAskedForUsage() { return clientAskedForUsage; }
  public void decoded(ObjectNode body, boolean stream, boolean clientAskedForUsage) {
    this.body = body;
    this.stream = stream;
    this.clientAskedForUsage = clientAskedForUsage;
  }

  public Attribution attribution() { return attribution; }
  public void attribution(Attribution attribution) { this.attribution = attribution; }
  /** The business outcome the request reports about itself, recorded if it succeeds; or null. */
  public dev.tollgate.domain.outcome.RequestOutcome outcome() { return outcome; }
  public void outcome(dev.tollgate.domain.outcome.RequestOutcome outcome) { this.outcome = outcome; }

  /** The request's workload class, or null when no class applies. */
  public dev.tollgate.domain.policy.WorkloadClass workloadClass() { return workloadClass; }
  public String classReason() { return classReason; }
  public void classified(dev.tollgate.domain.policy.WorkloadClass c, String reason) {
    this.workloadClass = c;
    this.classReason = reason;
  }

  /** Prompt tokens, counted once on first use (classification rules and admission both need them). */
  public boolean promptTokensKnown() { return promptTokens >= 0; }

  public long promptTokens(java.util.function.LongSupplier count) {
    if (promptTokens < 0) promptTokens = count.getAsLong();
    return promptTokens;
  }

  /** Guardrail findings in the prompt, by type ({@code email → 2}). */
  public java.util.Map<String, Integer> findings() { return findings; }
  public void findings(java.util.Map<String, Integer> f) { this.findings = java.util.Map.copyOf(f); }
  /** Placeholders put into the prompt, to restore in the answer; null when nothing was redacted. */
  public dev.tollgate.domain.guard.RedactionMap redaction() { return redaction; }
  public void redaction(dev.tollgate.domain.guard.RedactionMap r) { this.redaction = r; }

  /** True when the prompt may only go to a private-tier model. */
  public boolean privateOnly() { return privateOnly; }
  public void privateOnly(boolean v) { this.privateOnly = v; }

  /** Models to try, in order, if the chosen one fails before answering. */
  public java.util.List<ModelRoute> fallbacks() { return fallbacks; }
  public void fallbacks(java.util.List<ModelRoute> f) { this.fallbacks = java.util.List.copyOf(f); }

  public String requestedModel() { return requestedModel; }
  public void requestedModel(String requestedModel) { this.requestedModel = requestedModel; }
  public ModelRoute route() { return route; }
  public String routeReason() { return routeReason; }
  public void routed(ModelRoute route, String reason) {
    this.route = route;
    this.routeReason = reason;
  }

  /** Prompt fingerprints, template, max_tokens and, for a cache hit, the cost saved. */
  public dev.tollgate.domain.usage.Efficiency efficiency() { return efficiency; }
  public void efficiency(dev.tollgate.domain.usage.Efficiency e) { this.efficiency = e; }
  /** True when the answer came from the response cache. */
  public boolean cacheHit() { return cacheHit; }
  public void cacheHit(boolean hit) { this.cacheHit = hit; }
  /** What the provider call sends the client through: the client itself, or a stage's tap around it (the cache's recorder). */
  public ClientChannel tapped(ClientChannel client) { return answerTap == null ? client : answerTap.apply(client); }
  public void answerTap(java.util.function.UnaryOperator<ClientChannel> tap) { this.answerTap = tap; }

  /** The exception this request relied on (extra budget or an unlocked tier), or null. */
  public String exceptionId() { return exceptionId; }
  public void exceptionId(String id) { this.exceptionId = id; }

  /** One budget's verdict in a simulation: would this request fit? */
  public record BudgetCheck(dev.tollgate.domain.budget.BudgetBook.Match match, long used, long reserved, long needed, boolean fits) {}

  public java.util.List<BudgetCheck> budgetChecks() { return budgetChecks; }
  public void budgetChecks(java.util.List<BudgetCheck> checks) { this.budgetChecks = java.util.List.copyOf(checks); }

  /** The budgets this request reserved in, or null if none covered it. */
  public BudgetHold budgetHold() { return budgetHold; }
  public void budgetHold(BudgetHold hold) { this.budgetHold = hold; }
  /** Extra headers for the answer (e.g. budget headroom), added by stages before the call. */
  public java.util.Map<String, String> answerHeaders() { return answerHeaders; }

  /** Headers sent with every upstream call of this request (e.g. {@code traceparent}), added outside the stages. */
  public java.util.Map<String, String> upstreamHeaders() { return upstreamHeaders; }
  public void upstreamHeader(String name, String value) {
    if (upstreamHeaders.isEmpty()) upstreamHeaders = new java.util.LinkedHashMap<>();
    upstreamHeaders.put(name, value);
  }
  public RequestTracing.Trace trace() { return trace; }
  public void trace(RequestTracing.Trace t) { this.trace = t; }

  /** The model the provider says answered ({@code model} of its answer), or null when unknown. */
  public String responseModel() { return responseModel; }
  /** Why generation stopped, per choice ({@code stop}, {@code length}, {@code tool_calls}…); empty when unknown. */
  public java.util.List<String> finishReasons() { return finishReasons; }
  public void answered(String model, java.util.List<String> reasons) {
    this.responseModel = model;
    this.finishReasons = java.util.List.copyOf(reasons);
  }

  /** True when the request's class turned prompt logging on: only then is the completion kept. */
  public boolean promptLogging() { return workloadClass != null && workloadClass.promptLogging(); }
  /** The answer's text, kept only when {@link #promptLogging()}; else null. */
  public String completionText() { return completionText; }
  public void completionText(String text) { this.completionText = text; }

  public TokenUsage usage() { return usage; }
  public boolean usageEstimated() { return usageEstimated; }
  public void usage(TokenUsage usage, boolean estimated) {
    this.usage = usage;
    this.usageEstimated = estimated;
  }
  public Long ttftMs() { return ttftMs; }
  public void ttftMs(long ttftMs) { this.ttftMs = ttftMs; }
  public Money cost() { return cost; }
  public void cost(Money cost) { this.cost = cost; }
  public boolean upstreamCalled() { return upstreamCalled; }
  /** Upstream calls made for this request: the first, its retries and fallbacks. */
  public int upstreamCalls() { return upstreamCalls; }
  public void markUpstreamCalled() {
    this.upstreamCalled = true;
    this.upstreamCalls++;
  }

  public RequestStatus status() { return status; }
  public GatewayError error() { return error; }
  public int httpStatus() { return httpStatus; }
  public void httpStatus(int httpStatus) { this.httpStatus = httpStatus; }

  /** Records how the request failed or was refused; the first reason given wins. */
  public void fail(GatewayError error) {
    if (this.error != null) return;
    this.error = error;
    this.status = error.kind().refusal() && !upstreamCalled ? RequestStatus.BLOCKED : RequestStatus.ERROR;
    this.httpStatus = error.httpStatus();
  }

  public Instant endedAt() { return endedAt; }
  public long latencyMs() { return latencyMs; }
  public void ended(Instant endedAt, long nowNanos) {
    this.endedAt = endedAt;
    this.latencyMs = (nowNanos - startNanos) / 1_000_000;
  }

  /** Milliseconds since the request arrived. */
  public long elapsedMs(long nowNanos) {
    return (nowNanos - startNanos) / 1_000_000;
  }
}
