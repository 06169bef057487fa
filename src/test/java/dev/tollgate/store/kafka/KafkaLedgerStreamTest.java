package dev.tollgate.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.store.spool.Spool;
import dev.tollgate.store.spool.SpoolFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka copy of the ledger against Kafka's own MockProducer: what a consumer receives, and what a failure does. */
class KafkaLedgerStreamTest {

  private static final Instant T0 = Instant.parse("2026-11-01T09:30:00.123456789Z");
  private static final String TOPIC = "tollgate.ledger";
  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private KafkaLedgerStream stream;

  @AfterEach
  void close() {
    if (stream != null) stream.close();
  }

  private KafkaLedgerStream open() {
    stream = new KafkaLedgerStream(producer, TOPIC, new Spool(dir, "kafka://k1:9092/" + TOPIC), 1000, RETRY, nanos::get);
    return stream;
  }

  static UsageRecord row(String id) {
    Attribution a = new Attribution("acme", "support", "helpdesk", "triage", "bot-7", "ana@acme.test", "slack",
        "conv-1", "classification", Map.of("env", "prod"));
    return new UsageRecord(id, T0, T0.plusNanos(1_500_000_001L), "support-key", a, "openai", "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18", "economy", "budget_downgrade", new TokenUsage(1200, 1000, 7, 300, 120),
        Money.ofNanos(123_456_789_012L), RequestStatus.OK, null, 1500, 250L, null, false, false, true, 200,
        "rule: agent=bot-*", Map.of("email", 2), 1);
  }

  @Test
  void everyRowIsOneJsonMessageKeyedByRequestIdWithTheLedgersFieldNamesInOrder() throws IOException {
    open();
    stream.append(row("req-1"));
    stream.append(row("req-2"));
    stream.flush();

    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).extracting(ProducerRecord::topic).containsOnly(TOPIC);
    assertThat(sent).extracting(ProducerRecord::key).containsExactly("req-1", "req-2");
    JsonNode first = JSON.readTree(sent.get(0).value());
    List<String> fields = new ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("v", "id", "started_at", "ended_at", "key_name", "org", "team", "project",
        "workflow", "agent", "user_name", "channel", "conversation", "workload_class", "tags", "provider",
        "requested_model", "served_model", "tier", "route_reason", "input_tokens", "cached_input_tokens",
        "cache_write_tokens", "output_tokens", "reasoning_tokens", "cost_nanos", "status", "error_code", "http_status",
        "latency_ms", "ttft_ms", "exception_id", "cache_hit", "usage_estimated", "stream", "class_reason", "attempts",
        "guard_findings", "cost_saved_nanos", "template", "prompt_hash", "prefix_hash", "max_tokens");
    assertThat(first.get("id").asText()).isEqualTo("req-1");
    assertThat(first.get("started_at").asText()).isEqualTo("2026-11-01T09:30:00.123456789Z");
    assertThat(first.get("cost_nanos").asLong()).isEqualTo(123_456_789_012L);
    assertThat(first.get("team").asText()).isEqualTo("support");
    assertThat(first.get("tags").get("env").asText()).isEqualTo("prod");
    assertThat(new String(sent.get(0).value(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\n");
    assertThat(SpoolFormat.decode(sent.get(1).value())).isEqualTo(row("req-2"));
    assertThat(stream.produced()).isEqualTo(2);
    assertThat(stream.failed()).isZero();
    assertThat(stream.spooled()).isZero();
    assertThat(stream.pending()).isZero();
  }

  @Test
  void rowsKafkaRefusesGoToTheSpoolAndAreProducedOnceItIsBack() throws IOException {
    open();
    producer.sendException = new KafkaException("broker unreachable");
    stream.append(row("req-a"));
    stream.append(row("req-b"));
    stream.flush();

    assertThat(stream.failed()).isEqualTo(2);
    assertThat(stream.spooled()).isEqualTo(2);
    assertThat(stream.produced()).isZero();
    assertThat(segments()).isNotEmpty();

    producer.sendException = null;
    nanos.addAndGet(RETRY.toNanos() + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.produced() == 2);

    assertThat(producer.history()).extracting(ProducerRecord::key).containsSubsequence("req-a", "req-b");
    await().atMost(Duration.ofSeconds(10)).until(() -> segments().isEmpty());
  }

  @Test
  void theSpoolIsNotRetriedBeforeTheRetryInterval() throws IOException {
    open();
    producer.sendException = new KafkaException("broker unreachable");
    stream.append(row("req-a"));
    stream.flush();
    producer.sendException = null;

    // A new row goes straight through; the spooled one waits for the interval.
    stream.append(row("req-c"));
    stream.flush();
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("req-c");
    assertThat(segments()).isNotEmpty();

    nanos.addAndGet(RETRY.toNanos() + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.produced() == 2);
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("req-c", "req-a");
  }

  @Test
  void rowsSpooledByAnEarlierRunAreProducedByTheNext() throws IOException {
    producer.sendException = new KafkaException("broker unreachable");
    open();
    stream.append(row("req-old"));
    stream.close();
    stream = null;
    assertThat(segments()).isNotEmpty();

    producer.sendException = null;
    MockProducer<String, byte[]> next = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    stream = new KafkaLedgerStream(next, TOPIC, new Spool(dir, "kafka://k1:9092/" + TOPIC), 1000, RETRY, nanos::get);

    await().atMost(Duration.ofSeconds(10)).until(() -> stream.produced() == 1);
    assertThat(next.history()).extracting(ProducerRecord::key).containsExactly("req-old");
  }

  private List<Path> segments() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
    }
  }
}
