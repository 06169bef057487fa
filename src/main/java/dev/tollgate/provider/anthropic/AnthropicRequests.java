package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.provider.shared.Untranslatable;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI chat-completions request as an Anthropic Messages request. What Anthropic cannot do
 * the same way is refused ({@link Untranslatable}) rather than dropped; the mapping is documented in
 * docs/translation.md, and each refusal names the field.
 */
final class AnthropicRequests {

  static final ObjectMapper JSON = new ObjectMapper();

  /** OpenAI fields that do not change what the model generates: bookkeeping for the gateway or for OpenAI's storage. */
  private static final Set<String> IGNORED = Set.of("stream_options", "metadata", "store", "seed", "service_tier",
      "prompt_cache_key", "safety_identifier", "prediction", "user", Untranslatable.FIELD);
  /** OpenAI fields translated below, or refused below when set to something Anthropic cannot do. */
  private static final Set<String> HANDLED = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "temperature",
      "top_p", "stop", "stream", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort", "n", "logprobs", "top_logprobs",
      "frequency_penalty", "presence_penalty", "logit_bias", "response_format", "modalities", "audio",
      "web_search_options", "verbosity", "functions", "function_call");
  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  /** Thinking budgets for OpenAI's reasoning_effort (Anthropic's minimum budget is 1024). */
  private static final Map<String, Integer> THINKING_BUDGET = Map.of("low", 1024, "medium", 2048, "high", 4096);

  private AnthropicRequests() {}

  /**
   * @param defaultMaxTokens used when the request sets no limit (Anthropic requires one)
   */
  static ObjectNode fromOpenAi(JsonNode in, String model, int defaultMaxTokens) {
    ObjectNode out = JSON.createObjectNode();
    out.put("model", model);
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known(field)) throw new Untranslatable("the field '" + field + "' has no Anthropic equivalent");
    }
    refuseIfSet(in, "n", n -> n.asInt(1) != 1, "'n' above 1 (Anthropic returns one answer per request)");
    refuseIfSet(in, "logprobs", n -> n.asBoolean(false), "'logprobs' (Anthropic does not return token probabilities)");
    refuseIfSet(in, "top_logprobs", n -> !n.isNull(), "'top_logprobs' (Anthropic does not return token probabilities)");
    refuseIfSet(in, "frequency_penalty", n -> n.asDouble(0) != 0, "'frequency_penalty' (Anthropic has no penalties)");
    refuseIfSet(in, "presence_penalty", n -> n.asDouble(0) != 0, "'presence_penalty' (Anthropic has no penalties)");
    refuseIfSet(in, "logit_bias", n -> n.isObject() && !n.isEmpty(), "'logit_bias' (Anthropic has no token biases)");
    refuseIfSet(in, "response_format", n -> !"text".equals(n.path("type").asText("text")),
        "'response_format' " + in.path("response_format").path("type").asText() + " (Anthropic has no JSON mode; use a tool instead)");
    refuseIfSet(in, "modalities", n -> n.isArray() && (n.size() != 1 || !"text".equals(n.get(0).asText())),
        "'modalities' other than text");
    refuseIfSet(in, "audio", n -> !n.isNull(), "'audio' output");
    refuseIfSet(in, "web_search_options", n -> !n.isNull(), "'web_search_options' (OpenAI's built-in search)");
    refuseIfSet(in, "verbosity", n -> !n.isNull(), "'verbosity'");
    refuseIfSet(in, "functions", n -> !n.isNull(), "the legacy 'functions' (use 'tools')");
    refuseIfSet(in, "function_call", n -> !n.isNull(), "the legacy 'function_call' (use 'tool_choice')");

    int maxTokens = in.path("max_completion_tokens").canConvertToInt() ? in.get("max_completion_tokens").asInt()
        : in.path("max_tokens").canConvertToInt() ? in.get("max_tokens").asInt() : defaultMaxTokens;
    out.put("max_tokens", maxTokens);
    messages(in.path("messages"), out);
    if (in.has("temperature") && !in.get("temperature").isNull()) {
      JsonNode t = in.get("temperature");
      if (t.asDouble() > 1) throw new Untranslatable("'temperature' " + t.asText() + " (Anthropic accepts 0 to 1)");
      out.set("temperature", t);
    }
    if (in.has("top_p") && !in.get("top_p").isNull()) out.set("top_p", in.get("top_p"));
    JsonNode stop = in.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode seqs = out.putArray("stop_sequences");
      if (stop.isTextual()) seqs.add(stop.asText());
      else for (JsonNode s : stop) seqs.add(s.asText());
    }
    if (in.path("stream").asBoolean(false)) out.put("stream", true);
    if (in.path("user").isTextual()) out.putObject("metadata").put("user_id", in.get("user").asText());
    tools(in, out);
    reasoning(in, out, maxTokens);
    return out;
  }

  private static boolean known(String field) {
    return IGNORED.contains(field) || HANDLED.contains(field);
  }

  private static void refuseIfSet(JsonNode in, String field, java.util.function.Predicate<JsonNode> set, String what) {
    JsonNode v = in.get(field);
    if (v != null && !v.isNull() && set.test(v)) throw new Untranslatable(what);
  }

  // ---- messages ----

  private static void messages(JsonNode messages, ObjectNode out) {
    ArrayNode system = JSON.createArrayNode();
    ArrayNode turns = JSON.createArrayNode();
    boolean conversationStarted = false;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer" -> {
          if (conversationStarted) {
            throw new Untranslatable("a " + role + " message after the conversation started (Anthropic takes system "
                + "instructions only before the first message)");
          }
          for (JsonNode block : textBlocks(m.get("content"), role)) system.add(block);
        }
        case "user" -> {
          conversationStarted = true;
          append(turns, "user", userContent(m.get("content")));
        }
        case "assistant" -> {
          conversationStarted = true;
          ArrayNode blocks = assistantContent(m);
          if (!blocks.isEmpty()) append(turns, "assistant", blocks);
        }
        case "tool" -> {
          conversationStarted = true;
          ObjectNode result = JSON.createObjectNode().put("type", "tool_result")
              .put("tool_use_id", m.path("tool_call_id").asText());
          result.put("content", joinedText(m.get("content"), "tool"));
          append(turns, "user", JSON.createArrayNode().add(result));
        }
        case "function" -> throw new Untranslatable("a legacy 'function' message (use tool messages)");
        default -> throw new Untranslatable("a message with role '" + role + "'");
      }
    }
    if (!system.isEmpty()) {
      if (system.size() == 1) out.put("system", system.get(0).get("text").asText());
      else out.set("system", system);
    }
    out.set("messages", turns);
  }

  /** Adds blocks to the conversation, merging into the previous turn when it has the same role. */
  private static void append(ArrayNode turns, String role, ArrayNode blocks) {
    if (!turns.isEmpty()) {
      ObjectNode last = (ObjectNode) turns.get(turns.size() - 1);
      if (last.path("role").asText().equals(role)) {
        JsonNode content = last.get("content");
        ArrayNode merged = content.isArray() ? (ArrayNode) content : JSON.createArrayNode().add(text(content.asText()));
        // A tool result must come before anything else in its user turn.
        for (JsonNode b : blocks) merged.add(b);
        last.set("content", merged);
        return;
      }
    }
    ObjectNode turn = turns.addObject().put("role", role);
    if (blocks.size() == 1 && "text".equals(blocks.get(0).path("type").asText()) && blocks.get(0).size() == 2) {
      turn.put("content", blocks.get(0).get("text").asText());
    } else {
      turn.set("content", blocks);
    }
  }

  private static ObjectNode text(String s) {
    return JSON.createObjectNode().put("type", "text").put("text", s);
  }

  private static ArrayNode textBlocks(JsonNode content, String role) {
    ArrayNode out = JSON.createArrayNode();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) out.add(text(content.asText()));
      return out;
    }
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText())) {
        throw new Untranslatable("a '" + part.path("type").asText() + "' part in a " + role + " message (only text is possible there)");
      }
      if (!part.path("text").asText().isEmpty()) out.add(text(part.path("text").asText()));
    }
    return out;
  }

  private static String joinedText(JsonNode content, String role) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : textBlocks(content, role)) sb.append(b.get("text").asText());
    return sb.toString();
  }

  private static ArrayNode userContent(JsonNode content) {
    ArrayNode out = JSON.createArrayNode();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) return out.add(text(content.asText()));
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> out.add(text(part.path("text").asText()));
        case "image_url" -> out.add(image(part.path("image_url").path("url").asText()));
        case "file" -> out.add(document(part.path("file")));
        case "input_audio" -> throw new Untranslatable("audio input (Anthropic models take no audio)");
        default -> throw new Untranslatable("a '" + type + "' content part");
      }
    }
    return out;
  }

  static ObjectNode image(String url) {
    ObjectNode block = JSON.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      DataUrl d = DataUrl.parse(url);
      if (d == null) throw new Untranslatable("an image data URL that is not base64");
      if (!IMAGE_TYPES.contains(d.mediaType())) {
        throw new Untranslatable("an image of type " + d.mediaType() + " (Anthropic takes jpeg, png, gif and webp)");
      }
      source.put("type", "base64").put("media_type", d.mediaType()).put("data", d.data());
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      source.put("type", "url").put("url", url);
    } else {
      throw new Untranslatable("an image URL that is neither http(s) nor a data URL");
    }
    return block;
  }

  private static ObjectNode document(JsonNode file) {
    String data = file.path("file_data").asText("");
    DataUrl d = data.startsWith("data:") ? DataUrl.parse(data) : null;
    if (d == null || !"application/pdf".equals(d.mediaType())) {
      throw new Untranslatable("a file part other than an inline PDF (file_data as a data URL); file ids are OpenAI's own");
    }
    ObjectNode block = JSON.createObjectNode().put("type", "document");
    block.putObject("source").put("type", "base64").put("media_type", d.mediaType()).put("data", d.data());
    if (file.path("filename").isTextual()) block.put("title", file.get("filename").asText());
    return block;
  }

  /** {@code data:<type>;base64,<data>}. */
  record DataUrl(String mediaType, String data) {
    static DataUrl parse(String url) {
      int comma = url.indexOf(',');
      if (comma < 0) return null;
      String meta = url.substring(5, comma);
      if (!meta.endsWith(";base64")) return null;
      return new DataUrl(meta.substring(0, meta.length() - 7).toLowerCase(Locale.ROOT), url.substring(comma + 1));
    }
  }

  private static ArrayNode assistantContent(JsonNode m) {
    ArrayNode out = JSON.createArrayNode();
    if (m.has("audio") && !m.get("audio").isNull()) throw new Untranslatable("an assistant message with audio");
    if (m.has("function_call") && !m.get("function_call").isNull()) throw new Untranslatable("the legacy 'function_call' in a message");
    // Thinking goes back only with its signature; without one Anthropic would refuse it, and it drops
    // earlier turns' thinking anyway.
    for (JsonNode t : m.path("thinking_blocks")) {
      String type = t.path("type").asText();
      if ("thinking".equals(type) && t.path("signature").isTextual() && !t.get("signature").asText().isEmpty()) {
        out.addObject().put("type", "thinking").put("thinking", t.path("thinking").asText()).put("signature", t.get("signature").asText());
      } else if ("redacted_thinking".equals(type)) {
        out.addObject().put("type", "redacted_thinking").put("data", t.path("data").asText());
      }
    }
    JsonNode content = m.get("content");
    if (content != null && content.isTextual()) {
      if (!content.asText().isEmpty()) out.add(text(content.asText()));
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        String type = part.path("type").asText();
        String s = "refusal".equals(type) ? part.path("refusal").asText() : "text".equals(type) ? part.path("text").asText() : null;
        if (s == null) throw new Untranslatable("a '" + type + "' part in an assistant message");
        if (!s.isEmpty()) out.add(text(s));
      }
    }
    if (m.path("refusal").isTextual() && !m.get("refusal").asText().isEmpty() && (content == null || content.isNull())) {
      out.add(text(m.get("refusal").asText()));
    }
    for (JsonNode call : m.path("tool_calls")) {
      if (!"function".equals(call.path("type").asText("function"))) {
        throw new Untranslatable("a tool call of type '" + call.path("type").asText() + "'");
      }
      ObjectNode use = out.addObject().put("type", "tool_use").put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText());
      use.set("input", arguments(call.path("function").path("arguments")));
    }
    return out;
  }

  private static JsonNode arguments(JsonNode args) {
    if (args.isObject()) return args;
    String s = args.asText("");
    if (s.isBlank()) return JSON.createObjectNode();
    try {
      JsonNode parsed = JSON.readTree(s);
      if (parsed != null && parsed.isObject()) return parsed;
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw new Untranslatable("tool call arguments that are not a JSON object (Anthropic keeps tool input as an object): "
        + (s.length() > 60 ? s.substring(0, 60) + "…" : s));
  }

  // ---- tools and reasoning ----

  private static void tools(JsonNode in, ObjectNode out) {
    JsonNode tools = in.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode list = out.putArray("tools");
      for (JsonNode t : tools) {
        if (!"function".equals(t.path("type").asText())) {
          throw new Untranslatable("a tool of type '" + t.path("type").asText() + "' (only function tools translate)");
        }
        JsonNode fn = t.path("function");
        ObjectNode tool = list.addObject().put("name", fn.path("name").asText());
        if (fn.path("description").isTextual()) tool.put("description", fn.get("description").asText());
        JsonNode params = fn.get("parameters");
        tool.set("input_schema", params != null && params.isObject() ? params
            : JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode()));
      }
    }
    JsonNode choice = in.get("tool_choice");
    ObjectNode tc = null;
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        tc = JSON.createObjectNode().put("type", switch (choice.asText()) {
          case "none" -> "none";
          case "auto" -> "auto";
          case "required" -> "any";
          default -> throw new Untranslatable("tool_choice '" + choice.asText() + "'");
        });
      } else if ("function".equals(choice.path("type").asText())) {
        tc = JSON.createObjectNode().put("type", "tool").put("name", choice.path("function").path("name").asText());
      } else {
        throw new Untranslatable("tool_choice of type '" + choice.path("type").asText() + "'");
      }
    }
    JsonNode parallel = in.get("parallel_tool_calls");
    if (parallel != null && parallel.isBoolean() && !parallel.asBoolean() && out.has("tools")) {
      if (tc == null) tc = JSON.createObjectNode().put("type", "auto");
      if (!"none".equals(tc.path("type").asText())) tc.put("disable_parallel_tool_use", true);
    }
    if (tc != null && (out.has("tools") || "none".equals(tc.path("type").asText()))) out.set("tool_choice", tc);
  }

  private static void reasoning(JsonNode in, ObjectNode out, int maxTokens) {
    JsonNode effort = in.get("reasoning_effort");
    if (effort == null || effort.isNull()) return;
    String e = effort.asText();
    if (e.equals("none") || e.equals("minimal")) return;
    Integer budget = THINKING_BUDGET.get(e);
    if (budget == null) throw new Untranslatable("reasoning_effort '" + e + "'");
    if (maxTokens <= 1024) {
      throw new Untranslatable("reasoning_effort with max_completion_tokens " + maxTokens
          + " (Anthropic's thinking needs a budget of at least 1024 tokens below the limit)");
    }
    if (out.has("temperature") && out.get("temperature").asDouble() != 1) {
      throw new Untranslatable("reasoning_effort together with a temperature (Anthropic's thinking works only at the default)");
    }
    out.putObject("thinking").put("type", "enabled").put("budget_tokens", Math.min(budget, maxTokens - 1));
  }

  /** The model field of a native Anthropic body replaced by the provider's id; everything else kept. */
  static byte[] withModel(byte[] nativeBody, String model) throws java.io.IOException {
    JsonNode root = JSON.readTree(nativeBody);
    if (!(root instanceof ObjectNode obj)) throw new java.io.IOException("the body is not a JSON object");
    obj.set("model", TextNode.valueOf(model));
    return JSON.writeValueAsBytes(obj);
  }
}
