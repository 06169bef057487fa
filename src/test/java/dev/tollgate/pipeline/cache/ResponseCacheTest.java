package dev.tollgate.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.policy.CachePolicy;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's memory on its own: TTL by an injected clock, the byte and entry bounds, overwrite. */
class ResponseCacheTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
  final ResponseCache cache = new ResponseCache(clock);

  static CachedAnswer answer(int bytes) {
    return new CachedAnswer(false, List.of(), new byte[bytes], TokenUsage.of(10, 5));
  }

  @Test
  void anEntryLivesExactlyItsTtl() {
    CachePolicy p = CachePolicy.ttl(60);
    cache.put("c", p, "k", answer(10));
    clock.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(cache.get("c", p, "k")).isNotNull();
    clock.advance(Duration.ofNanos(1));
    assertThat(cache.get("c", p, "k")).isNull();
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(1);
  }

  @Test
  void theByteBoundHoldsAndWhatWasDroppedIsCountedAsEvicted() {
    CachePolicy p = new CachePolicy(3600, null, 4096L, CachePolicy.Share.KEY, true);
    for (int i = 0; i < 20; i++) cache.put("c", p, "key-" + i, answer(500));
    ResponseCache.Stats s = cache.stats();
    assertThat(s.bytes()).isLessThanOrEqualTo(4096).isGreaterThan(0);
    assertThat(s.stores()).isEqualTo(20);
    assertThat(s.evictions()).isEqualTo(20 - s.entries());
    assertThat(s.entries()).isBetween(1L, 6L);
  }

  @Test
  void anAnswerLargerThanTheWholeBoundIsNotKept() {
    CachePolicy p = new CachePolicy(3600, null, 4096L, CachePolicy.Share.KEY, true);
    cache.put("c", p, "big", answer(5000));
    assertThat(cache.get("c", p, "big")).isNull();
    assertThat(cache.stats().stores()).isZero();
  }

  @Test
  void theEntryBoundHolds() {
    CachePolicy p = new CachePolicy(3600, 3L, null, CachePolicy.Share.KEY, true);
    for (int i = 0; i < 10; i++) cache.put("c", p, "key-" + i, answer(10));
    assertThat(cache.stats().entries()).isEqualTo(3);
    assertThat(cache.stats().evictions()).isEqualTo(7);
  }

  @Test
  void classesAreSeparateAndAChangedPolicyStartsEmpty() {
    CachePolicy p = CachePolicy.ttl(60);
    cache.put("a", p, "k", answer(10));
    assertThat(cache.get("b", p, "k")).as("another class").isNull();
    assertThat(cache.get("a", CachePolicy.ttl(120), "k")).as("the class's settings changed on reload").isNull();
  }

  @Test
  void aPutOverwrites() {
    CachePolicy p = CachePolicy.ttl(60);
    cache.put("c", p, "k", answer(10));
    cache.put("c", p, "k", answer(20));
    assertThat(cache.get("c", p, "k").body()).hasSize(20);
  }
}
