package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.meter.Meter;
import dev.tollgate.pipeline.meter.OpenAiUsage;
import dev.tollgate.pipeline.meter.StreamMeter;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.ProviderAdapter.CallHandle;
import dev.tollgate.port.ProviderAdapter.ProviderRequest;
import dev.tollgate.port.ProviderAdapter.UpstreamFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.time.Clock;
import java.time.Duration;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.domain.resilience.RetryPolicy;
import dev.tollgate.port.UpstreamEvents;
import dev.tollgate.pipeline.ModelRoute;

/**
 * Calls the chosen provider and relays its answer.
 *
 * <p>Flow: the body goes upstream with the model renamed to the provider's own id and, when
 * streaming, {@code stream_options.include_usage} switched on so that the provider reports usage.
 * A streamed answer is forwarded event by event as it arrives ({@link StreamMeter}), pausing the
 * upstream while the client is slow; a whole answer is read (it is one JSON document), metered,
 * and sent with its cost header. Whatever happens — upstream error, timeout, stream cut, client
 * gone — {@code done} runs exactly once, just before the client gets its last bytes.
 */
public final class CallProvider {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** An error body longer than this is cut: it is only relayed, never needed whole. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final Meter meter;
  private final DeploymentBalancer balancer = new DeploymentBalancer(() -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  private final CircuitBreakers breakers;
  private final RetryTimer timer;
  private final UpstreamEvents events;
  private final Clock clock;
  private final DoubleSupplier jitter;

  public CallProvider(Meter meter) {
    this(meter, new CircuitBreakers(Clock.systemUTC(), UpstreamEvents.NONE), CallProvider::delayed, UpstreamEvents.NONE,
        Clock.systemUTC(), () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param timer runs retries after their wait on the request's loop
   * @param jitter random numbers in [0, 1) for the backoff's jitter
   */
  public CallProvider(Meter meter, CircuitBreakers breakers, RetryTimer timer, UpstreamEvents events, Clock clock,
      DoubleSupplier jitter) {
    this.meter = meter;
    this.breakers = breakers;
    this.timer = timer;
    this.events = events;
    this.clock = clock;
    this.jitter = jitter;
  }

  /** The default timer: the JDK's shared delayed executor, then back to the request's loop. */
  public static void delayed(long millis, java.util.concurrent.Executor loop, Runnable task) {
    java.util.concurrent.CompletableFuture.delayedExecutor(millis, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> loop.execute(task));
  }

  public void run(Exchange x, ClientChannel client, Supplier<CompletionStage<Void>> done) {
    Request request = new Request(x, client, done);
    client.onClose(request::clientGone);
    request.attempt(x.route());
  }

  /**
   * One request across its attempts. While nothing has reached the client, an attempt that fails with
   * 429, a 5xx, a timeout, a refused connection or a stream broken before its first event is, in this
   * order:
   *
   * <ol>
   *   <li>retried on the same deployment, if its provider's {@code retries} allow another, after the
   *       backoff or the provider's {@code Retry-After} (when that is within {@code max_retry_after}),
   *       unless the wait would end past the provider's total timeout counted from the request's
   *       arrival, or the deployment's breaker is no longer closed;
   *   <li>otherwise abandoned for the model's next deployment, then the next model of the class's
   *       fallback chain, said in {@code route_reason}. Deployments whose circuit breaker is open are
   *       skipped.
   * </ol>
   *
   * When hard budgets hold a reservation, only fallbacks no dearer than the reserved model are tried,
   * so that a fallback can never take a hard cap past its limit. Retries and fallbacks share the one
   * reservation made before the call, and the request is metered and recorded once.
   */
  private final class Request {
    final Exchange x;
    final ClientChannel client;
    final Supplier<CompletionStage<Void>> done;
    final Deque<ModelRoute> remaining;
    final ModelRoute reserved;
    Call current;
    boolean finished;
    /** Retries made on the current deployment. */
    int retriesHere;
    /** Waiting for a retry's timer: no call in flight. */
    boolean waiting;

    Request(Exchange x, ClientChannel client, Supplier<CompletionStage<Void>> done) {
      this.x = x;
      this.client = client;
      this.done = done;
      this.reserved = x.route();
      this.remaining = new ArrayDeque<>(x.fallbacks());
    }

    /**
     * Calls {@code model}: the first of its deployments in the balancer's order whose breaker lets it
     * through; the ones after it go first in the fallback order. When every deployment's breaker is
     * open, the next fallback is tried, or the request fails at once without calling anyone.
     */
    void attempt(ModelRoute model) {
      List<ModelRoute> order = balancer.order(model);
      int chosen = -1;
      for (int i = 0; i < order.size() && chosen < 0; i++) if (breakers.allow(order.get(i))) chosen = i;
      if (chosen < 0) {
        ModelRoute next = nextFallback();
        if (next != null) {
          fallBack(next, "circuit_open");
        } else {
          current = new Call(this, model);
          current.circuitOpen();
        }
        return;
      }
      for (int i = order.size() - 1; i > chosen; i--) remaining.addFirst(order.get(i));
      ModelRoute deployment = order.get(chosen);
      if (deployment != model) x.routed(deployment, x.routeReason());
      retriesHere = 0;
      start(deployment);
    }

    void start(ModelRoute deployment) {
      waiting = false;
      current = new Call(this, deployment);
      current.start();
    }

    /**
     * The wait before trying {@code deployment} again, or null when it is not to be retried: no
     * retries left, a {@code Retry-After} beyond the provider's bound, a wait past the deadline, or a
     * breaker that is no longer closed.
     */
    Long retryWait(ModelRoute deployment, Duration retryAfter) {
      CallPolicy policy = deployment.provider().callPolicy();
      RetryPolicy retries = policy.retries();
      if (finished || client.started() || retriesHere >= retries.max()) return null;
      if (policy.breaker() != null && breakers.state(CircuitBreakers.key(deployment)) != CircuitBreakers.State.CLOSED) return null;
      long wait;
      if (retryAfter != null) {
        if (retryAfter.compareTo(retries.maxRetryAfter()) > 0) return null;
        wait = retryAfter.toMillis();
      } else {
        wait = retries.backoffMillis(retriesHere, jitter.getAsDouble());
      }
      if (policy.deadline() != null && x.elapsedMs(System.nanoTime()) + wait >= policy.deadline().toMillis()) return null;
      return wait;
    }

    void retry(ModelRoute deployment, long wait, String cause) {
      retriesHere++;
      waiting = true;
      events.retried(deployment.provider().name(), deployment.upstream(), cause);
      timer.after(wait, client.loop(), () -> {
        if (!finished && waiting) start(deployment);
      });
    }

    /** The next fallback to try, if nothing reached the client yet and one is left; null otherwise. */
    ModelRoute nextFallback() {
      if (finished || client.started()) return null;
      while (!remaining.isEmpty() && x.budgetHold() != null && dearer(remaining.peek(), reserved)) remaining.poll();
      return remaining.poll();
    }

    void fallBack(ModelRoute next, String cause) {
      String from = x.route().name().equals(next.name()) ? x.route().name() + "@" + x.route().provider().name() : x.route().name();
      x.routed(next, "fallback:" + from + ":" + cause);
      attempt(next);
    }

    void clientGone() {
      if (current == null) return;
      if (waiting) {
        waiting = false;
        current.clientGoneWhileWaiting();
      } else {
        current.clientGone();
      }
    }
  }

  private static boolean dearer(ModelRoute a, ModelRoute b) {
    var ra = a.price().base();
    var rb = b.price().base();
    return ra.inputNanosPerMTok() > rb.inputNanosPerMTok() || ra.outputNanosPerMTok() > rb.outputNanosPerMTok()
        || !a.price().tiers().isEmpty();
  }

  private final class Call implements ProviderAdapter.ResponseSink {
    private final Request request;
    private final Exchange x;
    private final ClientChannel client;
    private final ModelRoute route;
    private final StreamMeter streamMeter;
    private final StreamOutputGuard outputGuard;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private CallHandle handle;
    private int upstreamStatus;
    private boolean abandoned;
    private final long startNanos = System.nanoTime();

    Call(Request request, ModelRoute route) {
      this.request = request;
      this.x = request.x;
      this.client = request.client;
      this.route = route;
      this.streamMeter = x.stream() ? new StreamMeter(x.clientAskedForUsage(), x.redaction()) : null;
      this.outputGuard = x.stream() && OutputGuard.on(x) ? new StreamOutputGuard(x) : null;
    }

    void start() {
      // Only chat completions need asking for usage; a Responses stream reports it in response.completed.
      boolean askForUsage = x.stream() && x.endpoint() == dev.tollgate.pipeline.Endpoint.CHAT_COMPLETIONS;
      byte[] bytes;
      try {
        boolean redacted = x.redaction() != null && !x.redaction().isEmpty();
        byte[] spliced = redacted || x.rawBody() == null ? null : UpstreamBody.splice(x.rawBody(), route.upstream(), askForUsage);
        bytes = spliced != null ? spliced
            : UpstreamBody.encode(x.body(), route.upstream(), askForUsage, x.rawBody() == null ? 0 : x.rawBody().length);
      } catch (IOException e) {
        fail(GatewayError.of(ErrorKind.INTERNAL, "The request could not be encoded for the provider."));
        return;
      }
      x.markUpstreamCalled();
      handle = route.provider().call(
          new ProviderRequest(x.endpoint().upstreamPath(), bytes, x.stream(), x.upstreamHeaders(), x.requestId(), nativeRequest(),
              route.upstream()), this);
    }

    /**
     * The client's own request for an adapter that can pass it through, unless a guard changed the
     * prompt or reads the answer: both work on the OpenAI shape, which a passed-through request and
     * answer would bypass.
     */
    private ProviderAdapter.NativeRequest nativeRequest() {
      boolean guarded = OutputGuard.on(x) || (x.redaction() != null && !x.redaction().isEmpty());
      return guarded ? null : x.nativeRequest();
    }

    /** True when this attempt's callbacks no longer matter (finished, or replaced by a fallback). */
    private boolean gone() {
      return abandoned || request.finished;
    }

    /**
     * Gives up this attempt for a retry on the same deployment or else the next fallback, if either is
     * allowed; false (and nothing changed but the failure counted) if not.
     *
     * @param retryAfter the provider's {@code Retry-After}, or null
     * @param deploymentFault whether the failure counts against the deployment's breaker (a 429 does not)
     */
    private boolean abandonFor(String cause, Duration retryAfter, boolean deploymentFault) {
      balancer.failed(route);
      if (deploymentFault) breakers.failed(route);
      else breakers.released(route);
      Long wait = request.retryWait(route, retryAfter);
      if (wait != null) {
        abandoned = true;
        if (handle != null) handle.cancel();
        request.retry(route, wait, cause);
        return true;
      }
      ModelRoute next = request.nextFallback();
      if (next == null) return false;
      abandoned = true;
      if (handle != null) handle.cancel();
      request.fallBack(next, cause);
      return true;
    }

    @Override
    public void onHead(int status, Map<String, String> headers) {
      if (gone()) return;
      upstreamStatus = status;
      if (status == 429 || status >= 500) {
        Duration retryAfter = RetryPolicy.retryAfter(headers.get("retry-after"), clock.instant());
        if (abandonFor(Integer.toString(status), retryAfter, status >= 500)) return;
      } else {
        breakers.succeeded(route);
      }
      if (ok()) balancer.observed(route, (System.nanoTime() - startNanos) / 1_000_000);
      // A stream's head goes to the client with its first event, not before: until then a fallback is still possible.
    }

    @Override
    public void onData(byte[] chunk) {
      if (gone()) return;
      if (!ok() || !x.stream()) {
        if (ok() || body.size() < MAX_ERROR_BODY) body.writeBytes(chunk);
        return;
      }
      byte[] out = streamMeter.accept(chunk);
      if (outputGuard != null) out = outputGuard.accept(out);
      if (x.ttftMs() == null && streamMeter.sawContent()) x.ttftMs(x.elapsedMs(System.nanoTime()));
      if (out.length > 0) {
        startStream();
        client.write(out);
      }
      if (outputGuard != null && outputGuard.stopped()) {
        stopForOutput();
        return;
      }
      if (client.writeQueueFull()) {
        handle.pause();
        client.onDrain(handle::resume);
      }
    }

    @Override
    public void onEnd() {
      if (gone()) return;
      if (!ok()) {
        relayUpstreamError();
        return;
      }
      if (x.stream()) {
        byte[] rest = streamMeter.remainder();
        if (outputGuard != null) {
          byte[] guarded = outputGuard.accept(rest);
          byte[] held = outputGuard.finish();
          rest = java.util.Arrays.copyOf(guarded, guarded.length + held.length);
          System.arraycopy(held, 0, rest, guarded.length, held.length);
        }
        if (rest.length > 0) {
          startStream();
          client.write(rest);
        }
        if (outputGuard != null && outputGuard.stopped()) {
          stopForOutput();
          return;
        }
        startStream();
        TokenUsage usage = streamMeter.reportedUsage();
        if (usage != null) x.usage(usage, false);
        finish(client::end);
      } else {
        byte[] bytes = body.toByteArray();
        x.ttftMs(x.elapsedMs(System.nanoTime()));
        try {
          // Read without building the answer's tree; only a class that logs prompts needs its text.
          var facts = dev.tollgate.pipeline.meter.AnswerFacts.read(bytes);
          if (facts.usage() != null) x.usage(facts.usage(), false);
          x.answered(facts.model(), facts.finishReasons());
          if (x.promptLogging()) x.completionText(completionText(JSON.readTree(bytes)));
        } catch (IOException e) {
          // An unreadable body is still the provider's answer: relay it, estimate the usage.
        }
        meter.complete(x, null);
        byte[] restored = x.redaction() != null && x.redaction().restoresAnything() ? restore(bytes) : bytes;
        OutputGuard.Verdict verdict = OutputGuard.on(x) ? OutputGuard.whole(restored, x) : new OutputGuard.Verdict(restored, null);
        if (verdict.refusal() != null) {
          fail(verdict.refusal());
          return;
        }
        byte[] answer = verdict.answer();
        Map<String, String> headers = baseHeaders();
        headers.put("content-type", "application/json");
        headers.put("x-tollgate-cost-usd", x.cost().toUsdString());
        finish(() -> client.sendBody(200, headers, answer));
      }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
      if (gone()) return;
      if (abandonFor(failure.kind().name().toLowerCase(java.util.Locale.ROOT), null, true)) return;
      String provider = route.provider().name();
      GatewayError error = switch (failure.kind()) {
        case CONNECT -> GatewayError.of(ErrorKind.UPSTREAM_UNAVAILABLE,
            "The provider '" + provider + "' could not be reached: " + failure.message() + ". Try again shortly.");
        case TIMEOUT -> GatewayError.of(ErrorKind.UPSTREAM_TIMEOUT,
            "The provider '" + provider + "' did not answer in time: " + failure.message() + ".");
        case RESET -> GatewayError.of(ErrorKind.UPSTREAM_STREAM_BROKEN,
            "The provider '" + provider + "' broke off its answer: " + failure.message() + ".");
      };
      if (x.stream() && client.started()) {
        TokenUsage usage = streamMeter.reportedUsage();
        if (usage != null) x.usage(usage, false);
        x.fail(GatewayError.of(ErrorKind.UPSTREAM_STREAM_BROKEN, error.message()));
        finish(() -> {
          client.write(x.endpoint() == dev.tollgate.pipeline.Endpoint.RESPONSES ? responsesError(x.error()) : sseError(x.error()));
          client.end();
        });
        return;
      }
      if (failure.kind() == UpstreamFailure.Kind.CONNECT) x.usage(TokenUsage.NONE, false); // nothing reached it
      fail(error);
    }

    /** The output guard found what the class blocks: the stream ends here with an error event, the upstream is dropped. */
    private void stopForOutput() {
      TokenUsage usage = streamMeter.reportedUsage();
      if (usage != null) x.usage(usage, false);
      x.fail(outputGuard.refusal());
      finish(() -> {
        if (!client.started()) {
          client.sendError(x.error());
        } else {
          client.write(sseError(x.error()));
          client.end();
        }
      });
      if (handle != null) handle.cancel();
    }

    void clientGone() {
      if (gone()) return;
      if (handle != null) handle.cancel();
      if (upstreamStatus == 0) breakers.released(route);
      if (streamMeter != null && streamMeter.reportedUsage() != null) x.usage(streamMeter.reportedUsage(), false);
      x.fail(GatewayError.of(ErrorKind.CLIENT_DISCONNECTED, "The client closed the connection before the answer ended."));
      finish(() -> {});
    }

    /** The client left while a retry was waiting: nothing is in flight, the request ends here. */
    void clientGoneWhileWaiting() {
      if (request.finished) return;
      if (x.usage() == null) x.usage(TokenUsage.NONE, false);
      x.fail(GatewayError.of(ErrorKind.CLIENT_DISCONNECTED, "The client closed the connection before the answer ended."));
      finish(() -> {});
    }

    /** Every deployment of the model, and every fallback, has its breaker open: fail at once, calling no one. */
    void circuitOpen() {
      x.usage(TokenUsage.NONE, false);
      fail(GatewayError.of(ErrorKind.UPSTREAM_UNAVAILABLE, "Every deployment of '" + route.name()
          + "' is out of rotation after repeated failures (circuit breaker open), and no fallback is left."
          + " It is tried again once its breaker's open time has passed; try again shortly."));
    }

    private void relayUpstreamError() {
      String provider = route.provider().name();
      String message = "The provider '" + provider + "' answered with HTTP " + upstreamStatus + ".";
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("provider", provider);
      details.put("upstream_status", upstreamStatus);
      try {
        JsonNode root = JSON.readTree(body.toByteArray());
        JsonNode err = root.path("error");
        if (err.path("message").isTextual()) message += " Its message: " + err.get("message").asText();
        if (err.path("code").isValueNode() && !err.path("code").isNull()) details.put("upstream_code", err.get("code").asText());
        if (err.path("type").isTextual()) details.put("upstream_type", err.get("type").asText());
        TokenUsage usage = OpenAiUsage.parse(root.get("usage"));
        if (usage != null) x.usage(usage, false); // a failed call that consumed tokens is billed
      } catch (IOException e) {
        // Not JSON: the status says enough.
      }
      if (x.usage() == null) x.usage(TokenUsage.NONE, false); // a refused upstream call consumed nothing
      fail(new GatewayError(ErrorKind.UPSTREAM_ERROR, upstreamStatus, message, details));
    }

    private void fail(GatewayError error) {
      x.fail(error);
      finish(() -> {
        if (!client.started()) client.sendError(error);
        else client.end();
      });
    }

    /**
     * Meters and records the request, then sends the client its last bytes. In that order, so that
     * an answer the client has in full always has its ledger row handed over already.
     */
    private void finish(Runnable lastWrite) {
      if (request.finished) return;
      request.finished = true;
      if (streamMeter != null) x.answered(streamMeter.model(), streamMeter.finishReasons());
      if (streamMeter != null && x.promptLogging()) x.completionText(streamMeter.generatedText());
      meter.complete(x, streamMeter == null ? null : streamMeter.generatedText());
      java.util.concurrent.CompletionStage<Void> recorded;
      try {
        recorded = request.done.get();
      } catch (RuntimeException e) {
        recorded = java.util.concurrent.CompletableFuture.completedStage(null);
      }
      dev.tollgate.pipeline.Pipeline.afterRecorded(recorded, client, lastWrite);
    }

    /** Puts the allowed placeholders of the guard back into a whole answer's message texts. */
    private byte[] restore(byte[] answer) {
      try {
        JsonNode root = JSON.readTree(answer);
        boolean changed = false;
        for (JsonNode choice : root.path("choices")) {
          JsonNode content = choice.path("message").get("content");
          if (content != null && content.isTextual()) {
            String restored = x.redaction().restore(content.asText());
            if (!restored.equals(content.asText())) {
              ((ObjectNode) choice.get("message")).put("content", restored);
              changed = true;
            }
          }
        }
        return changed ? JSON.writeValueAsBytes(root) : answer;
      } catch (IOException e) {
        return answer;
      }
    }

    private void startStream() {
      if (!client.started()) client.startStream(200, streamHeaders());
    }

    private boolean ok() {
      return upstreamStatus >= 200 && upstreamStatus < 300;
    }

    private Map<String, String> baseHeaders() {
      Map<String, String> h = new LinkedHashMap<>(x.answerHeaders());
      if (!x.route().name().equals(x.requestedModel())) h.put("x-tollgate-routed-model", x.route().name());
      return h;
    }

    private Map<String, String> streamHeaders() {
      Map<String, String> h = baseHeaders();
      h.put("content-type", "text/event-stream; charset=utf-8");
      h.put("cache-control", "no-cache");
      return h;
    }
  }

  static byte[] sseError(GatewayError error) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", error.message());
    err.put("type", error.kind().type());
    err.put("code", error.kind().code());
    return ("data: " + root + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The Responses API's own stream error event: {@code event: error} with a typed payload. */
  static byte[] responsesError(GatewayError error) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "error").put("code", error.kind().code()).put("message", error.message()).putNull("param");
    return ("event: error\ndata: " + root + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The text of a whole answer's choices (or of a Responses API answer's output), for prompt logging. */
  private static String completionText(JsonNode answer) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : answer.path("choices")) {
      if (c.path("message").path("content").isTextual()) sb.append(c.get("message").get("content").asText());
    }
    for (JsonNode o : answer.path("output")) {
      for (JsonNode part : o.path("content")) if (part.path("text").isTextual()) sb.append(part.get("text").asText());
    }
    return sb.toString();
  }

  /** The finish reasons of a whole answer: per choice (chat completions) or the Responses API's status. */
}
