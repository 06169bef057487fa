package dev.tollgate.provider.anthropic;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.TranslatingSink;
import dev.tollgate.provider.shared.Unserved;
import dev.tollgate.provider.shared.Untranslatable;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.provider.shared.ProviderContext;
import dev.tollgate.provider.shared.UpstreamHttp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, key in {@code x-api-key}).
 *
 * <p>Two ways in: a client that spoke Anthropic itself has its own body sent as it came (model
 * renamed, {@code anthropic-version}/{@code anthropic-beta} passed on), so cache_control, thinking and
 * every beta feature survive; any other client's OpenAI body is translated
 * ({@link AnthropicRequests}), or refused with a 400 where that cannot be done faithfully. One way
 * out: the answer is translated into the OpenAI wire format for the pipeline ({@link AnthropicAnswers},
 * {@link AnthropicStream}); for an Anthropic client it also carries the original, which the edge relays.
 */
public final class AnthropicAdapter implements ProviderAdapter {

  static final String PROTOCOL = "anthropic";
  /** The upstream path of Anthropic's token counting, relative to the Messages API. */
  public static final String COUNT_TOKENS = "/messages/count_tokens";
  private static final int FALLBACK_MAX_TOKENS = 4096;

  private final Vertx vertx;
  private final ProviderConfig config;
  private final UpstreamHttp http;
  private final CallPolicy callPolicy;
  private final TokenCounter tokens;
  private final Function<String, Integer> outputLimits;
  private final Clock clock;
  private final String messagesUrl;

  /**
   * @param outputLimits a model's output limit, or null when unknown: the {@code max_tokens} sent
   *     for OpenAI requests that set none (Anthropic requires one); 4096 when unknown
   */
  public AnthropicAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, TokenCounter tokens,
      Function<String, Integer> outputLimits, Clock clock) {
    this(vertx, config, server, tokens, outputLimits, clock, ProviderContext.SYSTEM);
  }

  public AnthropicAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, TokenCounter tokens,
      Function<String, Integer> outputLimits, Clock clock, ProviderContext context) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.outputLimits = outputLimits;
    this.clock = clock;
    this.http = new UpstreamHttp(vertx, config, server, context);
    this.callPolicy = config.callPolicy(server.requestTimeout());
    String base = UpstreamHttp.trimSlash(config.baseUrl());
    if (base.endsWith("/v1")) base = base.substring(0, base.length() - 3);
    this.messagesUrl = base + "/v1/messages";
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return PROTOCOL;
  }

  /** Chat (Messages) and Anthropic's own token counting. */
  @Override
  public boolean serves(String path) {
    return CHAT_COMPLETIONS.equals(path) || COUNT_TOKENS.equals(path);
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    if (COUNT_TOKENS.equals(request.path())) return countTokens(request, sink);
    if (!serves(request.path())) return UpstreamHttp.reply(vertx, 400, Unserved.errorBody(type(), request.path()), sink);
    boolean nativeClient = request.nativeRequest() != null && PROTOCOL.equals(request.nativeRequest().protocol());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
    String version = config.setting("anthropic_version");
    headers.put("anthropic-version", version == null ? "2023-06-01" : version);
    byte[] body;
    if (nativeClient) {
      Map<String, String> nativeHeaders = request.nativeRequest().headers();
      if (nativeHeaders.get("anthropic-version") != null) headers.put("anthropic-version", nativeHeaders.get("anthropic-version"));
      if (nativeHeaders.get("anthropic-beta") != null) headers.put("anthropic-beta", nativeHeaders.get("anthropic-beta"));
      try {
        body = AnthropicRequests.withModel(request.nativeRequest().body(), request.upstreamModel());
      } catch (IOException e) {
        return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
            "invalid_request_error", "invalid_request"), sink);
      }
    } else {
      try {
        var openAi = OpenAiShapes.JSON.readTree(request.body());
        String model = request.upstreamModel() != null ? request.upstreamModel() : openAi.path("model").asText();
        Integer limit = outputLimits.apply(model);
        body = OpenAiShapes.JSON.writeValueAsBytes(
            AnthropicRequests.fromOpenAi(openAi, model, limit != null && limit > 0 ? limit : FALLBACK_MAX_TOKENS));
      } catch (Untranslatable e) {
        return UpstreamHttp.reply(vertx, 400, Untranslatable.errorBody("Anthropic", e.getMessage()), sink);
      } catch (IOException e) {
        return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
            "invalid_request_error", "invalid_request"), sink);
      }
    }
    if (config.headers() != null) headers.putAll(config.headers());
    headers.putAll(request.headers());
    long created = clock.instant().getEpochSecond();
    TranslatingSink translating = new TranslatingSink(sink, new TranslatingSink.Vendor() {
      @Override
      public String name() {
        return "Anthropic";
      }

      @Override
      public byte[] completion(byte[] answer) throws IOException {
        return AnthropicAnswers.completion(answer, tokens, nativeClient, created);
      }

      @Override
      public byte[] error(int status, Map<String, String> headers, byte[] answer) {
        return AnthropicAnswers.error(status, answer);
      }

      @Override
      public TranslatingSink.StreamTranslator stream() {
        return new AnthropicStream(tokens, nativeClient, created);
      }
    }, request.stream());
    return http.post(messagesUrl, headers, (h, key) -> h.put("x-api-key", key), body, translating);
  }

  @Override
  public CallPolicy callPolicy() {
    return callPolicy;
  }

  /**
   * {@code POST /v1/messages/count_tokens}: the Anthropic client's own body, model renamed, and the
   * answer ({@code {"input_tokens": n}} or Anthropic's error) relayed untranslated.
   */
  private CallHandle countTokens(ProviderRequest request, ResponseSink sink) {
    if (request.nativeRequest() == null) {
      return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("Token counting takes an Anthropic Messages body.",
          "invalid_request_error", "invalid_request"), sink);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    String version = config.setting("anthropic_version");
    headers.put("anthropic-version", version == null ? "2023-06-01" : version);
    headers.putAll(request.nativeRequest().headers());
    if (config.headers() != null) headers.putAll(config.headers());
    headers.putAll(request.headers()); // the gateway's own, e.g. the trace context
    byte[] body;
    try {
      body = AnthropicRequests.withModel(request.nativeRequest().body(), request.upstreamModel());
    } catch (IOException e) {
      return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
          "invalid_request_error", "invalid_request"), sink);
    }
    return http.post(messagesUrl + "/count_tokens", headers, (h, key) -> h.put("x-api-key", key), body, sink);
  }

  @Override
  public void close() {
    http.close();
  }
}
