package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.policy.OutputAction;
import dev.tollgate.domain.policy.PiiAction;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.meter.StreamMeter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures what the output guard adds to relaying a stream, and prints it
 * (target/surefire-reports/dev.tollgate.pipeline.call.StreamOutputGuardCostTest-output.txt): the
 * benchmark's recorded OpenAI stream (103 events, 31.9 KB, {@code bench/bodies/stream.sse}), one
 * event per read, through the stream meter alone and through the meter and the guard. Times are the
 * thread's CPU time, so that other processes on a busy build machine do not inflate them; they are
 * printed, never asserted. What is asserted is that the guarded stream says exactly what the
 * unguarded one says, event text for event text, when there is nothing to guard.
 */
class StreamOutputGuardCostTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static List<byte[]> events() throws Exception {
    byte[] stream = Files.readAllBytes(Path.of("bench/bodies/stream.sse"));
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < stream.length; i++) {
      if (stream[i] == '\n' && stream[i + 1] == '\n') {
        out.add(Arrays.copyOfRange(stream, start, i + 2));
        start = i + 2;
      }
    }
    return out;
  }

  static byte[] relay(List<byte[]> events, boolean guarded) {
    StreamMeter meter = new StreamMeter(false);
    StreamOutputGuard guard = null;
    if (guarded) {
      Exchange x = new Exchange("cost", Instant.EPOCH, 0, Endpoint.CHAT_COMPLETIONS, null, h -> null, new byte[0]);
      x.classified(new WorkloadClass("c", List.of(), List.of(), null, List.of(), PiiAction.ALLOW, null, null, "internal", List.of(),
          OutputAction.REDACT, null), "header");
      guard = new StreamOutputGuard(x);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : events) {
      byte[] b = meter.accept(e);
      out.writeBytes(guard == null ? b : guard.accept(b));
    }
    if (guard != null) out.writeBytes(guard.finish());
    return out.toByteArray();
  }

  static String text(byte[] sse) throws Exception {
    StringBuilder t = new StringBuilder();
    for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
      if (!line.startsWith("data: {")) continue;
      JsonNode c = JSON.readTree(line.substring(6)).at("/choices/0/delta/content");
      if (c.isTextual()) t.append(c.asText());
    }
    return t.toString();
  }

  @Test
  void theGuardsCostOnARecordedStreamIsMeasured() throws Exception {
    List<byte[]> events = events();
    String plain = text(relay(events, false));
    assertThat(plain).hasSizeGreaterThan(500);
    assertThat(text(relay(events, true))).isEqualTo(plain);

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long[][] times = new long[2][];
    for (int g = 0; g < 2; g++) {
      boolean guarded = g == 1;
      for (int i = 0; i < 2_000; i++) relay(events, guarded); // warm-up
      long[] t = new long[300];
      for (int i = 0; i < t.length; i++) {
        long start = cpu.getCurrentThreadCpuTime();
        relay(events, guarded);
        t[i] = (cpu.getCurrentThreadCpuTime() - start) / 1_000;
      }
      Arrays.sort(t);
      times[g] = t;
    }
    System.out.printf("%d events, %d characters of text: meter alone median %d µs (min %d); meter + output guard median %d µs (min %d);"
        + " the guard adds %.1f µs per event%n", events.size(), plain.length(), times[0][150], times[0][0], times[1][150], times[1][0],
        (times[1][150] - times[0][150]) / (double) events.size());
  }
}
