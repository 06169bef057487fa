package dev.tollgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.decode.Decode;
import java.io.IOException;
import java.time.Instant;
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
 * The request body's two trips through Jackson on the request path: {@code decode} is the Decode
 * stage (bytes → tree, checks); {@code reencode} is what CallProvider does before the upstream call
 * (copy the tree, rename the model, tree → bytes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBenchmark {

  @Param({"chat-1k.json", "chat-8k.json"})
  String body;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Decode decode = new Decode();
  private byte[] raw;
  private ObjectNode decoded;

  @Setup
  public void setUp() {
    raw = Fixtures.bytes(body);
    decoded = Fixtures.json(body);
  }

  @Benchmark
  public Exchange decode() {
    Exchange x = new Exchange("req-1", Instant.EPOCH, 0, Endpoint.CHAT_COMPLETIONS, null, name -> null, raw);
    if (!(decode.apply(x) instanceof Decision.Continue)) throw new IllegalStateException("fixture refused");
    return x;
  }

  @Benchmark
  public byte[] reencode() throws IOException {
    ObjectNode upstream = decoded.deepCopy();
    upstream.put("model", "gpt-4o-mini");
    return JSON.writeValueAsBytes(upstream);
  }
}
