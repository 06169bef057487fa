package dev.tollgate.provider.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.port.TokenCounter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulator's embeddings, in OpenAI's wire format: one unit-length vector per input, the same
 * for the same model, input and seed, of the requested {@code dimensions} (else 3072 for models
 * named "large", 1536 otherwise), as floats or base64 little-endian float32 as asked. Usage counts
 * every input's tokens (a token-id array counts its ids).
 */
final class SimulatedEmbeddings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenCounter tokens;
  private final long seed;

  SimulatedEmbeddings(TokenCounter tokens, long seed) {
    this.tokens = tokens;
    this.seed = seed;
  }

  byte[] answer(JsonNode body) {
    String model = body.path("model").asText("simulated");
    int dimensions = body.path("dimensions").asInt(0) > 0 ? body.get("dimensions").asInt()
        : model.toLowerCase(Locale.ROOT).contains("large") ? 3072 : 1536;
    boolean base64 = "base64".equals(body.path("encoding_format").asText());
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    JsonNode input = body.path("input");
    long promptTokens = 0;
    if (input.isTextual() || (input.isArray() && !input.isEmpty() && input.get(0).isIntegralNumber())) {
      promptTokens += add(data, 0, model, input, dimensions, base64);
    } else {
      for (int i = 0; i < input.size(); i++) promptTokens += add(data, i, model, input.get(i), dimensions, base64);
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the vector of one input; returns its tokens. */
  private long add(ArrayNode data, int index, String model, JsonNode input, int dimensions, boolean base64) {
    float[] v = vector(model, input.toString(), dimensions);
    ObjectNode item = data.addObject().put("object", "embedding").put("index", index);
    if (base64) {
      ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) bytes.putFloat(f);
      item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
    } else {
      ArrayNode values = item.putArray("embedding");
      for (float f : v) values.add(f);
    }
    return input.isTextual() ? tokens.count(model, input.asText()) : input.size();
  }

  /** Deterministic pseudo-random direction, normalised to length one as real embeddings are. */
  float[] vector(String model, String input, int dimensions) {
    SplittableRandom random = new SplittableRandom(seed ^ ((long) model.hashCode() << 32) ^ input.hashCode());
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      double d = random.nextDouble(-1, 1);
      v[i] = (float) d;
      norm += d * d;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) v[i] *= scale;
    return v;
  }
}
