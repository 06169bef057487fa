package dev.tollgate.store.kafka;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every row to the database writer, and a copy to a stream. The database stays the ledger of record
 * (budget rebuilds, reports and the console read it), so durability and {@link #flush} are the
 * database's: a stream that is down never delays an answer or a budget rebuild.
 */
public final class TeeLedgerWriter implements LedgerWriter {

  private static final Logger log = LoggerFactory.getLogger(TeeLedgerWriter.class);

  private final LedgerWriter database;
  private final LedgerWriter stream;

  public TeeLedgerWriter(LedgerWriter database, LedgerWriter stream) {
    this.database = database;
    this.stream = stream;
  }

  @Override
  public void append(UsageRecord record) {
    database.append(record);
    copy(record);
  }

  @Override
  public CompletionStage<Void> appendBeforeAnswer(UsageRecord record) {
    CompletionStage<Void> durable = database.appendBeforeAnswer(record);
    copy(record);
    return durable;
  }

  /** The database's flush: what readers of the ledger wait for. */
  @Override
  public void flush() {
    database.flush();
  }

  @Override
  public long pending() {
    return database.pending() + stream.pending();
  }

  /** Closes the stream, then the database writer. */
  @Override
  public void close() {
    try {
      stream.close();
    } finally {
      database.close();
    }
  }

  private void copy(UsageRecord record) {
    try {
      stream.append(record);
    } catch (RuntimeException e) {
      // The row is in the database; the stream's copy must never fail the request.
      log.error("ledger row {} not copied to the stream: {}", record.id(), e.getMessage());
    }
  }
}
