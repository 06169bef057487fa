package dev.tollgate.pipeline.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
  private final java.util.List<String> finishReasons = new java.util.ArrayList<>();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
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

  /** Takes the next bytes from upstream; returns the bytes to send to the client now (maybe empty). */
  public byte[] accept(byte[] chunk) {
    pending.writeBytes(chunk);
    byte[] buf = pending.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
    int start = 0;
    int end;
    while ((end = eventEnd(buf, start)) >= 0) {
      byte[] rewritten = inspect(buf, start, end);
      if (rewritten == KEEP) out.write(buf, start, end - start);
      else if (rewritten != null) out.writeBytes(rewritten);
      start = end;
    }
    pending.reset();
    pending.write(buf, start, buf.length - start);
    return out.toByteArray();
  }

  /** Bytes of an unfinished last event, if the stream ended without its blank line. */
  public byte[] remainder() {
    byte[] rest = pending.toByteArray();
    pending.reset();
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
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') return i + 2;
        if (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') return i + 3;
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
    String event = new String(b, start, end - start, StandardCharsets.UTF_8);
    StringBuilder data = new StringBuilder();
    for (String line : event.split("\r?\n")) {
      if (line.startsWith("data:")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
      }
    }
    String payload = data.toString().trim();
    if (payload.isEmpty()) return KEEP;
    if (payload.equals("[DONE]")) {
      done = true;
      byte[] held = heldBack();
      if (held == null) return KEEP;
      byte[] tail = new byte[held.length + (end - start)];
      System.arraycopy(held, 0, tail, 0, held.length);
      System.arraycopy(b, start, tail, held.length, end - start);
      return tail;
    }
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
