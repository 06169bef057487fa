package dev.tollgate.provider.shared;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent-events byte stream into events as the bytes arrive. Holds at most one
 * unfinished event; an event is complete at its blank line ({@code \n\n} or {@code \r\n\r\n}).
 */
public final class SseReader {

  /** One event: its {@code event:} name (null when absent), its {@code data:} lines joined by newlines, and its raw text. */
  public record Event(String name, String data, String raw) {}

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);

  /** Takes the next bytes; returns the events they complete (maybe none). */
  public List<Event> accept(byte[] chunk) {
    pending.writeBytes(chunk);
    byte[] buf = pending.toByteArray();
    List<Event> events = new ArrayList<>();
    int start = 0;
    int end;
    while ((end = eventEnd(buf, start)) >= 0) {
      Event e = parse(new String(buf, start, end - start, StandardCharsets.UTF_8));
      if (e != null) events.add(e);
      start = end;
    }
    pending.reset();
    pending.write(buf, start, buf.length - start);
    return events;
  }

  /** The last event if the stream ended without its blank line, else null. */
  public Event finish() {
    String rest = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    return rest.isBlank() ? null : parse(rest);
  }

  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') return i + 2;
        if (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') return i + 3;
      }
    }
    return -1;
  }

  private static Event parse(String raw) {
    String name = null;
    StringBuilder data = null;
    for (String line : raw.split("\r?\n")) {
      if (line.startsWith("event:")) name = field(line, 6);
      else if (line.startsWith("data:")) {
        if (data == null) data = new StringBuilder();
        else data.append('\n');
        data.append(field(line, 5));
      }
    }
    if (name == null && data == null) return null; // comments and keep-alive lines only
    return new Event(name, data == null ? "" : data.toString(), raw);
  }

  private static String field(String line, int at) {
    return line.length() > at && line.charAt(at) == ' ' ? line.substring(at + 1) : line.substring(at);
  }
}
