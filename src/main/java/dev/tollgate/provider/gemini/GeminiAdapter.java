package dev.tollgate.provider.gemini;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.provider.openai.OpenAiPaths;
import dev.tollgate.provider.shared.Unserved;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.TranslatingSink;
import dev.tollgate.provider.shared.Untranslatable;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.provider.shared.ProviderContext;
import dev.tollgate.provider.shared.UpstreamHttp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's Gemini API: {@code POST {base}/models/{model}:generateContent}, or
 * {@code :streamGenerateContent?alt=sse} for a stream, key in {@code x-goog-api-key}. The OpenAI
 * request is translated ({@link GeminiRequests}) or refused with a 400 naming what cannot be; the
 * answer comes back in the OpenAI wire format ({@link GeminiAnswers}, {@link GeminiStream}).
 * Embeddings go to {@code :batchEmbedContents} ({@link GeminiEmbeddings}).
 */
public final class GeminiAdapter implements ProviderAdapter {

  private final Vertx vertx;
  private final ProviderConfig config;
  private final UpstreamHttp http;
  private final CallPolicy callPolicy;
  private final Clock clock;
  private final String base;

  public GeminiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, Clock clock) {
    this(vertx, config, server, clock, ProviderContext.SYSTEM);
  }

  public GeminiAdapter(Vertx vertx, ProviderConfig config, ServerConfig server, Clock clock, ProviderContext context) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.http = new UpstreamHttp(vertx, config, server, context);
    this.callPolicy = config.callPolicy(server.requestTimeout());
    this.base = UpstreamHttp.trimSlash(config.baseUrl());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return "gemini";
  }

  /** Chat (generateContent) and embeddings (batchEmbedContents). */
  @Override
  public boolean serves(String path) {
    return CHAT_COMPLETIONS.equals(path) || OpenAiPaths.EMBEDDINGS.equals(path);
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    if (!serves(request.path())) return UpstreamHttp.reply(vertx, 400, Unserved.errorBody(type(), request.path()), sink);
    if (OpenAiPaths.EMBEDDINGS.equals(request.path())) return embed(request, sink);
    byte[] body;
    String model;
    try {
      var openAi = OpenAiShapes.JSON.readTree(request.body());
      String gaps = Untranslatable.gapsIn(openAi);
      if (gaps != null) throw new Untranslatable(gaps);
      model = modelOf(request, openAi);
      body = OpenAiShapes.JSON.writeValueAsBytes(GeminiRequests.fromOpenAi(openAi));
    } catch (Untranslatable e) {
      return UpstreamHttp.reply(vertx, 400, Untranslatable.errorBody("Gemini", e.getMessage()), sink);
    } catch (IOException e) {
      return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
          "invalid_request_error", "invalid_request"), sink);
    }
    String url = base + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
        + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
    Map<String, String> headers = headers(request.stream(), request);
    long created = clock.instant().getEpochSecond();
    TranslatingSink translating = new TranslatingSink(sink, new TranslatingSink.Vendor() {
      @Override
      public String name() {
        return "Gemini";
      }

      @Override
      public byte[] completion(byte[] answer) throws IOException {
        return GeminiAnswers.completion(answer, created);
      }

      @Override
      public byte[] error(int status, Map<String, String> headers, byte[] answer) {
        return GeminiAnswers.error(status, answer);
      }

      @Override
      public TranslatingSink.StreamTranslator stream() {
        return new GeminiStream(created);
      }
    }, request.stream());
    return http.post(url, headers, (h, key) -> h.put("x-goog-api-key", key), body, translating);
  }

  @Override
  public CallPolicy callPolicy() {
    return callPolicy;
  }

  private CallHandle embed(ProviderRequest request, ResponseSink sink) {
    byte[] body;
    String model;
    boolean base64;
    try {
      var openAi = OpenAiShapes.JSON.readTree(request.body());
      model = modelOf(request, openAi);
      base64 = "base64".equals(openAi.path("encoding_format").asText());
      body = OpenAiShapes.JSON.writeValueAsBytes(GeminiEmbeddings.request(openAi, model));
    } catch (Untranslatable e) {
      return UpstreamHttp.reply(vertx, 400, Untranslatable.errorBody("Gemini", e.getMessage()), sink);
    } catch (IOException e) {
      return UpstreamHttp.reply(vertx, 400, OpenAiShapes.error("The request body could not be read: " + e.getMessage(),
          "invalid_request_error", "invalid_request"), sink);
    }
    String url = base + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":batchEmbedContents";
    TranslatingSink translating = new TranslatingSink(sink, new TranslatingSink.Vendor() {
      @Override
      public String name() {
        return "Gemini";
      }

      @Override
      public byte[] completion(byte[] answer) throws IOException {
        return GeminiEmbeddings.answer(answer, model, base64);
      }

      @Override
      public byte[] error(int status, Map<String, String> headers, byte[] answer) {
        return GeminiAnswers.error(status, answer);
      }

      @Override
      public TranslatingSink.StreamTranslator stream() {
        throw new IllegalStateException("embeddings are never streamed");
      }
    }, false);
    return http.post(url, headers(false, request), (h, key) -> h.put("x-goog-api-key", key), body, translating);
  }

  private static String modelOf(ProviderRequest request, com.fasterxml.jackson.databind.JsonNode openAi) {
    String model = request.upstreamModel() != null ? request.upstreamModel() : openAi.path("model").asText();
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  private Map<String, String> headers(boolean stream, ProviderRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (config.headers() != null) headers.putAll(config.headers());
    headers.putAll(request.headers());
    return headers;
  }

  @Override
  public void close() {
    http.close();
  }
}
