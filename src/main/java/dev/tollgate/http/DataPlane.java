package dev.tollgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.http.anthropic.AnthropicChannel;
import dev.tollgate.http.anthropic.AnthropicErrorChannel;
import dev.tollgate.http.anthropic.CountTokens;
import dev.tollgate.http.anthropic.AnthropicMessages;
import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.pipeline.authenticate.Authenticate;
import dev.tollgate.pipeline.ModelRoute;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The data-plane routes: OpenAI-compatible (chat completions, embeddings, the Responses API, models),
 * and Anthropic's {@code /v1/messages} (translated at the edge, see {@link AnthropicMessages}) and
 * {@code /v1/messages/count_tokens} ({@link CountTokens}). A handler only reads the request (bounded by the body limit),
 * builds the {@link Exchange} and hands it to the {@link Pipeline}; all decisions are the stages'.
 */
public final class DataPlane {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Pipeline pipeline;
  private final Supplier<GatewayState> state;
  private final LongSupplier maxBodyBytes;
  private final Clock clock;
  private final Authenticate authenticate;
  private final PromptEstimator estimator;

  public DataPlane(Pipeline pipeline, Supplier<GatewayState> state, LongSupplier maxBodyBytes, Clock clock) {
    this(pipeline, state, maxBodyBytes, clock, null);
  }

  /** @param estimator counts prompts for {@code /v1/messages/count_tokens} when no Anthropic provider can */
  public DataPlane(Pipeline pipeline, Supplier<GatewayState> state, LongSupplier maxBodyBytes, Clock clock, PromptEstimator estimator) {
    this.pipeline = pipeline;
    this.estimator = estimator;
    this.state = state;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
    this.authenticate = new Authenticate(clock);
  }

  public void mount(Router router) {
    router.post("/v1/chat/completions").handler(ctx -> receive(ctx.request(), (c, id) -> c,
        (arrival, body) -> pipeline.handle(arrival.exchange(body), arrival.client())));
    router.post("/v1/embeddings").handler(ctx -> receive(ctx.request(), (c, id) -> c,
        (arrival, body) -> pipeline.handle(arrival.exchange(Endpoint.EMBEDDINGS, body), arrival.client())));
    router.post("/v1/responses").handler(ctx -> receive(ctx.request(), (c, id) -> c,
        (arrival, body) -> pipeline.handle(arrival.exchange(Endpoint.RESPONSES, body), arrival.client())));
    AnthropicMessages messages = new AnthropicMessages(pipeline);
    router.post("/v1/messages").handler(ctx -> receive(ctx.request(), AnthropicChannel::new, messages::handle));
    if (estimator != null) {
      CountTokens count = new CountTokens(authenticate, estimator);
      // Errors in Anthropic's shape; a counted answer is relayed as it is, so not through AnthropicChannel.
      router.post("/v1/messages/count_tokens").handler(ctx -> receive(ctx.request(),
          (c, id) -> new AnthropicErrorChannel(c, id), count::handle));
    }
    router.get("/v1/models").handler(ctx -> models(ctx.request()));
  }

  /**
   * Reads a data-plane request's body (bounded by the body limit; an oversized one is refused and
   * recorded) and hands it on, with a client channel in the route's protocol.
   *
   * @param protocol wraps the raw connection into the protocol's own channel (request id given)
   */
  private void receive(HttpServerRequest request, BiFunction<ClientChannel, String, ClientChannel> protocol,
      BiConsumer<Arrival, byte[]> then) {
    long startNanos = System.nanoTime();
    var startedAt = clock.instant();
    String requestId = RequestIds.next(startedAt.toEpochMilli());
    GatewayState snapshot = state.get();
    ClientChannel client = protocol.apply(new VertxClientChannel(request.response(), requestId), requestId);
    long limit = maxBodyBytes.getAsLong();

    String declared = request.getHeader("content-length");
    long declaredLength = declared == null ? -1 : parseLong(declared);
    if (declaredLength > limit) {
      Exchange x = new Exchange(requestId, startedAt, startNanos, Endpoint.CHAT_COMPLETIONS, snapshot, request::getHeader, new byte[0]);
      closeAfterAnswer(request);
      pipeline.refuse(x, client, tooLarge(limit));
      return;
    }
    BodyBytes body = BodyBytes.expecting(declaredLength);
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) return;
      if ((long) body.length() + chunk.length() > limit) {
        refused[0] = true;
        Exchange x = new Exchange(requestId, startedAt, startNanos, Endpoint.CHAT_COMPLETIONS, snapshot, request::getHeader, new byte[0]);
        closeAfterAnswer(request);
        pipeline.refuse(x, client, tooLarge(limit));
        return;
      }
      body.append(chunk);
    });
    request.endHandler(v -> {
      if (refused[0]) return;
      then.accept(new Arrival(requestId, startedAt, startNanos, snapshot, request::getHeader, client), body.bytes());
    });
    request.resume();
  }

  private void models(HttpServerRequest request) {
    var now = clock.instant();
    String requestId = RequestIds.next(now.toEpochMilli());
    GatewayState snapshot = state.get();
    Exchange x = new Exchange(requestId, now, System.nanoTime(), Endpoint.CHAT_COMPLETIONS, snapshot, request::getHeader, new byte[0]);
    HttpServerResponse response = request.response();
    Decision decision = authenticate.apply(x);
    if (decision instanceof Decision.Stop stop) {
      new VertxClientChannel(response, requestId).sendError(stop.error());
      return;
    }
    VirtualKey key = x.key();
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (ModelRoute m : snapshot.models().values()) {
      if (!key.allowsModel(m.name())) continue;
      ObjectNode entry = data.addObject().put("id", m.name()).put("object", "model").put("created", 0).put("owned_by", m.provider().name());
      if (m.tier() != null) entry.put("tier", m.tier());
    }
    response.putHeader("content-type", "application/json").putHeader("x-tollgate-request-id", requestId).end(root.toString());
  }

  /** The rest of an oversized body is not read; on HTTP/1 the connection cannot be reused after that. */
  private static void closeAfterAnswer(HttpServerRequest request) {
    if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2) request.response().putHeader("connection", "close");
  }

  private static GatewayError tooLarge(long limit) {
    return GatewayError.of(ErrorKind.REQUEST_TOO_LARGE,
        "The request body is larger than this gateway's limit of " + limit + " bytes (server.max_body_bytes). "
            + "Shorten the prompt or ask an admin to raise the limit.");
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
