package dev.tollgate.config;

import java.time.Duration;

/**
 * Settings of a {@code type: simulator} provider, given inline beside {@code type}. Keys: latency
 * (0; added before the reply of a non-streaming call), ttft (0; before the first streamed token),
 * tokens_per_second (0 = as fast as possible), output_tokens (24), error_rate (0.0–1.0; share of calls
 * answered with a 500), seed (42). Replies are deterministic for the same prompt and settings.
 */
public record SimulatorConfig(
    Duration latency, Duration ttft, double tokensPerSecond, int outputTokens, double errorRate, long seed) {

  public static SimulatorConfig defaults() {
    return new SimulatorConfig(Duration.ZERO, Duration.ZERO, 0, 24, 0.0, 42);
  }
}
