package dev.tollgate.pipeline.meter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an OpenAI chat-completions SSE stream on its way to the client, one event at a time.
 *
 * <p>How it works: bytes are appended to a small buffer until an event is complete (a blank line);
 * each complete event is inspected and handed back for forwarding at once, so the client gets the
 * stream as it arrives and nothing is held longer than one event. Inspection picks up the provider's
 * {@code usage} (sent in the last chunk because the gateway asks for {@code include_usage}) and keeps
 * the generated text, so that output tokens can be counted if the stream breaks before usage comes.
 * The usage-only chunk (empty {@code choices}) is dropped again when the client did not ask for it.
 * A Responses API stream (typed events, usage inside {@code response.completed}) is read the same
 * way and relayed unchanged.
 */
public final class StreamMeter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean forwardUsageChunk;
  private final dev.tollgate.domain.guard.RedactionMap redaction;
  private final java.util.Map<Integer, dev.tollgate.domain.guard.RedactionMap.Restorer> restorers = new java.util.HashMap<>();
  private String lastChunkId;
  private String lastModel;
  /** The start of an event whose end has not arrived yet. */
  private byte[] pending = new byte[0];
  private int pendingLength;
  private final java.util.List<String> finishReasons = new java.util.ArrayList<>();
  private final StringBuilder generated = new StringBuilder();
  private TokenUsage reported;
  private boolean done;
  private boolean sawContent;

  public StreamMeter(boolean forwardUsageChunk) {
    this(forwardUsageChunk, null);
  }

  /**
   * @param redaction placeholders the guard put into the prompt; the allowed ones are put back into
   *     the streamed answer (a placeholder cut between two events is held back until it is whole)
   */
  public StreamMeter(boolean forwardUsageChunk, dev.tollgate.domain.guard.RedactionMap redaction) {
    this.forwardUsageChunk = forwardUsageChunk;
    this.redaction = redaction != null && redaction.restoresAnything() ? redaction : null;
  }

  /**
   * Takes the next bytes from upstream; returns the bytes to send to the client now (maybe empty).
   * When the bytes end on an event boundary and no event is changed or dropped — nearly every read
   * of a stream — the very array passed in is returned: no copy.
   */
  public byte[] accept(byte[] chunk) {
    byte[] buf = chunk;
    int length = chunk.length;
    if (pendingLength > 0) {
      length = pendingLength + chunk.length;
      if (pending.length < length) pending = Arrays.copyOf(pending, Math.max(length, pending.length * 2));
      System.arraycopy(chunk, 0, pending, pendingLength, chunk.length);
      buf = pending;
    }
    ByteArrayOutputStream out = null; // made only once an event is changed or dropped
    int start = 0;
    int end;
    while ((end = eventEnd(buf, start, length)) >= 0) {
      byte[] rewritten = inspect(buf, start, end);
      if (rewritten != KEEP && out == null) {
        out = new ByteArrayOutputStream(length);
        out.write(buf, 0, start);
      }
      if (rewritten == KEEP) {
        if (out != null) out.write(buf, start, end - start);
      } else if (rewritten != null) {
        out.writeBytes(rewritten);
      }
      start = end;
    }
    byte[] forward = out != null ? out.toByteArray()
        : buf == chunk && start == length ? chunk
        : Arrays.copyOfRange(buf, 0, start);
    keep(buf, start, length);
    return forward;
  }

  /** Keeps bytes {@code [from, to)} of {@code buf} (which may be the pending array itself) as the unfinished event. */
  private void keep(byte[] buf, int from, int to) {
    int rest = to - from;
    if (rest > pending.length) pending = new byte[Math.max(512, rest)];
    System.arraycopy(buf, from, pending, 0, rest);
    pendingLength = rest;
  }

  /** Bytes of an unfinished last event, if the stream ended without its blank line. */
  public byte[] remainder() {
    byte[] rest = Arrays.copyOf(pending, pendingLength);
    pendingLength = 0;
    return rest;
  }

  public TokenUsage reportedUsage() {
    return reported;
  }

  /** True once {@code data: [DONE]} went by. */
  public boolean done() {
    return done;
  }

  /** True once any generated content went by: the moment of the first token. */
  public boolean sawContent() {
    return sawContent;
  }

  public String generatedText() {
    return generated.toString();
  }

  /** Index just past the blank line that ends the event starting at {@code from}, or -1. */
  private static int eventEnd(byte[] b, int from, int length) {
    for (int i = from; i < length - 1; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') return i + 2;
        if (b[i + 1] == '\r' && i + 2 < length && b[i + 2] == '\n') return i + 3;
      }
    }
    return -1;
  }

  /** The model the stream's chunks named, or null. */
  public String model() {
    return lastModel;
  }

  /** The finish reasons seen so far, in order. */
  public java.util.List<String> finishReasons() {
    return java.util.List.copyOf(finishReasons);
  }

  /** Marker: forward the event's bytes unchanged. */
  private static final byte[] KEEP = new byte[0];

  /** Looks at one event; returns {@link #KEEP}, the bytes to send instead, or null to drop it. */
  private byte[] inspect(byte[] b, int start, int end) {
    // Find the data line without decoding the event. One data line is what every provider sends;
    // an event with several is joined the way the SSE spec says, on the slower path below.
    int dataFrom = -1;
    int dataTo = -1;
    int dataLines = 0;
    for (int line = start; line < end; ) {
      int next = line;
      while (next < end && b[next] != '\n') next++;
      int lineEnd = next > line && b[next - 1] == '\r' ? next - 1 : next;
      if (lineEnd - line >= 5 && b[line] == 'd' && b[line + 1] == 'a' && b[line + 2] == 't' && b[line + 3] == 'a'
          && b[line + 4] == ':') {
        dataLines++;
        dataFrom = line + 5 < lineEnd && b[line + 5] == ' ' ? line + 6 : line + 5;
        dataTo = lineEnd;
      }
      line = next + 1;
    }
    if (dataLines == 0) return KEEP;
    if (dataLines > 1 || redaction != null) return inspectTree(b, start, end, joinedData(b, start, end));
    while (dataFrom < dataTo && b[dataFrom] <= ' ') dataFrom++;
    while (dataTo > dataFrom && b[dataTo - 1] <= ' ') dataTo--;
    if (dataFrom == dataTo) return KEEP;
    if (isDone(b, dataFrom, dataTo)) return finished(b, start, end);
    return scan(b, dataFrom, dataTo);
  }

  private static boolean isDone(byte[] b, int from, int to) {
    return to - from == 6 && b[from] == '[' && b[from + 1] == 'D' && b[from + 2] == 'O' && b[from + 3] == 'N'
        && b[from + 4] == 'E' && b[from + 5] == ']';
  }

  /** {@code data: [DONE]}: the stream is over; text a restorer still held back goes out before it. */
  private byte[] finished(byte[] b, int start, int end) {
    done = true;
    byte[] held = heldBack();
    if (held == null) return KEEP;
    byte[] tail = new byte[held.length + (end - start)];
    System.arraycopy(held, 0, tail, 0, held.length);
    System.arraycopy(b, start, tail, held.length, end - start);
    return tail;
  }

  /**
   * Reads one chunk with Jackson's streaming parser, building a tree only for {@code usage}: the
   * text of the deltas is kept, everything else skipped. Nothing is taken from a chunk that turns
   * out not to be JSON — it is passed on unchanged, as the tree path does.
   */
  private byte[] scan(byte[] b, int from, int to) {
    TokenUsage usage = null;
    StringBuilder text = null;
    boolean typed = false;
    boolean hasChoices = false;
    boolean emptyChoices = false;
    String id = null;
    String model = null;
    java.util.List<String> reasons = new java.util.ArrayList<>(0);
    try (JsonParser p = JSON.createParser(b, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return KEEP;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "choices" -> {
            hasChoices = true;
            if (value == JsonToken.START_ARRAY) {
              emptyChoices = true;
              while (p.nextToken() != JsonToken.END_ARRAY) {
                emptyChoices = false;
                text = choice(p, text, reasons);
              }
            } else {
              p.skipChildren();
            }
          }
          case "usage" -> usage = OpenAiUsage.parse(p.readValueAsTree());
          case "type" -> typed = value == JsonToken.VALUE_STRING;
          case "id" -> id = value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getValueAsString() : id;
          case "model" -> model = value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getValueAsString() : model;
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return KEEP; // not ours to judge: pass it on unchanged
    }
    if (typed && !hasChoices) {
      try {
        responsesEvent(JSON.readTree(b, from, to - from));
      } catch (IOException e) {
        // cannot happen: the same bytes just parsed
      }
      return KEEP;
    }
    if (usage != null) reported = usage;
    if (text != null) append(text.toString());
    if (id != null) lastChunkId = id;
    if (model != null) lastModel = model;
    finishReasons.addAll(reasons);
    if (usage != null && emptyChoices && !forwardUsageChunk) return null; // the usage-only chunk the client did not ask for
    return KEEP;
  }

  /** One element of {@code choices}: the text of its {@code delta}, appended to {@code text}. */
  private static StringBuilder choice(JsonParser p, StringBuilder text, java.util.List<String> reasons) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return text;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
        reasons.add(p.getText());
        continue;
      }
      if (!field.equals("delta") || value != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String part = p.currentName();
        JsonToken v = p.nextToken();
        if ((part.equals("content") || part.equals("refusal")) && v == JsonToken.VALUE_STRING) {
          text = appendTo(text, p.getText());
        } else if (part.equals("tool_calls") && v == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) text = toolCall(p, text);
        } else {
          p.skipChildren();
        }
      }
    }
    return text;
  }

  /** A streamed tool call: its function's name and arguments count as generated text. */
  private static StringBuilder toolCall(JsonParser p, StringBuilder text) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return text;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (!field.equals("function") || value != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String part = p.currentName();
        JsonToken v = p.nextToken();
        if ((part.equals("name") || part.equals("arguments")) && v == JsonToken.VALUE_STRING) text = appendTo(text, p.getText());
        else p.skipChildren();
      }
    }
    return text;
  }

  private static StringBuilder appendTo(StringBuilder text, String s) {
    return (text == null ? new StringBuilder(s.length()) : text).append(s);
  }

  /** The event's data lines joined with newlines, as the SSE spec says. */
  private static String joinedData(byte[] b, int start, int end) {
    String event = new String(b, start, end - start, StandardCharsets.UTF_8);
    StringBuilder data = new StringBuilder();
    for (String line : LINES.split(event)) {
      if (line.startsWith("data:")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
      }
    }
    return data.toString().trim();
  }

  private static final java.util.regex.Pattern LINES = java.util.regex.Pattern.compile("\r?\n");

  /** The slower path, on a whole tree: events with several data lines, and answers whose placeholders are restored. */
  private byte[] inspectTree(byte[] b, int start, int end, String payload) {
    if (payload.isEmpty()) return KEEP;
    if (payload.equals("[DONE]")) return finished(b, start, end);
    JsonNode chunk;
    try {
      chunk = JSON.readTree(payload);
    } catch (IOException e) {
      return KEEP; // not ours to judge: pass it on unchanged
    }
    if (chunk.path("type").isTextual() && !chunk.has("choices")) {
      responsesEvent(chunk);
      return KEEP;
    }
    TokenUsage usage = OpenAiUsage.parse(chunk.get("usage"));
    if (usage != null) reported = usage;
    JsonNode choices = chunk.get("choices");
    boolean changed = false;
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        collectText(choice.path("delta"));
        if (choice.path("finish_reason").isTextual()) finishReasons.add(choice.get("finish_reason").asText());
        changed |= restore(choice);
      }
      if (usage != null && choices.isEmpty() && !forwardUsageChunk) return null;
    }
    if (chunk.hasNonNull("id")) lastChunkId = chunk.get("id").asText();
    if (chunk.hasNonNull("model")) lastModel = chunk.get("model").asText();
    return changed ? ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8) : KEEP;
  }

  /**
   * One event of a Responses API stream ({@code event: response.…}, a typed JSON payload): the text
   * deltas are kept for an estimate, and the usage comes with the final {@code response.completed}
   * (or {@code response.incomplete} / {@code response.failed}) inside its {@code response}.
   */
  private void responsesEvent(JsonNode event) {
    switch (event.get("type").asText()) {
      case "response.output_text.delta", "response.refusal.delta", "response.function_call_arguments.delta",
          "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
        if (event.path("delta").isTextual()) append(event.get("delta").asText());
      }
      case "response.completed", "response.incomplete", "response.failed" -> {
        TokenUsage usage = OpenAiUsage.parse(event.path("response").get("usage"));
        if (usage != null) reported = usage;
        if (event.path("response").path("model").isTextual()) lastModel = event.path("response").get("model").asText();
        if (event.path("response").path("status").isTextual()) finishReasons.add(event.path("response").get("status").asText());
        done = true;
      }
      default -> { }
    }
  }

  /** Puts allowed placeholders back into a choice's delta; true if the event changed. */
  private boolean restore(JsonNode choice) {
    if (redaction == null) return false;
    JsonNode content = choice.path("delta").get("content");
    if (content == null || !content.isTextual()) return false;
    var restorer = restorers.computeIfAbsent(choice.path("index").asInt(0), i -> redaction.restorer());
    String restored = restorer.push(content.asText());
    if (restored.equals(content.asText())) return false;
    ((com.fasterxml.jackson.databind.node.ObjectNode) choice.get("delta")).put("content", restored);
    return true;
  }

  /** A chunk with text a restorer still held back at the end of the answer, or null. */
  private byte[] heldBack() {
    if (restorers.isEmpty()) return null;
    StringBuilder events = new StringBuilder();
    restorers.forEach((index, restorer) -> {
      String rest = restorer.finish();
      if (rest.isEmpty()) return;
      var c = JSON.createObjectNode().put("id", lastChunkId).put("object", "chat.completion.chunk").put("model", lastModel);
      c.putArray("choices").addObject().put("index", index).putNull("finish_reason").putObject("delta").put("content", rest);
      events.append("data: ").append(c).append("\n\n");
    });
    return events.length() == 0 ? null : events.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void collectText(JsonNode delta) {
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual()) append(content.asText());
    JsonNode refusal = delta.get("refusal");
    if (refusal != null && refusal.isTextual()) append(refusal.asText());
    JsonNode toolCalls = delta.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        JsonNode fn = call.path("function");
        if (fn.path("name").isTextual()) append(fn.get("name").asText());
        if (fn.path("arguments").isTextual()) append(fn.get("arguments").asText());
      }
    }
  }

  private void append(String text) {
    if (!text.isEmpty()) sawContent = true;
    generated.append(text);
  }
}
