package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.OpenAiShapes;
import dev.tollgate.provider.shared.Untranslatable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * OpenAI embeddings over Gemini's {@code models/{model}:batchEmbedContents}: every input string
 * becomes one request ({@code content.parts[0].text}, {@code outputDimensionality} from
 * {@code dimensions}); the answer's {@code embeddings[].values} become OpenAI's {@code data[]}, as
 * floats or base64 little-endian float32 as the client asked. Token-id input has no Gemini
 * equivalent and is refused. Gemini reports no token count for embeddings (only some deployments
 * send {@code usageMetadata.promptTokenCount}); without one the answer carries no {@code usage} and
 * the gateway bills its own count of the input, marked estimated in the ledger.
 */
final class GeminiEmbeddings {

  private GeminiEmbeddings() {}

  static ObjectNode request(JsonNode openAi, String model) {
    ObjectNode root = OpenAiShapes.JSON.createObjectNode();
    ArrayNode requests = root.putArray("requests");
    JsonNode input = openAi.path("input");
    if (input.isTextual()) add(requests, model, input.asText(), openAi);
    else {
      for (JsonNode item : input) {
        if (!item.isTextual()) throw new Untranslatable("token-id input (Gemini embeds text only; send the text)");
        add(requests, model, item.asText(), openAi);
      }
    }
    return root;
  }

  private static void add(ArrayNode requests, String model, String text, JsonNode openAi) {
    ObjectNode r = requests.addObject().put("model", "models/" + model);
    r.putObject("content").putArray("parts").addObject().put("text", text);
    if (openAi.path("dimensions").canConvertToInt()) r.put("outputDimensionality", openAi.get("dimensions").asInt());
  }

  static byte[] answer(byte[] body, String model, boolean base64) throws IOException {
    JsonNode gemini = OpenAiShapes.JSON.readTree(body);
    JsonNode embeddings = gemini.get("embeddings");
    if (embeddings == null || !embeddings.isArray()) throw new IOException("no 'embeddings' in Gemini's answer");
    ObjectNode root = OpenAiShapes.JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < embeddings.size(); i++) {
      JsonNode values = embeddings.get(i).path("values");
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode v : values) bytes.putFloat(v.floatValue());
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        item.set("embedding", values);
      }
    }
    root.put("model", model);
    JsonNode counted = gemini.path("usageMetadata").get("promptTokenCount");
    if (counted != null && counted.canConvertToLong()) {
      root.putObject("usage").put("prompt_tokens", counted.asLong()).put("total_tokens", counted.asLong());
    }
    return OpenAiShapes.JSON.writeValueAsBytes(root);
  }
}
