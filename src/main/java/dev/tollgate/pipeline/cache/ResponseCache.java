package dev.tollgate.pipeline.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.domain.policy.CachePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The response cache's memory: one bounded Caffeine cache per workload class, with the class's TTL
 * (expire after write) and bound (bytes by weight, or entries). Time comes from the gateway's
 * {@link Clock}, so expiry is tested by moving a clock, never by sleeping. Maintenance runs on the
 * calling thread ({@code executor(Runnable::run)}): the bounds hold when a call returns. A class
 * whose settings change on a config reload starts with an empty cache. Memory only: replicas do not
 * share it, and a restart empties it. Thread-safe.
 */
public final class ResponseCache {

  /** Bytes charged per entry on top of its answer: key, object headers, list. */
  static final int ENTRY_OVERHEAD = 160;

  private final Ticker ticker;
  private final Map<String, ClassCache> byClass = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();

  private record ClassCache(CachePolicy policy, Cache<String, CachedAnswer> entries) {}

  /** Counters since start, and what is held now. */
  public record Stats(long hits, long misses, long stores, long evictions, long expirations, long entries, long bytes) {}

  public ResponseCache(Clock clock) {
    this.ticker = () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /** The live answer stored under {@code key} for the class, counted as a hit or a miss. */
  CachedAnswer get(String className, CachePolicy policy, String key) {
    CachedAnswer answer = cacheOf(className, policy).entries().getIfPresent(key);
    (answer == null ? misses : hits).increment();
    return answer;
  }

  /** Counts a lookup that was skipped on purpose ({@code X-Tollgate-Cache: refresh}) as a miss. */
  void bypassed() {
    misses.increment();
  }

  /** Stores (or overwrites) an answer; one larger than the class's whole byte bound is not kept. */
  void put(String className, CachePolicy policy, String key, CachedAnswer answer) {
    if (policy.maxBytes() != null && weight(key, answer) > policy.maxBytes()) return;
    cacheOf(className, policy).entries().put(key, answer);
    stores.increment();
  }

  public Stats stats() {
    long entries = 0;
    long bytes = 0;
    for (ClassCache c : byClass.values()) {
      c.entries().cleanUp();
      entries += c.entries().estimatedSize();
      for (var e : c.entries().asMap().entrySet()) bytes += weight(e.getKey(), e.getValue());
    }
    return new Stats(hits.sum(), misses.sum(), stores.sum(), evictions.sum(), expirations.sum(), entries, bytes);
  }

  private ClassCache cacheOf(String className, CachePolicy policy) {
    ClassCache current = byClass.get(className);
    if (current != null && current.policy().equals(policy)) return current;
    return byClass.compute(className, (name, c) -> c != null && c.policy().equals(policy) ? c : new ClassCache(policy, build(policy)));
  }

  private Cache<String, CachedAnswer> build(CachePolicy policy) {
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .ticker(ticker)
        .executor(Runnable::run)
        .expireAfterWrite(Duration.ofSeconds(policy.ttlSeconds()))
        .evictionListener((Object k, Object v, RemovalCause cause) -> {
          if (cause == RemovalCause.EXPIRED) expirations.increment();
          else if (cause == RemovalCause.SIZE) evictions.increment();
        });
    if (policy.maxEntries() != null) {
      b.maximumSize(policy.maxEntries());
    } else {
      b.maximumWeight(policy.maxBytes()).weigher((Object k, Object v) ->
          (int) Math.min(Integer.MAX_VALUE, weight((String) k, (CachedAnswer) v)));
    }
    return b.build();
  }

  private static long weight(String key, CachedAnswer answer) {
    return key.length() + answer.bytes() + ENTRY_OVERHEAD;
  }
}
