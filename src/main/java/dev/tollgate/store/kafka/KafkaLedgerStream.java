package dev.tollgate.store.kafka;

import dev.tollgate.config.LedgerStreamConfig;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import dev.tollgate.store.spool.Claim;
import dev.tollgate.store.spool.Spool;
import dev.tollgate.store.spool.SpoolFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces every ledger row to a Kafka topic: one JSON message per row in the spool's format
 * ({@link SpoolFormat}, the ledger's column names), keyed by request id so that a consumer can drop a
 * row sent twice. Delivery is at least once: a row whose send fails goes to this stream's own spool
 * and is produced again later, so a consumer must deduplicate by id (docs/scale-out.md).
 *
 * <p>{@link #append} only queues the row (or spools it when the queue is full); one thread of this
 * stream calls the producer, so a producer blocking on metadata ({@code max.block.ms}) never holds a
 * request's thread or an event loop.
 */
public final class KafkaLedgerStream implements LedgerWriter {

  private static final Logger log = LoggerFactory.getLogger(KafkaLedgerStream.class);
  private static final int REPLAY_BATCH = 500;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Spool spool;
  private final BlockingQueue<UsageRecord> queue;
  private final Duration retryInterval;
  private final LongSupplier nanoTime;
  private final Thread sender;
  private final Object settledSignal = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private volatile boolean closing;
  private volatile long lastFailureNanos;
  /** When the spool directory is next looked at while nothing failed (it may hold an earlier run's rows). */
  private volatile long nextLookNanos;

  /**
   * @param producer where rows go; a {@code MockProducer} in tests
   * @param spool where rows go that Kafka did not take, replayed by this stream
   * @param retryInterval how long after a failed send the spool is tried again
   * @param nanoTime the monotonic clock retries are timed by ({@code System::nanoTime}; a fake one in tests)
   */
  public KafkaLedgerStream(Producer<String, byte[]> producer, String topic, Spool spool, int queueCapacity,
      Duration retryInterval, LongSupplier nanoTime) {
    this.producer = producer;
    this.topic = topic;
    this.spool = spool;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.retryInterval = retryInterval;
    this.nanoTime = nanoTime;
    this.lastFailureNanos = nanoTime.getAsLong() - retryInterval.toNanos();
    this.nextLookNanos = nanoTime.getAsLong();
    this.sender = Thread.ofPlatform().daemon().name("tollgate-ledger-kafka").start(this::run);
  }

  /** A stream to a real cluster, spooling under {@code spoolDir}. */
  public static KafkaLedgerStream open(LedgerStreamConfig config, Path spoolDir) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tollgate-ledger");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    // Metadata or a full buffer must not hold the sender for long: the row goes to the spool instead.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    return new KafkaLedgerStream(producer, config.topic(), new Spool(spoolDir, config.url()), config.queueCapacity(),
        Duration.ofSeconds(5), System::nanoTime);
  }

  @Override
  public void append(UsageRecord record) {
    if (closing) throw new IllegalStateException("the Kafka ledger stream is closed");
    accepted.incrementAndGet();
    if (!queue.offer(record)) toSpool(List.of(record));
  }

  /** Waits until every row appended before the call is acknowledged by Kafka or in the spool. */
  @Override
  public void flush() {
    long target = accepted.get();
    synchronized (settledSignal) {
      while (settled.get() < target) {
        try {
          settledSignal.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public long pending() {
    return accepted.get() - settled.get();
  }

  /** Rows Kafka acknowledged, replays included. */
  public long produced() {
    return produced.get();
  }

  /** Sends that failed (each such row then went to the spool). */
  public long failed() {
    return failed.get();
  }

  /** Rows written to the spool: failed sends and rows that found the queue full. */
  public long spooled() {
    return spooled.get();
  }

  @Override
  public void close() {
    if (closing) return;
    closing = true;
    // Not interrupted: an interrupt would close the spool's file channel under a write.
    try {
      sender.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
    // Rows the producer could not deliver before closing reach the spool through their callbacks.
    List<UsageRecord> left = new ArrayList<>();
    queue.drainTo(left);
    if (!left.isEmpty()) toSpool(left);
    try {
      spool.close();
    } catch (IOException e) {
      log.error("closing the Kafka ledger spool failed: {}", e.getMessage());
    }
  }

  private void run() {
    List<UsageRecord> batch = new ArrayList<>(REPLAY_BATCH);
    while (!closing) {
      try {
        UsageRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, REPLAY_BATCH - 1);
          for (UsageRecord r : batch) send(r);
          batch.clear();
        }
        replayIfDue();
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        log.error("the Kafka ledger stream hit an unexpected error; continuing", e);
      }
    }
    // Closing: what is still queued is sent once more; what fails goes to the spool.
    List<UsageRecord> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (UsageRecord r : rest) send(r);
    producer.flush();
  }

  private void send(UsageRecord r) {
    try {
      producer.send(message(r), (meta, error) -> {
        if (error == null) {
          produced.incrementAndGet();
          settle(1);
        } else {
          sendFailed(r, error);
        }
      });
    } catch (RuntimeException e) {
      // Metadata not there within max.block.ms, a full buffer, a closed producer.
      sendFailed(r, e);
    }
  }

  private void sendFailed(UsageRecord r, Exception error) {
    if (failed.incrementAndGet() == 1 || nanoTime.getAsLong() - lastFailureNanos > retryInterval.toNanos()) {
      log.warn("Kafka did not take ledger row {} ({}); spooling rows until it does", r.id(), error.getMessage());
    }
    lastFailureNanos = nanoTime.getAsLong();
    nextLookNanos = lastFailureNanos;
    toSpool(List.of(r));
  }

  private void toSpool(List<UsageRecord> rows) {
    try {
      spool.append(rows);
      spool.sync();
      spooled.addAndGet(rows.size());
    } catch (IOException e) {
      log.error("lost {} ledger rows for Kafka: the spool refused them ({}); the database still has them",
          rows.size(), e.getMessage());
    }
    settle(rows.size());
  }

  private void settle(long rows) {
    settled.addAndGet(rows);
    synchronized (settledSignal) {
      settledSignal.notifyAll();
    }
  }

  /**
   * Replays the spool once the last failure is {@code retryInterval} old: sealed segments first, then
   * the open one. With nothing spooled the directory is listed once per {@code retryInterval}, not on
   * every batch.
   */
  private void replayIfDue() {
    long now = nanoTime.getAsLong();
    if (now - lastFailureNanos < retryInterval.toNanos() || now - nextLookNanos < 0) return;
    nextLookNanos = now + retryInterval.toNanos();
    try {
      if (spool.openRows() > 0) spool.seal();
      for (Path segment : spool.replayable()) {
        try (Claim claim = spool.claim(segment)) {
          if (claim == null) continue;
          claim.replay(REPLAY_BATCH, this::produceAll);
          claim.delete();
        }
      }
    } catch (SendFailed e) {
      lastFailureNanos = nanoTime.getAsLong();
      log.warn("Kafka still refuses spooled ledger rows ({}); retrying in {}", e.getMessage(), retryInterval);
    } catch (IOException e) {
      lastFailureNanos = nanoTime.getAsLong();
      log.error("cannot read the Kafka ledger spool: {}", e.getMessage());
    }
  }

  /** Sends a replayed batch and waits for every acknowledgement; a segment is deleted only after all. */
  private void produceAll(List<UsageRecord> rows) throws SendFailed {
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    try {
      for (UsageRecord r : rows) acks.add(producer.send(message(r)));
      producer.flush();
      for (Future<RecordMetadata> ack : acks) ack.get();
    } catch (ExecutionException e) {
      throw new SendFailed(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendFailed(e);
    } catch (RuntimeException e) {
      throw new SendFailed(e);
    }
    produced.addAndGet(rows.size());
  }

  private ProducerRecord<String, byte[]> message(UsageRecord r) {
    byte[] line = SpoolFormat.encode(r);
    // The spool's line without its newline: one JSON object per message.
    return new ProducerRecord<>(topic, r.id(), Arrays.copyOf(line, line.length - 1));
  }

  /** A replayed batch Kafka did not acknowledge; the segment stays for the next try. */
  private static final class SendFailed extends Exception {
    SendFailed(Throwable cause) {
      super(cause == null ? "unknown" : String.valueOf(cause.getMessage()), cause);
    }
  }
}
