package dev.tollgate.provider.shared;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Builds the OpenAI chat-completions shapes that translating adapters hand to the pipeline: stream
 * chunks, usage objects (with Tollgate's {@code prompt_tokens_details.cache_write_tokens}) and error
 * bodies.
 */
public final class OpenAiShapes {

  public static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Field of an OpenAI body or chunk that carries a vendor's own answer, for a client that spoke that
   * vendor's protocol: {@code {"protocol":"anthropic","body":{…}}} on a whole answer,
   * {@code {"protocol":"anthropic","events":"event: …\n\n"}} on a stream chunk. Internal: the edge that
   * asked for it consumes it; OpenAI clients never see it.
   */
  public static final String NATIVE_FIELD = "tollgate_native";
  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  private OpenAiShapes() {}

  /** A chunk with no choices yet. */
  public static ObjectNode chunk(String id, String model, long created) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    return c;
  }

  /** A chunk with one choice carrying {@code delta} and {@code finishReason} (may be null). */
  public static ObjectNode deltaChunk(String id, String model, long created, ObjectNode delta, String finishReason) {
    ObjectNode c = chunk(id, model, created);
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finishReason);
    return c;
  }

  /**
   * An OpenAI usage object. {@code prompt} counts every prompt token, cache reads and writes included.
   */
  public static ObjectNode usage(long prompt, long cacheRead, long cacheWrite, long completion, long reasoning) {
    ObjectNode u = JSON.createObjectNode();
    u.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead).put("cache_write_tokens", cacheWrite);
    u.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
    return u;
  }

  public static byte[] sse(ObjectNode chunk) {
    return ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] error(String message, String type, String code) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message).put("type", type).putNull("param");
    if (code == null) err.putNull("code");
    else err.put("code", code);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
