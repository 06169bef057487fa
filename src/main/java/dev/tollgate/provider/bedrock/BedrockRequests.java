package dev.tollgate.provider.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.Untranslatable;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI chat-completions request as a Bedrock Converse request. What Converse cannot do the
 * same way is refused ({@link Untranslatable}); docs/translation.md has the table.
 */
final class BedrockRequests {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> IGNORED = Set.of("model", "messages", "stream", "stream_options", "metadata", "store",
      "service_tier", "user", "seed", "prompt_cache_key", "safety_identifier", Untranslatable.FIELD);
  private static final Set<String> MAPPED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "n",
      "tools", "tool_choice", "reasoning_effort", "logprobs", "frequency_penalty", "presence_penalty", "response_format",
      "parallel_tool_calls", "logit_bias", "top_logprobs");
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
  private static final Map<String, Integer> THINKING_BUDGET = Map.of("low", 1024, "medium", 2048, "high", 4096);

  private BedrockRequests() {}

  static ObjectNode fromOpenAi(JsonNode in, String modelId) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!IGNORED.contains(f) && !MAPPED.contains(f)) throw new Untranslatable("the field '" + f + "' has no Bedrock Converse equivalent");
    }
    refuse(in, "n", n -> n.asInt(1) != 1, "'n' above 1");
    refuse(in, "logprobs", n -> n.asBoolean(false), "'logprobs'");
    refuse(in, "top_logprobs", n -> !n.isNull(), "'top_logprobs'");
    refuse(in, "frequency_penalty", n -> n.asDouble(0) != 0, "'frequency_penalty'");
    refuse(in, "presence_penalty", n -> n.asDouble(0) != 0, "'presence_penalty'");
    refuse(in, "logit_bias", n -> n.isObject() && !n.isEmpty(), "'logit_bias'");
    refuse(in, "response_format", n -> !"text".equals(n.path("type").asText("text")), "'response_format' other than text");
    refuse(in, "parallel_tool_calls", n -> !n.asBoolean(true), "'parallel_tool_calls': false");
    ObjectNode out = JSON.createObjectNode();
    messages(in.path("messages"), out);
    ObjectNode inference = JSON.createObjectNode();
    JsonNode max = in.path("max_completion_tokens").canConvertToInt() ? in.get("max_completion_tokens") : in.get("max_tokens");
    if (max != null && max.canConvertToInt()) inference.put("maxTokens", max.asInt());
    if (in.has("temperature") && !in.get("temperature").isNull()) inference.set("temperature", in.get("temperature"));
    if (in.has("top_p") && !in.get("top_p").isNull()) inference.set("topP", in.get("top_p"));
    JsonNode stop = in.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode seqs = inference.putArray("stopSequences");
      if (stop.isTextual()) seqs.add(stop.asText());
      else stop.forEach(s -> seqs.add(s.asText()));
    }
    if (!inference.isEmpty()) out.set("inferenceConfig", inference);
    tools(in, out);
    JsonNode effort = in.get("reasoning_effort");
    if (effort != null && !effort.isNull() && !Set.of("none", "minimal").contains(effort.asText())) {
      Integer budget = THINKING_BUDGET.get(effort.asText());
      if (budget == null) throw new Untranslatable("reasoning_effort '" + effort.asText() + "'");
      if (!modelId.contains("anthropic.claude")) {
        throw new Untranslatable("reasoning_effort for a model other than Anthropic's Claude (Converse has no common switch for thinking)");
      }
      out.putObject("additionalModelRequestFields").putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    return out;
  }

  private static void refuse(JsonNode in, String field, java.util.function.Predicate<JsonNode> set, String what) {
    JsonNode v = in.get(field);
    if (v != null && !v.isNull() && set.test(v)) throw new Untranslatable(what);
  }

  private static void messages(JsonNode messages, ObjectNode out) {
    ArrayNode system = JSON.createArrayNode();
    ArrayNode turns = out.putArray("messages");
    boolean started = false;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer" -> {
          if (started) throw new Untranslatable("a " + role + " message after the conversation started (Converse takes system prompts first)");
          String text = text(m.get("content"), role);
          if (!text.isEmpty()) system.addObject().put("text", text);
        }
        case "user" -> {
          started = true;
          append(turns, "user", userContent(m.get("content")));
        }
        case "assistant" -> {
          started = true;
          ArrayNode blocks = JSON.createArrayNode();
          for (JsonNode t : m.path("thinking_blocks")) {
            if ("thinking".equals(t.path("type").asText()) && !t.path("signature").asText("").isEmpty()) {
              blocks.addObject().putObject("reasoningContent").putObject("reasoningText")
                  .put("text", t.path("thinking").asText()).put("signature", t.get("signature").asText());
            } else if ("redacted_thinking".equals(t.path("type").asText())) {
              blocks.addObject().putObject("reasoningContent").put("redactedContent", t.path("data").asText());
            }
          }
          String text = m.path("content").isNull() ? "" : text(m.get("content"), "assistant");
          if (!text.isEmpty()) blocks.addObject().put("text", text);
          for (JsonNode call : m.path("tool_calls")) {
            ObjectNode use = blocks.addObject().putObject("toolUse").put("toolUseId", call.path("id").asText())
                .put("name", call.path("function").path("name").asText());
            use.set("input", arguments(call.path("function").path("arguments")));
          }
          if (!blocks.isEmpty()) append(turns, "assistant", blocks);
        }
        case "tool" -> {
          started = true;
          ArrayNode blocks = JSON.createArrayNode();
          ObjectNode result = blocks.addObject().putObject("toolResult").put("toolUseId", m.path("tool_call_id").asText());
          result.putArray("content").addObject().put("text", text(m.get("content"), "tool"));
          append(turns, "user", blocks);
        }
        default -> throw new Untranslatable("a message with role '" + role + "'");
      }
    }
    if (!system.isEmpty()) out.set("system", system);
  }

  private static void append(ArrayNode turns, String role, ArrayNode blocks) {
    if (!turns.isEmpty() && role.equals(turns.get(turns.size() - 1).path("role").asText())) {
      ((ArrayNode) turns.get(turns.size() - 1).get("content")).addAll(blocks);
      return;
    }
    turns.addObject().put("role", role).set("content", blocks);
  }

  private static String text(JsonNode content, String role) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : content) {
      String type = p.path("type").asText();
      if ("text".equals(type)) sb.append(p.path("text").asText());
      else if ("refusal".equals(type) && "assistant".equals(role)) sb.append(p.path("refusal").asText());
      else throw new Untranslatable("a '" + type + "' part in a " + role + " message (only text is possible there)");
    }
    return sb.toString();
  }

  private static ArrayNode userContent(JsonNode content) {
    ArrayNode blocks = JSON.createArrayNode();
    if (content == null || content.isNull()) return blocks;
    if (content.isTextual()) {
      blocks.addObject().put("text", content.asText());
      return blocks;
    }
    for (JsonNode p : content) {
      switch (p.path("type").asText()) {
        case "text" -> blocks.addObject().put("text", p.path("text").asText());
        case "image_url" -> {
          String[] d = dataUrl(p.path("image_url").path("url").asText(), "an image");
          String format = d[0].startsWith("image/") ? d[0].substring(6) : "";
          if (!IMAGE_FORMATS.contains(format)) throw new Untranslatable("an image of type " + d[0] + " (Converse takes png, jpeg, gif, webp)");
          blocks.addObject().putObject("image").put("format", format).putObject("source").put("bytes", d[1]);
        }
        case "file" -> {
          JsonNode f = p.path("file");
          String[] d = dataUrl(f.path("file_data").asText(""), "a file");
          if (!"application/pdf".equals(d[0])) throw new Untranslatable("a file of type " + d[0] + " (only PDF documents translate)");
          String name = f.path("filename").asText("document").replaceAll("[^A-Za-z0-9 ()\\[\\]-]", " ").trim();
          blocks.addObject().putObject("document").put("format", "pdf").put("name", name.isEmpty() ? "document" : name)
              .putObject("source").put("bytes", d[1]);
        }
        default -> throw new Untranslatable("a '" + p.path("type").asText() + "' content part");
      }
    }
    return blocks;
  }

  /** {mediaType, base64 data} of a data URL; anything else is refused. */
  private static String[] dataUrl(String url, String what) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
      throw new Untranslatable(what + " given by URL (Converse takes media as bytes)");
    }
    return new String[] {url.substring(5, comma - 7).toLowerCase(Locale.ROOT), url.substring(comma + 1)};
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
    throw new Untranslatable("tool call arguments that are not a JSON object");
  }

  private static void tools(JsonNode in, ObjectNode out) {
    JsonNode choice = in.get("tool_choice");
    if (choice != null && choice.isTextual() && "none".equals(choice.asText())) return; // no tools offered: none can be called
    JsonNode tools = in.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) return;
    ObjectNode config = out.putObject("toolConfig");
    ArrayNode list = config.putArray("tools");
    for (JsonNode t : tools) {
      if (!"function".equals(t.path("type").asText())) {
        throw new Untranslatable("a tool of type '" + t.path("type").asText() + "' (only function tools translate)");
      }
      JsonNode fn = t.path("function");
      ObjectNode spec = list.addObject().putObject("toolSpec").put("name", fn.path("name").asText());
      if (fn.path("description").isTextual()) spec.put("description", fn.get("description").asText());
      spec.putObject("inputSchema").set("json", fn.path("parameters").isObject() ? fn.get("parameters")
          : JSON.createObjectNode().put("type", "object"));
    }
    if (choice == null || choice.isNull()) return;
    ObjectNode tc = config.putObject("toolChoice");
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "auto" -> tc.putObject("auto");
        case "required" -> tc.putObject("any");
        default -> throw new Untranslatable("tool_choice '" + choice.asText() + "'");
      }
    } else if ("function".equals(choice.path("type").asText())) {
      tc.putObject("tool").put("name", choice.path("function").path("name").asText());
    } else {
      throw new Untranslatable("tool_choice of type '" + choice.path("type").asText() + "'");
    }
  }
}
