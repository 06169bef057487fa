package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.Arrival;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.pipeline.authenticate.Authenticate;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.ProviderAdapter.NativeRequest;
import dev.tollgate.port.ProviderAdapter.ProviderRequest;
import dev.tollgate.provider.anthropic.AnthropicAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/messages/count_tokens}, Anthropic's token counting. The key is checked and the
 * model must exist and be allowed to it; then the body goes, model renamed, to the model's Anthropic
 * provider and its answer comes back as it is ({@code X-Tollgate-Token-Count: provider}), or — for
 * a model another vendor serves — the gateway counts the prompt itself with the tokenizer it uses
 * for admission ({@code X-Tollgate-Token-Count: estimated}).
 *
 * <p>Counting is free at Anthropic and uses no model, so it is neither admitted against budgets nor
 * billed, and writes no ledger row: a client that counts before every call (coding agents do) would
 * otherwise double its request count.
 */
public final class CountTokens {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String HEADER = "x-tollgate-token-count";
  private static final int MAX_BODY = 64 * 1024;

  private final Authenticate authenticate;
  private final PromptEstimator estimator;

  public CountTokens(Authenticate authenticate, PromptEstimator estimator) {
    this.authenticate = authenticate;
    this.estimator = estimator;
  }

  public void handle(Arrival arrival, byte[] body) {
    Exchange x = arrival.exchange(body);
    var client = arrival.client();
    if (authenticate.apply(x) instanceof Decision.Stop stop) {
      client.sendError(stop.error());
      return;
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(body);
    } catch (IOException e) {
      client.sendError(invalid("The request body is not valid JSON: " + e.getMessage()));
      return;
    }
    if (!(parsed instanceof ObjectNode request) || !request.path("model").isTextual() || !request.path("messages").isArray()) {
      client.sendError(invalid("The request body must be a JSON object with 'model' (a string) and 'messages' (an array)."));
      return;
    }
    String model = request.get("model").asText();
    ModelRoute route = x.state().models().get(model);
    if (route == null) {
      client.sendError(GatewayError.of(ErrorKind.MODEL_NOT_FOUND,
          "The model '" + model + "' does not exist on this gateway. GET /v1/models lists the models your key may use."));
      return;
    }
    if (!x.key().allowsModel(model)) {
      client.sendError(GatewayError.of(ErrorKind.MODEL_NOT_ALLOWED, "The key '" + x.key().name() + "' may not use the model '" + model + "'."));
      return;
    }
    ModelRoute placement = route.placements().get(0);
    if (placement.provider().serves(AnthropicAdapter.COUNT_TOKENS)) relay(arrival, placement, body);
    else countLocally(arrival, placement, request);
  }

  private void countLocally(Arrival arrival, ModelRoute placement, ObjectNode request) {
    ObjectNode openAi = AnthropicToOpenAi.translate(request).body();
    long tokens = estimator.promptTokens(placement.upstream(), openAi);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put(HEADER, "estimated");
    arrival.client().sendBody(200, headers, ("{\"input_tokens\":" + tokens + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void relay(Arrival arrival, ModelRoute placement, byte[] body) {
    Map<String, String> passed = new LinkedHashMap<>();
    for (String h : new String[] {"anthropic-version", "anthropic-beta"}) {
      String v = arrival.header().apply(h);
      if (v != null) passed.put(h, v);
    }
    var client = arrival.client();
    ProviderRequest request = new ProviderRequest(AnthropicAdapter.COUNT_TOKENS, body, false, Map.of(), arrival.requestId(),
        new NativeRequest("anthropic", body, Map.copyOf(passed)), placement.upstream());
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    int[] status = {0};
    var handle = placement.provider().call(request, new ProviderAdapter.ResponseSink() {
      @Override
      public void onHead(int s, Map<String, String> headers) {
        status[0] = s;
      }

      @Override
      public void onData(byte[] chunk) {
        if (answer.size() < MAX_BODY) answer.writeBytes(chunk);
      }

      @Override
      public void onEnd() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put(HEADER, "provider");
        client.sendBody(status[0], headers, answer.toByteArray());
      }

      @Override
      public void onFailure(ProviderAdapter.UpstreamFailure failure) {
        client.sendError(GatewayError.of(failure.kind() == ProviderAdapter.UpstreamFailure.Kind.TIMEOUT ? ErrorKind.UPSTREAM_TIMEOUT
            : ErrorKind.UPSTREAM_UNAVAILABLE, "The provider '" + placement.provider().name() + "' could not count the tokens: "
            + failure.message() + "."));
      }
    });
    client.onClose(handle::cancel);
  }

  private static GatewayError invalid(String message) {
    return GatewayError.of(ErrorKind.INVALID_REQUEST, message);
  }
}
