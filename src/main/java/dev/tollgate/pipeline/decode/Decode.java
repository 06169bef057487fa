package dev.tollgate.pipeline.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Stage;
import java.io.IOException;

/**
 * Reads the request body of the endpoint: an OpenAI chat completion, an embeddings request
 * ({@link EmbeddingsBody}) or a Responses API request ({@link ResponsesBody}). Only what the gateway
 * needs is checked ({@code model}, the prompt's shape, {@code stream}); every other field is kept as
 * it came and passed upstream.
 * Floats are read as decimals so that nothing the client sent changes on the way through.
 */
public final class Decode implements Stage {

  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Override
  public Decision apply(Exchange x) {
    JsonNode root;
    try {
      root = JSON.readTree(x.rawBody());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      return invalid("The request body is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      return invalid("The request body could not be read: " + e.getMessage());
    }
    String fields = x.endpoint() == Endpoint.CHAT_COMPLETIONS ? "'model' and 'messages'" : "'model' and 'input'";
    if (root == null || root.isMissingNode()) return invalid("The request body is empty; send a JSON object with " + fields + ".");
    if (!(root instanceof ObjectNode body)) return invalid("The request body must be a JSON object with " + fields + ".");
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      return invalid("'model' is required and must be a string naming a model; GET /v1/models lists the ones you may use.");
    }
    String invalidBody = switch (x.endpoint()) {
      case CHAT_COMPLETIONS -> chatProblem(body);
      case EMBEDDINGS -> EmbeddingsBody.problem(body);
      case RESPONSES -> ResponsesBody.problem(body);
    };
    if (invalidBody != null) return invalid(invalidBody);
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isBoolean() && !stream.isNull()) {
      return invalid("'stream' must be true or false.");
    }
    // Embeddings are never streamed; a stray flag is passed on for the provider to judge.
    boolean streaming = x.endpoint() != Endpoint.EMBEDDINGS && stream != null && stream.asBoolean(false);
    boolean askedForUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    x.decoded(body, streaming, askedForUsage);
    x.requestedModel(model.asText());
    return Decision.CONTINUE;
  }

  private static String chatProblem(ObjectNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) return "'messages' is required and must be a non-empty array.";
    return null;
  }

  private static Decision invalid(String message) {
    return Decision.stop(GatewayError.of(ErrorKind.INVALID_REQUEST, message));
  }
}
