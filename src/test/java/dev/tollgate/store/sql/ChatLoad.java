package dev.tollgate.store.sql;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent chat completions against one gateway, half of them streamed, until {@link #close()}.
 * Keeps the request id of every answer received in full: status 200, and the whole body — a JSON
 * completion, or a stream through its {@code data: [DONE]}.
 */
final class ChatLoad implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;
  private final String key;
  private final List<Thread> workers = new ArrayList<>();
  private final Set<String> completed = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong broken = new AtomicLong();
  private final AtomicLong slowestNanos = new AtomicLong();
  private volatile boolean running = true;

  ChatLoad(int port, String key, int concurrency) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
    this.key = key;
    for (int i = 0; i < concurrency; i++) {
      boolean stream = i % 2 == 0;
      workers.add(Thread.ofVirtual().name("load-" + i).start(() -> loop(stream)));
    }
  }

  private void loop(boolean stream) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"count the rows\"}]}"))
        .build();
    while (running) {
      long began = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        String id = r.headers().firstValue("x-tollgate-request-id").orElse(null);
        boolean whole = stream ? r.body().endsWith("data: [DONE]\n\n") : r.body().contains("\"choices\"");
        if (r.statusCode() == 200 && id != null && whole) {
          completed.add(id);
          slowestNanos.accumulateAndGet(System.nanoTime() - began, Math::max);
        } else {
          refused.incrementAndGet();
        }
      } catch (IOException e) {
        broken.incrementAndGet(); // the gateway died under us, or is not up
        if (!running) return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Request ids of the answers received in full so far. */
  Set<String> completed() {
    return Set.copyOf(completed);
  }

  int completedCount() {
    return completed.size();
  }

  /** Answers that came back whole but not 200 (the gateway refused or failed the request). */
  long refused() {
    return refused.get();
  }

  /** Requests whose connection broke or could not be made. */
  long broken() {
    return broken.get();
  }

  /** Forgets the slowest answer so far; returns it in milliseconds. */
  long resetSlowestMillis() {
    return slowestNanos.getAndSet(0) / 1_000_000;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread w : workers) w.join(Duration.ofSeconds(35));
    http.close();
  }
}
