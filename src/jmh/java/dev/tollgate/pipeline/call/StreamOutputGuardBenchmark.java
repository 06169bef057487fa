package dev.tollgate.pipeline.call;

import dev.tollgate.domain.policy.OutputAction;
import dev.tollgate.domain.policy.PiiAction;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.meter.StreamMeter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the output guard adds to a streamed answer: the bench's stream (103 events, 100 of them with
 * text, 31.9 KB), one event per network read, through the stream meter alone ({@code off}) and
 * through the meter and the guard ({@code redact}). In the guard's own package, as it is not public.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamOutputGuardBenchmark {

  @Param({"off", "redact"})
  String guard;

  private byte[][] events;
  private WorkloadClass cls;

  @Setup
  public void setUp() {
    byte[] stream;
    try (InputStream in = StreamOutputGuardBenchmark.class.getResourceAsStream("/bench-bodies/stream.sse")) {
      if (in == null) throw new IllegalStateException("fixture stream.sse is not on the classpath");
      stream = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < stream.length; i++) {
      if (stream[i] == '\n' && stream[i + 1] == '\n') {
        out.add(Arrays.copyOfRange(stream, start, i + 2));
        start = i + 2;
      }
    }
    events = out.toArray(new byte[0][]);
    cls = new WorkloadClass("bench", List.of(), List.of(), null, List.of(), PiiAction.ALLOW, null, null, "internal", List.of(),
        OutputAction.fromWire(guard), null);
  }

  @Benchmark
  public long relayWholeStream() {
    StreamMeter meter = new StreamMeter(false);
    StreamOutputGuard outputGuard = null;
    if (cls.outputGuard()) {
      Exchange x = new Exchange("bench", Instant.EPOCH, 0, Endpoint.CHAT_COMPLETIONS, null, h -> null, new byte[0]);
      x.classified(cls, "header");
      outputGuard = new StreamOutputGuard(x);
    }
    long forwarded = 0;
    for (byte[] event : events) {
      byte[] out = meter.accept(event);
      if (outputGuard != null) out = outputGuard.accept(out);
      forwarded += out.length;
    }
    if (outputGuard != null) forwarded += outputGuard.finish().length;
    return forwarded;
  }
}
