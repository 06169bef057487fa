package dev.tollgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.tokens.JtokkitTokenCounter;
import dev.tollgate.tokens.RememberingTokenCounter;
import dev.tollgate.tokens.Utf8LengthBound;
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
 * Admission counts the prompt's tokens before every call (PromptEstimator over jtokkit), on the
 * event loop. Target (issue 11): an 8 KB prompt in under 50 µs. gpt-4o-mini is counted with
 * o200k_base, any other model with cl100k_base. {@code counter=jtokkit} tokenizes every time (a prompt
 * never seen before); {@code counter=remembering} is what the gateway runs, here with the same
 * messages on every call (a repeated system prompt, a conversation resent with each turn);
 * {@code counter=bound} is what admission reserves first — the UTF-8 length of the texts, an upper
 * bound on any byte-level tokenizer's count — with the exact count only where the bound would refuse.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenEstimateBenchmark {

  @Param({"chat-8k.json", "chat-64k.json"})
  String body;

  @Param({"gpt-4o-mini", "claude-sonnet-4-5"})
  String model;

  @Param({"jtokkit", "remembering", "bound"})
  String counter;

  private PromptEstimator estimator;
  private ObjectNode request;

  @Setup
  public void setUp() {
    JtokkitTokenCounter jtokkit = new JtokkitTokenCounter();
    estimator = new PromptEstimator(switch (counter) {
      case "jtokkit" -> jtokkit;
      case "bound" -> new Utf8LengthBound();
      default -> new RememberingTokenCounter(jtokkit, 4_000_000);
    });
    request = Fixtures.json(body);
  }

  @Benchmark
  public long promptTokens() {
    return estimator.promptTokens(model, request);
  }
}
