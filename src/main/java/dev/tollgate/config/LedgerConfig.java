package dev.tollgate.config;

import java.time.Duration;

/**
 * YAML {@code ledger:} — durability (batched, the default; strict is not in this build), batch_size (500),
 * flush_interval (200ms; the longest a record waits in memory), queue_capacity (100000).
 */
public record LedgerConfig(String durability, int batchSize, Duration flushInterval, int queueCapacity) {
  public static LedgerConfig defaults() {
    return new LedgerConfig("batched", 500, Duration.ofMillis(200), 100_000);
  }
}
