package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.shared.Untranslatable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI chat-completions request as a Gemini {@code generateContent} request. What Gemini
 * cannot do the same way is refused ({@link Untranslatable}); docs/translation.md has the table.
 *
 * <p>Gemini wants a function response to name its function, and (from Gemini 3 on) a function
 * call to come back with the thought signature it was given. OpenAI tool messages carry only the
 * call id, so the id the gateway hands out carries the signature ({@link #callId}) and the names
 * are looked up from the assistant's calls earlier in the conversation.
 */
final class GeminiRequests {

  static final ObjectMapper JSON = new ObjectMapper();
  /** Separates a call id from the thought signature it carries. */
  static final String SIGNATURE_MARK = "__thought__";

  private static final Set<String> IGNORED = Set.of("model", "messages", "stream", "stream_options", "metadata", "store",
      "service_tier", "user", "prompt_cache_key", "safety_identifier", Untranslatable.FIELD);
  private static final Set<String> MAPPED = Set.of("max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "n",
      "presence_penalty", "frequency_penalty", "seed", "response_format", "tools", "tool_choice", "parallel_tool_calls",
      "reasoning_effort", "logprobs", "top_logprobs");
  private static final Map<String, Integer> THINKING_BUDGET = Map.of("none", 0, "minimal", 0, "low", 1024, "medium", 8192, "high", 24576);

  private GeminiRequests() {}

  /** The OpenAI tool-call id for a Gemini function call: its own id (or one made up), with its thought signature if any. */
  static String callId(String id, int index, String signature) {
    String base = id == null || id.isEmpty() ? "call_" + index : id;
    return signature == null || signature.isEmpty() ? base : base + SIGNATURE_MARK + signature;
  }

  static ObjectNode fromOpenAi(JsonNode in) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!IGNORED.contains(f) && !MAPPED.contains(f)) throw new Untranslatable("the field '" + f + "' has no Gemini equivalent");
    }
    if (in.path("n").asInt(1) != 1) throw new Untranslatable("'n' above 1");
    if (in.path("logprobs").asBoolean(false) || (in.has("top_logprobs") && !in.get("top_logprobs").isNull())) {
      throw new Untranslatable("'logprobs' (Gemini's log probabilities do not translate into OpenAI's)");
    }
    if (in.has("parallel_tool_calls") && !in.get("parallel_tool_calls").asBoolean(true)) {
      throw new Untranslatable("'parallel_tool_calls': false (Gemini cannot be kept to one call)");
    }
    ObjectNode out = JSON.createObjectNode();
    contents(in.path("messages"), out);
    ObjectNode gen = JSON.createObjectNode();
    JsonNode max = in.path("max_completion_tokens").canConvertToInt() ? in.get("max_completion_tokens") : in.get("max_tokens");
    if (max != null && max.canConvertToInt()) gen.put("maxOutputTokens", max.asInt());
    copy(in, "temperature", gen, "temperature");
    copy(in, "top_p", gen, "topP");
    copy(in, "presence_penalty", gen, "presencePenalty");
    copy(in, "frequency_penalty", gen, "frequencyPenalty");
    copy(in, "seed", gen, "seed");
    JsonNode stop = in.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode seqs = gen.putArray("stopSequences");
      if (stop.isTextual()) seqs.add(stop.asText());
      else stop.forEach(s -> seqs.add(s.asText()));
    }
    responseFormat(in.get("response_format"), gen);
    JsonNode effort = in.get("reasoning_effort");
    if (effort != null && !effort.isNull()) {
      Integer budget = THINKING_BUDGET.get(effort.asText());
      if (budget == null) throw new Untranslatable("reasoning_effort '" + effort.asText() + "'");
      ObjectNode thinking = gen.putObject("thinkingConfig").put("thinkingBudget", budget);
      if (budget > 0) thinking.put("includeThoughts", true);
    }
    if (!gen.isEmpty()) out.set("generationConfig", gen);
    tools(in, out);
    return out;
  }

  private static void copy(JsonNode in, String from, ObjectNode out, String to) {
    JsonNode v = in.get(from);
    if (v != null && !v.isNull()) out.set(to, v);
  }

  private static void responseFormat(JsonNode format, ObjectNode gen) {
    if (format == null || format.isNull()) return;
    switch (format.path("type").asText("text")) {
      case "text" -> { }
      case "json_object" -> gen.put("responseMimeType", "application/json");
      case "json_schema" -> {
        gen.put("responseMimeType", "application/json");
        gen.set("responseJsonSchema", format.path("json_schema").path("schema"));
      }
      default -> throw new Untranslatable("response_format '" + format.path("type").asText() + "'");
    }
  }

  // ---- messages ----

  private static void contents(JsonNode messages, ObjectNode out) {
    ArrayNode system = JSON.createArrayNode();
    ArrayNode contents = out.putArray("contents");
    Map<String, String> functionNames = new HashMap<>();
    boolean started = false;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer" -> {
          if (started) throw new Untranslatable("a " + role + " message after the conversation started (Gemini takes one system instruction)");
          String text = text(m.get("content"), role);
          if (!text.isEmpty()) system.addObject().put("text", text);
        }
        case "user" -> {
          started = true;
          append(contents, "user", userParts(m.get("content")));
        }
        case "assistant" -> {
          started = true;
          ArrayNode parts = JSON.createArrayNode();
          String text = m.path("content").isNull() ? "" : text(m.get("content"), "assistant");
          if (!text.isEmpty()) parts.addObject().put("text", text);
          for (JsonNode call : m.path("tool_calls")) {
            String id = call.path("id").asText();
            String name = call.path("function").path("name").asText();
            functionNames.put(id, name);
            ObjectNode part = parts.addObject();
            ObjectNode fc = part.putObject("functionCall").put("name", name);
            fc.set("args", arguments(call.path("function").path("arguments")));
            int mark = id.indexOf(SIGNATURE_MARK);
            String bare = mark >= 0 ? id.substring(0, mark) : id;
            if (!bare.startsWith("call_")) fc.put("id", bare); // an id of Gemini's own goes back; one the gateway made up does not
            if (mark >= 0) part.put("thoughtSignature", id.substring(mark + SIGNATURE_MARK.length()));
          }
          if (!parts.isEmpty()) append(contents, "model", parts);
        }
        case "tool" -> {
          started = true;
          String id = m.path("tool_call_id").asText();
          String name = functionNames.get(id);
          if (name == null) throw new Untranslatable("a tool result for a call the conversation does not contain (" + id + ")");
          ObjectNode fr = JSON.createObjectNode().put("name", name);
          int mark = id.indexOf(SIGNATURE_MARK);
          String bare = mark >= 0 ? id.substring(0, mark) : id;
          if (!bare.startsWith("call_")) fr.put("id", bare);
          fr.set("response", toolResponse(text(m.get("content"), "tool")));
          ArrayNode parts = JSON.createArrayNode();
          parts.addObject().set("functionResponse", fr);
          append(contents, "user", parts);
        }
        default -> throw new Untranslatable("a message with role '" + role + "'");
      }
    }
    if (!system.isEmpty()) out.putObject("systemInstruction").set("parts", system);
  }

  /** Merges consecutive turns of the same role, as Gemini expects alternating turns. */
  private static void append(ArrayNode contents, String role, ArrayNode parts) {
    if (!contents.isEmpty() && role.equals(contents.get(contents.size() - 1).path("role").asText())) {
      ArrayNode existing = (ArrayNode) contents.get(contents.size() - 1).get("parts");
      existing.addAll(parts);
      return;
    }
    contents.addObject().put("role", role).set("parts", parts);
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

  private static ArrayNode userParts(JsonNode content) {
    ArrayNode parts = JSON.createArrayNode();
    if (content == null || content.isNull()) return parts;
    if (content.isTextual()) {
      parts.addObject().put("text", content.asText());
      return parts;
    }
    for (JsonNode p : content) {
      switch (p.path("type").asText()) {
        case "text" -> parts.addObject().put("text", p.path("text").asText());
        case "image_url" -> parts.add(inline(p.path("image_url").path("url").asText(), "an image"));
        case "file" -> {
          String data = p.path("file").path("file_data").asText("");
          if (data.isEmpty()) throw new Untranslatable("a file part given by id (OpenAI file ids mean nothing to Gemini)");
          parts.add(inline(data, "a file"));
        }
        case "input_audio" -> {
          JsonNode audio = p.path("input_audio");
          parts.addObject().putObject("inlineData").put("mimeType", "audio/" + audio.path("format").asText("wav"))
              .put("data", audio.path("data").asText());
        }
        default -> throw new Untranslatable("a '" + p.path("type").asText() + "' content part");
      }
    }
    return parts;
  }

  private static ObjectNode inline(String url, String what) {
    if (!url.startsWith("data:")) {
      throw new Untranslatable(what + " given by URL (Gemini takes media inline or from its own Files API)");
    }
    int comma = url.indexOf(',');
    String meta = comma < 0 ? "" : url.substring(5, comma);
    if (!meta.endsWith(";base64")) throw new Untranslatable(what + " in a data URL that is not base64");
    ObjectNode part = JSON.createObjectNode();
    part.putObject("inlineData").put("mimeType", meta.substring(0, meta.length() - 7).toLowerCase(Locale.ROOT))
        .put("data", url.substring(comma + 1));
    return part;
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
    throw new Untranslatable("tool call arguments that are not a JSON object (Gemini keeps them as an object)");
  }

  /** A tool result that is a JSON object goes as it is; anything else under "result". */
  private static JsonNode toolResponse(String content) {
    try {
      JsonNode parsed = JSON.readTree(content);
      if (parsed != null && parsed.isObject()) return parsed;
    } catch (JsonProcessingException e) {
      // plain text
    }
    return JSON.createObjectNode().put("result", content);
  }

  // ---- tools ----

  private static void tools(JsonNode in, ObjectNode out) {
    JsonNode tools = in.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode decls = out.putArray("tools").addObject().putArray("functionDeclarations");
      for (JsonNode t : tools) {
        if (!"function".equals(t.path("type").asText())) {
          throw new Untranslatable("a tool of type '" + t.path("type").asText() + "' (only function tools translate)");
        }
        JsonNode fn = t.path("function");
        ObjectNode d = decls.addObject().put("name", fn.path("name").asText());
        if (fn.path("description").isTextual()) d.put("description", fn.get("description").asText());
        if (fn.path("parameters").isObject()) d.set("parametersJsonSchema", fn.get("parameters"));
      }
    }
    JsonNode choice = in.get("tool_choice");
    if (choice == null || choice.isNull()) return;
    ObjectNode config = JSON.createObjectNode();
    if (choice.isTextual()) {
      config.put("mode", switch (choice.asText()) {
        case "auto" -> "AUTO";
        case "none" -> "NONE";
        case "required" -> "ANY";
        default -> throw new Untranslatable("tool_choice '" + choice.asText() + "'");
      });
    } else if ("function".equals(choice.path("type").asText())) {
      config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
    } else {
      throw new Untranslatable("tool_choice of type '" + choice.path("type").asText() + "'");
    }
    out.putObject("toolConfig").set("functionCallingConfig", config);
  }
}
