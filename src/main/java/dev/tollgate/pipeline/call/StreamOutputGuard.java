package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.guard.FindingType;
import dev.tollgate.domain.guard.Redactor;
import dev.tollgate.domain.guard.StreamRedactor;
import dev.tollgate.domain.policy.OutputAction;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output guard on a streamed chat-completions answer, between the stream meter and the client
 * (and so before an Anthropic client's events are made from it).
 *
 * <p>Flow: each complete SSE event is read; each choice's {@code delta.content} goes through a {@link
 * StreamRedactor} of its own, which hands back only the text that can no longer become part of a
 * finding, already redacted; the event is written again with that text. An event left with nothing
 * to say is dropped; held-back text is sent, in a chunk of its own, before {@code [DONE]} or at the
 * end, and with the event that carries the choice's {@code finish_reason}. With {@code block}, the
 * text before the first finding is sent, then {@link #stopped()} says true and the caller ends the
 * stream with an error event. Events without text (role, tool calls, usage, errors) pass unchanged.
 *
 * <p>Cost: one JSON parse of each event that carries text and one scan of a window of at most a few
 * dozen characters in ordinary prose — never of the whole answer (see {@link StreamRedactor}).
 */
final class StreamOutputGuard {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Exchange x;
  private final boolean block;
  private final Redactor.Session session = OutputGuard.REDACTOR.session();
  private final Map<Integer, StreamRedactor> choices = new TreeMap<>();
  private final List<FindingType> found = new ArrayList<>();
  private String lastId;
  private String lastModel;
  private boolean stopped;

  StreamOutputGuard(Exchange x) {
    this.x = x;
    this.block = x.workloadClass().output() == OutputAction.BLOCK;
  }

  /** True once a finding stopped the answer ({@code block}); nothing more is released after that. */
  boolean stopped() {
    return stopped;
  }

  /** Why the answer was stopped. */
  GatewayError refusal() {
    return OutputGuard.refusal(x, found);
  }

  /**
   * Takes SSE events as the stream meter hands them on (whole events; a last one may lack its blank
   * line at the very end); returns the bytes to send now.
   */
  byte[] accept(byte[] events) {
    if (stopped || events.length == 0) return new byte[0];
    ByteArrayOutputStream out = new ByteArrayOutputStream(events.length + 64);
    int start = 0;
    while (start < events.length && !stopped) {
      int end = eventEnd(events, start);
      event(events, start, end, out);
      start = end;
    }
    return out.toByteArray();
  }

  /** The end of the answer: what is still held back, as chunks of their own. */
  byte[] finish() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    flush(out);
    return out.toByteArray();
  }

  private void event(byte[] b, int start, int end, ByteArrayOutputStream out) {
    String payload = payload(new String(b, start, end - start, StandardCharsets.UTF_8));
    if (payload.equals("[DONE]")) flush(out);
    if (stopped) return;
    JsonNode chunk = null;
    if (payload.startsWith("{")) {
      try {
        chunk = JSON.readTree(payload);
      } catch (IOException e) {
        chunk = null; // not ours to judge: pass it on unchanged
      }
    }
    if (!(chunk instanceof ObjectNode c) || !(c.get("choices") instanceof ArrayNode list) || list.isEmpty()) {
      out.write(b, start, end - start);
      return;
    }
    if (c.hasNonNull("id")) lastId = c.get("id").asText();
    if (c.hasNonNull("model")) lastModel = c.get("model").asText();
    boolean changed = false;
    for (Iterator<JsonNode> it = list.elements(); it.hasNext() && !stopped; ) {
      JsonNode choice = it.next();
      if (!(choice.path("delta") instanceof ObjectNode delta)) continue;
      JsonNode content = delta.get("content");
      boolean finishing = choice.path("finish_reason").isTextual();
      if ((content == null || !content.isTextual()) && !finishing) continue;
      StreamRedactor guard = choices.computeIfAbsent(choice.path("index").asInt(0),
          i -> new StreamRedactor(OutputGuard.SCANNER, session, block));
      String original = content != null && content.isTextual() ? content.asText() : null;
      StringBuilder text = new StringBuilder();
      if (original != null) text.append(take(guard.push(original)));
      if (finishing && !stopped) text.append(take(guard.finish()));
      if (original == null && text.isEmpty()) continue;
      if (text.toString().equals(original)) continue;
      changed = true;
      if (text.isEmpty() && delta.size() == 1 && !finishing) {
        it.remove(); // a choice left with nothing to say
      } else {
        delta.put("content", text.toString());
      }
    }
    if (stopped) {
      // Only the text before the finding goes; whatever else the event said is dropped with the rest.
      for (JsonNode choice : list) {
        if (choice instanceof ObjectNode o) o.putNull("finish_reason");
      }
    }
    if (!changed) {
      out.write(b, start, end - start);
    } else if (!list.isEmpty() || c.has("usage") && !c.get("usage").isNull()) {
      out.writeBytes(("data: " + c + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private String take(StreamRedactor.Release r) {
    found.addAll(r.findings());
    OutputGuard.count(x, r.findings());
    if (r.stopped()) stopped = true;
    return r.text();
  }

  /** Sends every choice's held-back text in a chunk of its own (before {@code [DONE]} or at the end). */
  private void flush(ByteArrayOutputStream out) {
    for (Map.Entry<Integer, StreamRedactor> e : choices.entrySet()) {
      if (stopped) return;
      String rest = take(e.getValue().finish());
      if (rest.isEmpty()) continue;
      ObjectNode c = JSON.createObjectNode().put("id", lastId).put("object", "chat.completion.chunk").put("model", lastModel);
      c.putArray("choices").addObject().put("index", e.getKey()).putNull("finish_reason").putObject("delta").put("content", rest);
      out.writeBytes(("data: " + c + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The data of one event, joined and trimmed. */
  private static String payload(String event) {
    StringBuilder data = new StringBuilder();
    for (String line : event.split("\r?\n")) {
      if (line.startsWith("data:")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
      }
    }
    return data.toString().trim();
  }

  /** Index just past the blank line that ends the event starting at {@code from}, or the end of the bytes. */
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') return i + 2;
        if (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') return i + 3;
      }
    }
    return b.length;
  }
}
