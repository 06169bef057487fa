package dev.tollgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.tokens.JtokkitTokenCounter;
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
 * o200k_base, any other model with cl100k_base.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenEstimateBenchmark {

  @Param({"chat-8k.json", "chat-64k.json"})
  String body;

  @Param({"gpt-4o-mini", "claude-sonnet-4-5"})
  String model;

  private PromptEstimator estimator;
  private ObjectNode request;

  @Setup
  public void setUp() {
    estimator = new PromptEstimator(new JtokkitTokenCounter());
    request = Fixtures.json(body);
  }

  @Benchmark
  public long promptTokens() {
    return estimator.promptTokens(model, request);
  }
}
