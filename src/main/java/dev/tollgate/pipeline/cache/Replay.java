package dev.tollgate.pipeline.cache;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.Reply;
import java.util.Map;

/**
 * Sends a cached answer: a whole body, or the stored stream write by write — the same bytes, in the
 * same pieces, as the first client received — pausing while the client is slow.
 */
final class Replay implements Reply {

  private final CachedAnswer answer;
  private final Map<String, String> headers;
  private int next;
  private boolean closed;

  Replay(CachedAnswer answer, Map<String, String> headers) {
    this.answer = answer;
    this.headers = headers;
  }

  @Override
  public void sendTo(ClientChannel client) {
    if (!answer.stream()) {
      client.sendBody(200, headers, answer.body());
      return;
    }
    client.onClose(() -> closed = true);
    client.startStream(200, headers);
    writeFrom(client);
  }

  private void writeFrom(ClientChannel client) {
    while (next < answer.chunks().size()) {
      if (closed) return;
      client.write(answer.chunks().get(next++));
      if (client.writeQueueFull() && next < answer.chunks().size()) {
        client.onDrain(() -> writeFrom(client));
        return;
      }
    }
    if (!closed) client.end();
  }
}
