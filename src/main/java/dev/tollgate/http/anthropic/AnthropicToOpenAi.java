package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * An Anthropic Messages request as an OpenAI chat-completions body, for the pipeline and for any
 * OpenAI-protocol model that serves it.
 *
 * <p>The translation never refuses by itself: the request may be served by an Anthropic model,
 * which gets the original. What an OpenAI-protocol model could not be given faithfully is listed
 * in {@link #gaps()}; the edge writes the list into the body and such an adapter refuses with a 400
 * naming it. The mapping is documented in docs/translation.md.
 */
final class AnthropicToOpenAi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KNOWN = Set.of("model", "messages", "system", "max_tokens", "metadata", "stop_sequences",
      "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier");

  private final List<String> gaps = new ArrayList<>();
  private final ObjectNode out = JSON.createObjectNode();

  private AnthropicToOpenAi() {}

  /** Translates a parsed Anthropic request. */
  static AnthropicToOpenAi translate(JsonNode in) {
    AnthropicToOpenAi t = new AnthropicToOpenAi();
    t.run(in);
    return t;
  }

  ObjectNode body() {
    return out;
  }

  /** What an OpenAI-protocol model could not be given faithfully; empty when nothing. */
  List<String> gaps() {
    return gaps;
  }

  private void gap(String what) {
    if (!gaps.contains(what)) gaps.add(what);
  }

  private void run(JsonNode in) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!KNOWN.contains(f)) gap("the Anthropic field '" + f + "'");
    }
    if (in.has("model")) out.set("model", in.get("model"));
    ArrayNode messages = out.putArray("messages");
    system(in.get("system"), messages);
    for (JsonNode m : in.path("messages")) message(m, messages);
    if (in.path("max_tokens").canConvertToLong()) out.put("max_completion_tokens", in.get("max_tokens").asLong());
    copy(in, "temperature", "temperature");
    copy(in, "top_p", "top_p");
    if (in.has("top_k") && !in.get("top_k").isNull()) gap("top_k (OpenAI has no top-k sampling)");
    JsonNode stops = in.get("stop_sequences");
    if (stops != null && stops.isArray() && !stops.isEmpty()) {
      if (stops.size() > 4) gap("more than 4 stop_sequences (OpenAI takes at most 4)");
      out.set("stop", stops);
    }
    if (in.path("stream").asBoolean(false)) {
      out.put("stream", true);
      // The answer's usage is needed for message_delta; the chunk goes to the edge, never to the client.
      out.putObject("stream_options").put("include_usage", true);
    }
    if (in.path("metadata").path("user_id").isTextual()) out.put("user", in.get("metadata").get("user_id").asText());
    tools(in);
    thinking(in.get("thinking"));
  }

  private void copy(JsonNode in, String from, String to) {
    JsonNode v = in.get(from);
    if (v != null && !v.isNull()) out.set(to, v);
  }

  // ---- messages ----

  private void system(JsonNode system, ArrayNode messages) {
    if (system == null || system.isNull()) return;
    if (system.isTextual()) {
      messages.addObject().put("role", "system").put("content", system.asText());
      return;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : system) {
      if (!"text".equals(block.path("type").asText())) gap("a '" + block.path("type").asText() + "' block in the system prompt");
      else {
        if (text.length() > 0) text.append("\n\n");
        text.append(block.path("text").asText());
      }
    }
    messages.addObject().put("role", "system").put("content", text.toString());
  }

  private void message(JsonNode m, ArrayNode messages) {
    String role = m.path("role").asText();
    JsonNode content = m.get("content");
    if ("assistant".equals(role)) {
      assistant(content, messages);
      return;
    }
    if (!"user".equals(role)) {
      gap("a message with role '" + role + "'");
      return;
    }
    if (content == null || content.isTextual()) {
      messages.addObject().put("role", "user").put("content", content == null ? "" : content.asText());
      return;
    }
    // Tool results become tool messages, which must directly follow the assistant's tool calls.
    ArrayNode parts = JSON.createArrayNode();
    for (JsonNode block : content) {
      String type = block.path("type").asText();
      switch (type) {
        case "tool_result" -> {
          ObjectNode tool = messages.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText());
          tool.put("content", toolResultText(block.get("content")));
        }
        case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
        case "image" -> image(block.path("source"), parts);
        case "document" -> document(block, parts);
        default -> gap("a '" + type + "' content block");
      }
    }
    if (parts.isEmpty()) return;
    ObjectNode user = messages.addObject().put("role", "user");
    if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asText())) user.put("content", parts.get(0).get("text").asText());
    else user.set("content", parts);
  }

  private String toolResultText(JsonNode content) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : content) {
      if ("text".equals(b.path("type").asText())) sb.append(b.path("text").asText());
      else gap("a '" + b.path("type").asText() + "' block inside a tool result (OpenAI tool results are text)");
    }
    return sb.toString();
  }

  private void image(JsonNode source, ArrayNode parts) {
    String url = switch (source.path("type").asText()) {
      case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
      case "url" -> source.path("url").asText();
      default -> null;
    };
    if (url == null) {
      gap("an image given as '" + source.path("type").asText() + "' (only base64 and url translate)");
      return;
    }
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
  }

  private void document(JsonNode block, ArrayNode parts) {
    JsonNode source = block.path("source");
    String type = source.path("type").asText();
    if ("base64".equals(type) && "application/pdf".equals(source.path("media_type").asText())) {
      ObjectNode file = parts.addObject().put("type", "file").putObject("file");
      file.put("file_data", "data:application/pdf;base64," + source.path("data").asText());
      file.put("filename", block.path("title").asText("document.pdf"));
    } else if ("text".equals(type)) {
      parts.addObject().put("type", "text").put("text", source.path("data").asText());
    } else {
      gap("a document given as '" + type + "' (only inline PDFs and plain text translate)");
    }
  }

  private void assistant(JsonNode content, ArrayNode messages) {
    ObjectNode msg = JSON.createObjectNode().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = JSON.createArrayNode();
    if (content != null && content.isTextual()) text.append(content.asText());
    else if (content != null) {
      for (JsonNode block : content) {
        String type = block.path("type").asText();
        switch (type) {
          case "text" -> text.append(block.path("text").asText());
          case "tool_use" -> {
            ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
            call.putObject("function").put("name", block.path("name").asText())
                .put("arguments", block.path("input").isMissingNode() ? "{}" : block.get("input").toString());
          }
          case "thinking", "redacted_thinking" -> { } // earlier thinking is not shown to the model again
          default -> gap("a '" + type + "' block in an assistant message");
        }
      }
    }
    if (text.length() > 0 || calls.isEmpty()) msg.put("content", text.toString());
    else msg.putNull("content");
    if (!calls.isEmpty()) msg.set("tool_calls", calls);
    messages.add(msg);
  }

  // ---- tools and thinking ----

  private void tools(JsonNode in) {
    JsonNode tools = in.get("tools");
    boolean any = false;
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode list = out.putArray("tools");
      for (JsonNode t : tools) {
        String type = t.path("type").asText("custom");
        if (!"custom".equals(type)) {
          gap("the server tool '" + type + "' (it runs at Anthropic)");
          continue;
        }
        ObjectNode fn = list.addObject().put("type", "function").putObject("function");
        fn.put("name", t.path("name").asText());
        if (t.path("description").isTextual()) fn.put("description", t.get("description").asText());
        fn.set("parameters", t.has("input_schema") ? t.get("input_schema") : JSON.createObjectNode().put("type", "object"));
        any = true;
      }
      if (!any) out.remove("tools");
    }
    JsonNode choice = in.get("tool_choice");
    if (choice == null || choice.isNull()) return;
    switch (choice.path("type").asText()) {
      case "auto" -> { if (any) out.put("tool_choice", "auto"); }
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.path("name").asText());
      default -> gap("tool_choice of type '" + choice.path("type").asText() + "'");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false) && any) out.put("parallel_tool_calls", false);
  }

  /** Thinking budgets become OpenAI's reasoning_effort: up to 1024 low, below 4096 medium, else high. */
  private void thinking(JsonNode thinking) {
    if (thinking == null || thinking.isNull()) return;
    String type = thinking.path("type").asText();
    if ("disabled".equals(type)) return;
    if (!"enabled".equals(type)) {
      gap("thinking of type '" + type + "'");
      return;
    }
    long budget = thinking.path("budget_tokens").asLong(0);
    out.put("reasoning_effort", budget <= 1024 ? "low" : budget < 4096 ? "medium" : "high");
  }
}
