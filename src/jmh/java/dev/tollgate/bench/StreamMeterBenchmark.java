package dev.tollgate.bench;

import dev.tollgate.pipeline.meter.StreamMeter;
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
 * Usage scanning of one whole streamed answer: OpenAI's stream of 100 content chunks plus role,
 * finish and usage chunks and [DONE] (103 events, 31.9 KB), fed to StreamMeter the way the
 * upstream delivers it — one event per network read (a model generating token by token), or in
 * 4 KB reads (a fast upstream whose events pile up in the socket).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamMeterBenchmark {

  @Param({"event", "4096"})
  String reads;

  private byte[][] chunks;

  @Setup
  public void setUp() {
    byte[] stream = Fixtures.bytes("stream.sse");
    List<byte[]> out = new ArrayList<>();
    if (reads.equals("event")) {
      int start = 0;
      for (int i = 0; i + 1 < stream.length; i++) {
        if (stream[i] == '\n' && stream[i + 1] == '\n') {
          out.add(Arrays.copyOfRange(stream, start, i + 2));
          start = i + 2;
        }
      }
    } else {
      int size = Integer.parseInt(reads);
      for (int i = 0; i < stream.length; i += size) out.add(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + size)));
    }
    chunks = out.toArray(new byte[0][]);
  }

  @Benchmark
  public long meterWholeStream() {
    StreamMeter meter = new StreamMeter(false);
    long forwarded = 0;
    for (byte[] chunk : chunks) forwarded += meter.accept(chunk).length;
    if (meter.reportedUsage() == null || !meter.done()) throw new IllegalStateException("usage not found");
    return forwarded + meter.generatedText().length();
  }
}
