package dev.tollgate.provider.bedrock;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.shared.Unserved;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.TranslatingSink;
import dev.tollgate.provider.shared.Untranslatable;
import dev.tollgate.provider.shared.UpstreamHttp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS Bedrock's Converse API: {@code POST {base}/model/{modelId}/converse}, or
 * {@code /converse-stream} for a stream (AWS event-stream frames), signed with SigV4
 * ({@link BedrockSigner}). The OpenAI request is translated ({@link BedrockRequests}) or refused with
 * a 400 naming what cannot be; the answer comes back in the OpenAI wire format
 * ({@link BedrockAnswers}, {@link BedrockStream}).
 */
public final class BedrockAdapter implements ProviderAdapter {

  private final Vertx vertx;
  private final ProviderConfig config;
  private final UpstreamHttp http;
  private final dev.tollgate.domain.resilience.CallPolicy callPolicy;
  private final BedrockSigner signer;
  private final TokenCounter tokens;
  private final Clock clock;
  private final String base;

  public BedrockAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, TokenCounter tokens, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.clock = clock;
    this.http = new UpstreamHttp(vertx, config, server);
    this.callPolicy = config.callPolicy(server.requestTimeout());
    this.signer = new BedrockSigner(vertx, config, clock);
    this.base = UpstreamHttp.trimSlash(config.baseUrl());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return "bedrock";
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    if (!serves(request.path())) return UpstreamHttp.reply(vertx, 400, Unserved.errorBody(type(), request.path()), sink);
    byte[] body;
    String model;
    try {
      var openAi = OpenAiShapes.JSON.readTree(request.body());
      String gaps = Untranslatable.gapsIn(openAi);
      if (gaps != null) throw new Untranslatable(gaps);
      model = request.upstreamModel() != null ? request.upstreamModel() : openAi.path("model").asText();
      body = OpenAiShapes.JSON.writeValueAsBytes(BedrockRequests.fromOpenAi(openAi, model));
    } catch (Untranslatable e) {
      return UpstreamHttp.reply(vertx, 400, Untranslatable.errorBody("Bedrock", e.getMessage()), sink);
    } catch (IOException e) {
      return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
          "invalid_request_error", "invalid_request"), sink);
    }
    URI uri = URI.create(base + "/model/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
        + (request.stream() ? "/converse-stream" : "/converse"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", request.stream() ? "application/vnd.amazon.eventstream" : "application/json");
    if (config.headers() != null) headers.putAll(config.headers());
    headers.putAll(request.headers());
    long created = clock.instant().getEpochSecond();
    String served = model;
    TranslatingSink translating = new TranslatingSink(sink, new TranslatingSink.Vendor() {
      @Override
      public String name() {
        return "Bedrock";
      }

      @Override
      public byte[] completion(byte[] answer) throws IOException {
        return BedrockAnswers.completion(answer, served, tokens, created);
      }

      @Override
      public byte[] error(int status, Map<String, String> h, byte[] answer) {
        return BedrockAnswers.error(status, h, answer);
      }

      @Override
      public TranslatingSink.StreamTranslator stream() {
        return new BedrockStream(tokens, served, created);
      }
    }, request.stream());
    Deferred deferred = new Deferred();
    signer.sign(uri, headers, body).onComplete(signed -> {
      if (deferred.cancelled) return;
      if (signed.failed()) {
        String why = signed.cause().getMessage();
        deferred.handle = UpstreamHttp.reply(vertx, 502, OpenAiShapes.error("The gateway could not sign the request for Bedrock: "
            + (why == null ? signed.cause().getClass().getSimpleName() : why) + ". Check the provider's AWS credentials.",
            "api_error", "signing_failed"), translating);
        return;
      }
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.putAll(signed.result());
      deferred.handle = http.post(uri.toString(), all, body, translating);
    });
    return deferred;
  }

  @Override
  public dev.tollgate.domain.resilience.CallPolicy callPolicy() {
    return callPolicy;
  }

  @Override
  public void close() {
    http.close();
    signer.close();
  }

  /** The call's handle while the signature may still be on its way (credentials looked up off the event loop). */
  private static final class Deferred implements CallHandle {
    private CallHandle handle;
    private boolean cancelled;

    @Override
    public void pause() {
      if (handle != null) handle.pause();
    }

    @Override
    public void resume() {
      if (handle != null) handle.resume();
    }

    @Override
    public void cancel() {
      cancelled = true;
      if (handle != null) handle.cancel();
    }
  }
}
