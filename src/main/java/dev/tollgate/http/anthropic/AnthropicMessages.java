package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.Arrival;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.port.ProviderAdapter.NativeRequest;
import dev.tollgate.provider.shared.Untranslatable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/messages}, Anthropic's Messages API. The request is translated into an OpenAI
 * chat-completions body for the pipeline (which authenticates, attributes, routes, admits, calls,
 * meters and records it like any other), with the original kept as the exchange's native request
 * so that an Anthropic model is sent exactly what the client wrote. The answer comes back through
 * an {@link AnthropicChannel}, which speaks Anthropic to the client.
 */
public final class AnthropicMessages {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Request headers an Anthropic upstream needs to see as the client sent them. */
  private static final String[] PASSED_ON = {"anthropic-version", "anthropic-beta"};

  private final Pipeline pipeline;

  public AnthropicMessages(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  public void handle(Arrival arrival, byte[] body) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(body);
    } catch (IOException e) {
      parsed = null;
    }
    if (!(parsed instanceof ObjectNode)) {
      // Not a JSON object: the decode stage says so, after authentication, in Anthropic's shape.
      pipeline.handle(arrival.exchange(body), arrival.client());
      return;
    }
    AnthropicToOpenAi translation = AnthropicToOpenAi.translate(parsed);
    ObjectNode openAi = translation.body();
    Untranslatable.mark(openAi, translation.gaps());
    byte[] translated;
    try {
      translated = JSON.writeValueAsBytes(openAi);
    } catch (IOException e) {
      translated = body;
    }
    Exchange x = arrival.exchange(translated);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h : PASSED_ON) {
      String v = arrival.header().apply(h);
      if (v != null) headers.put(h, v);
    }
    x.nativeRequest(new NativeRequest("anthropic", body, Map.copyOf(headers)));
    pipeline.handle(x, arrival.client());
  }
}
