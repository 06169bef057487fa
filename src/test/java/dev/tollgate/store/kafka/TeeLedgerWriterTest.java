package dev.tollgate.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database keeps every row and sets the pace; the stream gets a copy and cannot fail a request. */
class TeeLedgerWriterTest {

  /** A writer that records what it got, or refuses everything. */
  private static final class Recording implements LedgerWriter {
    final List<String> ids = new ArrayList<>();
    final boolean refuses;
    int flushes;
    boolean closed;

    Recording(boolean refuses) {
      this.refuses = refuses;
    }

    @Override
    public void append(UsageRecord record) {
      if (refuses) throw new IllegalStateException("closed");
      ids.add(record.id());
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public long pending() {
      return ids.size();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void bothGetEveryRow() {
    Recording db = new Recording(false);
    Recording stream = new Recording(false);
    TeeLedgerWriter tee = new TeeLedgerWriter(db, stream);

    tee.append(KafkaLedgerStreamTest.row("r1"));
    tee.appendBeforeAnswer(KafkaLedgerStreamTest.row("r2")).toCompletableFuture().join();

    assertThat(db.ids).containsExactly("r1", "r2");
    assertThat(stream.ids).containsExactly("r1", "r2");
    assertThat(tee.pending()).isEqualTo(4);
  }

  @Test
  void aStreamThatRefusesARowDoesNotFailTheRequestAndTheDatabaseStillHasIt() {
    Recording db = new Recording(false);
    TeeLedgerWriter tee = new TeeLedgerWriter(db, new Recording(true));

    tee.append(KafkaLedgerStreamTest.row("r1"));

    assertThat(db.ids).containsExactly("r1");
  }

  @Test
  void flushWaitsForTheDatabaseOnlyAndCloseClosesBoth() {
    Recording db = new Recording(false);
    Recording stream = new Recording(false);
    TeeLedgerWriter tee = new TeeLedgerWriter(db, stream);

    tee.flush();
    tee.close();

    assertThat(db.flushes).isEqualTo(1);
    assertThat(stream.flushes).isZero();
    assertThat(db.closed).isTrue();
    assertThat(stream.closed).isTrue();
  }
}
