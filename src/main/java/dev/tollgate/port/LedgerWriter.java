package dev.tollgate.port;

import dev.tollgate.domain.usage.UsageRecord;

/**
 * Where finished requests go. Implementations must not block the caller on a database round trip:
 * {@link #append} hands the record over and returns; the writer persists records in batches off the
 * request path. Another sink (Kafka, ClickHouse…) is a new implementation, not a rewrite.
 */
public interface LedgerWriter extends AutoCloseable {

  /** Accepts one record for durable storage. Never blocks on a full queue or a slow database: the record spills to the local spool instead. */
  void append(UsageRecord record);

  /**
   * Accepts one record whose request is about to send its client the last bytes. The stage completes
   * when the record is as durable as the writer promises before an answer may end: at once when
   * records are written in batches ({@code ledger.durability: batched}), after the group commit that
   * holds it in {@code strict} mode. Never blocks the caller.
   */
  default java.util.concurrent.CompletionStage<Void> appendBeforeAnswer(UsageRecord record) {
    append(record);
    return java.util.concurrent.CompletableFuture.completedStage(null);
  }

  /** Blocks until every record appended before this call is durably stored. */
  void flush();

  /** Records accepted but not yet stored: the ledger queue depth, for metrics. */
  long pending();

  /** Flushes everything, then stops the writer. Appends after close are refused. */
  @Override
  void close();
}
