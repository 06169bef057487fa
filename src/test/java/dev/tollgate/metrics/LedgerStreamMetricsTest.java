package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ledger stream's counters on /metrics, read live from the stream. */
class LedgerStreamMetricsTest {

  private static final LedgerWriter IDLE = new LedgerWriter() {
    @Override
    public void append(UsageRecord record) {}

    @Override
    public void flush() {}

    @Override
    public long pending() {
      return 0;
    }

    @Override
    public void close() {}
  };

  @Test
  void producedFailedAndSpooledRowsAreExported() {
    GatewayMetrics metrics = new GatewayMetrics(() -> IDLE);
    AtomicLong produced = new AtomicLong();
    metrics.ledgerStream(produced::get, () -> 3, () -> 4);
    produced.set(1234);

    String text = metrics.scrape();

    assertThat(text).contains("tollgate_ledger_stream_produced_rows_total 1234.0")
        .contains("tollgate_ledger_stream_failed_sends_total 3.0")
        .contains("tollgate_ledger_stream_spooled_rows_total 4.0");
  }

  @Test
  void withoutAStreamThereAreNoStreamMetrics() {
    assertThat(new GatewayMetrics(() -> IDLE).scrape()).doesNotContain("tollgate_ledger_stream");
  }
}
