package dev.tollgate.store.redis;

import dev.tollgate.port.CounterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that Redis lost the counters, and has them rebuilt from the ledger once across all replicas.
 * How, in plain words:
 *
 * <ol>
 *   <li>Every rebuild ends by writing a <b>generation marker</b> ({@code {p}generation}, a fresh value
 *       each time). Each replica adopts the marker it finds; its reserve and settle scripts run only
 *       while Redis still holds that marker, and otherwise change nothing. A Redis that lost its data
 *       — restarted without persistence, {@code FLUSHALL}, failed over to an empty replica — has no
 *       marker, so no reservation ever counts from zero: the replica treats Redis as down (fail_closed
 *       or local limits, as configured) from the first refused script, or from the probe that looks at
 *       the marker every probe interval, whichever comes first.
 *   <li>To restore, a replica that finds no marker takes the <b>rebuild lock</b> ({@code SET NX PX}).
 *       The holder seeds every counter from the ledger (into counters Redis does not have: the seed
 *       script's rule) and then writes a new marker — only if it still holds the lock — releasing it.
 *       The others find the lock taken and look again at the next probe; once a marker is there they
 *       adopt it. So one rebuild defines the counters, however many replicas noticed the loss.
 *   <li>A replica that adopts a new generation re-holds its reservations still in flight (the holds
 *       were lost with the data), then replays what it queued meanwhile, and only then admits through
 *       Redis again — not before {@link #SETTLE_TIME} after the marker was written, so that every other
 *       replica, probing more often than that, has re-held its own in-flight reservations first.
 * </ol>
 */
public final class RedisGenerations {

  private static final Logger log = LoggerFactory.getLogger(RedisGenerations.class);
  /** How long a rebuild may hold the lock before another replica may take over (a rebuild that died). */
  static final Duration LOCK_FOR = Duration.ofSeconds(30);
  /** How long after a new marker replicas wait before admitting through Redis again (see the class comment). */
  static final Duration SETTLE_TIME = Duration.ofSeconds(1);

  private final RedisCounterStore redis;
  private final Clock clock;
  private final String owner = UUID.randomUUID().toString();
  /** Null until the gateway says how to rebuild: until then a missing marker is waited on, not rebuilt. */
  private volatile Consumer<CounterStore> rebuild;
  private volatile long rebuilds;

  /** From now on {@code redis} runs reserve and settle only under a generation this object adopted. */
  public RedisGenerations(RedisCounterStore redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
    redis.requireGeneration();
  }

  /**
   * What seeds the counters from the ledger: it is given the Redis store to {@link CounterStore#add}
   * to (blocking calls, on the caller's thread) and should flush this replica's own ledger rows first.
   */
  public void rebuildWith(Consumer<CounterStore> rebuild) {
    this.rebuild = rebuild;
  }

  /** True if Redis holds the generation this replica acts under (adopting the marker if it had none yet); blocking. */
  public boolean intact() {
    String have = redis.currentGeneration();
    String mine = redis.adopted();
    if (have != null && mine == null) {
      redis.adopt(have);
      return true;
    }
    return have != null && have.equals(mine);
  }

  /**
   * Makes Redis hold a generation again: adopts the marker if another replica wrote one, otherwise
   * rebuilds under the lock and writes one. Returns false if another replica is rebuilding (look
   * again later); blocking; throws {@link CountersUnavailableException} if Redis does not answer.
   */
  public boolean restore() {
    String have = redis.currentGeneration();
    if (have != null) {
      adopt(have);
      return true;
    }
    Consumer<CounterStore> seeds = rebuild;
    if (seeds == null || !redis.lockRebuild(owner, LOCK_FOR)) return false;
    // The marker is written only under the lock: read again now that this replica holds it, so that a
    // rebuild that finished between the first read and the lock is adopted, not repeated.
    have = redis.currentGeneration();
    if (have != null) {
      redis.unlockRebuild(owner);
      adopt(have);
      return true;
    }
    String next = clock.millis() + "-" + UUID.randomUUID();
    try {
      long started = System.nanoTime();
      seeds.accept(redis);
      if (!redis.publishGeneration(owner, next)) {
        log.warn("the counters' rebuild outlived its lock ({}); another replica's rebuild counts", LOCK_FOR);
        return false;
      }
      rebuilds++;
      log.info("budget counters rebuilt from the ledger in {} ms (generation {})", (System.nanoTime() - started) / 1_000_000, next);
    } catch (RuntimeException e) {
      redis.unlockRebuild(owner);
      throw e;
    }
    adopt(next);
    return true;
  }

  /** The generation this replica acts under, or null. */
  public String adopted() {
    return redis.adopted();
  }

  /** The epoch millisecond the adopted generation was written at (0 if none or unknown). */
  public long adoptedAtMillis() {
    String g = redis.adopted();
    if (g == null) return 0;
    int dash = g.indexOf('-');
    try {
      return dash > 0 ? Long.parseLong(g.substring(0, dash)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** How many rebuilds this replica ran (and published). */
  public long rebuilds() {
    return rebuilds;
  }

  private void adopt(String g) {
    if (!g.equals(redis.adopted())) log.info("budget counters: adopting generation {}", g);
    redis.adopt(g);
  }
}
