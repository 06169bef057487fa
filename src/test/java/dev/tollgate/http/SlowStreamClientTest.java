package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that reads a stream slowly, against an upstream that produces it as fast as it may: the
 * gateway stops reading from the upstream while the client lags (so the upstream's own writes block)
 * instead of holding the stream in memory, and the whole stream still arrives intact and metered.
 */
class SlowStreamClientTest {

  static final ObjectMapper JSON = new ObjectMapper();
  /** 8,000 events of 8 KiB: 64 MiB, more than every socket buffer on the way can hold (≈ 40 MiB on Linux at most). */
  static final int EVENTS = 8_000;
  static final int EVENT_TEXT = 8 * 1024;
  static final String KEY = "tg-test-slow-reader-0001";

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final FastUpstream upstream = new FastUpstream();
  TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
    vertx.close().await();
  }

  /** Streams {@link #EVENTS} content chunks, a usage chunk and [DONE], writing whenever its connection lets it. */
  final class FastUpstream {
    final AtomicLong written = new AtomicLong();
    final AtomicBoolean blocked = new AtomicBoolean();
    final AtomicLong timesBlocked = new AtomicLong();
    final AtomicBoolean finished = new AtomicBoolean();
    long total;
    final HttpServer server;

    FastUpstream() {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
        write(resp, 0);
      })).listen(0, "127.0.0.1").await();
    }

    void write(HttpServerResponse resp, int from) {
      for (int i = from; i < EVENTS; i++) {
        if (resp.writeQueueFull()) {
          // The gateway is not reading: wait until it does (this is what the test looks for).
          blocked.set(true);
          timesBlocked.incrementAndGet();
          int next = i;
          resp.drainHandler(v -> {
            blocked.set(false);
            write(resp, next);
          });
          return;
        }
        send(resp, chunk(i));
      }
      ObjectNode usage = JSON.createObjectNode().put("id", "c").put("object", "chat.completion.chunk").put("created", 1).put("model", "fast");
      usage.putArray("choices");
      usage.putObject("usage").put("prompt_tokens", 9).put("completion_tokens", EVENTS).put("total_tokens", 9 + EVENTS);
      send(resp, "data: " + usage + "\n\n");
      send(resp, "data: [DONE]\n\n");
      resp.end();
      finished.set(true);
    }

    void send(HttpServerResponse resp, String text) {
      Buffer b = Buffer.buffer(text);
      written.addAndGet(b.length());
      resp.write(b);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }
  }

  /** One content event whose text starts with its index, padded to {@link #EVENT_TEXT} characters. */
  static String chunk(int i) {
    StringBuilder text = new StringBuilder(EVENT_TEXT).append('[').append(i).append(']');
    while (text.length() < EVENT_TEXT) text.append('x');
    ObjectNode c = JSON.createObjectNode().put("id", "c").put("object", "chat.completion.chunk").put("created", 1).put("model", "fast");
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta").put("content", text.toString());
    choice.putNull("finish_reason");
    return "data: " + c + "\n\n";
  }

  @Test
  void aClientReadingSlowlyMakesTheGatewayStopReadingUpstreamAndStillGetsTheWholeStream() throws Exception {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        org: { name: acme }
        providers:
          fast: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          big: { provider: fast, upstream: fast, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        keys:
          - { name: slow-reader, secret: %s }
        """.formatted(KEY), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);

    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(8 * 1024); // a small window, as a slow mobile client would have
      client.connect(new InetSocketAddress("127.0.0.1", gw.gateway().port()), 5_000);
      client.setSoTimeout(120_000);
      byte[] body = "{\"model\":\"big\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"everything\"}]}"
          .getBytes(StandardCharsets.UTF_8);
      OutputStream out = client.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer " + KEY
          + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();

      InputStream in = client.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream(EVENTS * (EVENT_TEXT + 200));
      byte[] buf = new byte[16 * 1024];
      // Read a little (the head and the first events), then stop reading, as a stalled client does.
      while (received.size() < 64 * 1024) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        received.write(buf, 0, n);
      }

      // The upstream's writes block, and stay blocked while the client does not read: the gateway has
      // stopped reading from it instead of buffering the stream.
      await().atMost(Duration.ofSeconds(60)).until(upstream.blocked::get);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(upstream.blocked::get);
      long writtenWhileStalled = upstream.written.get();
      System.out.printf("slow client: upstream blocked after %.1f MiB of a %.1f MiB stream while the client had read %d KiB%n",
          writtenWhileStalled / 1048576.0, EVENTS * (EVENT_TEXT + 130) / 1048576.0, received.size() / 1024);
      assertThat(upstream.finished).as("the upstream could not write the whole stream").isFalse();
      assertThat(writtenWhileStalled).as("held in socket buffers, not in the gateway's memory")
          .isLessThan((long) EVENTS * EVENT_TEXT * 3 / 4);

      // Now the client reads everything, slowly (a little at a time).
      for (int n; (n = in.read(buf, 0, 4096)) > 0; ) received.write(buf, 0, n);
      assertThat(upstream.timesBlocked.get()).isPositive();
      assertThat(upstream.finished).isTrue();

      String all = received.toString(StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200");
      String requestId = all.lines().filter(l -> l.toLowerCase().startsWith("x-tollgate-request-id:")).findFirst().orElseThrow()
          .substring("x-tollgate-request-id:".length()).trim();
      String stream = dechunk(all.substring(all.indexOf("\r\n\r\n") + 4));
      int next = 0;
      for (String event : stream.split("\n\n")) {
        if (!event.startsWith("data: {")) continue;
        JsonNode c = JSON.readTree(event.substring(6));
        JsonNode content = c.at("/choices/0/delta/content");
        if (content.isMissingNode()) continue;
        assertThat(content.asText()).as("event %d intact and in order", next).startsWith("[" + next + "]").hasSize(EVENT_TEXT);
        next++;
      }
      assertThat(next).as("every event arrived").isEqualTo(EVENTS);
      assertThat(stream.trim()).endsWith("data: [DONE]");

      UsageRecord row = gw.ledger().stream().filter(r -> r.id().equals(requestId)).findFirst().orElseThrow();
      assertThat(row.status()).isEqualTo(dev.tollgate.domain.usage.RequestStatus.OK);
      assertThat(row.usage().outputTokens()).as("metered from the stream's usage chunk").isEqualTo(EVENTS);
    }
  }

  /** Undoes HTTP/1.1 chunked transfer encoding. */
  static String dechunk(String body) {
    StringBuilder out = new StringBuilder(body.length());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int at = 0;
    while (at < bytes.length) {
      int eol = indexOf(bytes, at);
      int size = Integer.parseInt(new String(bytes, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
      if (size == 0) break;
      out.append(new String(bytes, eol + 2, size, StandardCharsets.UTF_8));
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
    throw new IllegalStateException("truncated chunked body");
  }
}
