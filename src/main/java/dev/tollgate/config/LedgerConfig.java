package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * YAML {@code ledger:} — how ledger rows reach the database. See docs/durability.md.
 *
 * @param durability {@code batched} (default: an answer ends once its row is queued; a crash may
 *     lose the last {@code flush_interval} of rows) or {@code strict} (an answer ends once its row
 *     is committed or forced to the spool)
 * @param batchSize most rows per transaction (500)
 * @param flushInterval the longest a row waits in memory for its batch to fill (200ms)
 * @param queueCapacity rows held in memory; beyond it rows spill to the spool (100000)
 * @param commitTimeout the longest a commit may take before its batch goes to the spool instead (1s)
 * @param spoolDir where rows go when the database is down or slow; null in {@link #defaults()} only,
 *     meaning "next to the SQLite file, else {@code data/spool}" — the loader always resolves it
 * @param stream a copy of every row produced to Kafka ({@code ledger.stream}); null when not configured
 */
public record LedgerConfig(String durability, int batchSize, Duration flushInterval, int queueCapacity,
    Duration commitTimeout, Path spoolDir, LedgerStreamConfig stream) {

  /** Without a stream: rows go to the database only. */
  public LedgerConfig(String durability, int batchSize, Duration flushInterval, int queueCapacity,
      Duration commitTimeout, Path spoolDir) {
    this(durability, batchSize, flushInterval, queueCapacity, commitTimeout, spoolDir, null);
  }

  public static final String BATCHED = "batched";
  public static final String STRICT = "strict";

  public static LedgerConfig defaults() {
    return new LedgerConfig(BATCHED, 500, Duration.ofMillis(200), 100_000, Duration.ofSeconds(1), null);
  }

  public boolean strict() {
    return STRICT.equals(durability);
  }

  public LedgerConfig withSpoolDir(Path dir) {
    return new LedgerConfig(durability, batchSize, flushInterval, queueCapacity, commitTimeout, dir, stream);
  }

  public LedgerConfig withDurability(String mode) {
    return new LedgerConfig(mode, batchSize, flushInterval, queueCapacity, commitTimeout, spoolDir, stream);
  }
}
