package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.time.Instant;
import java.util.Map;
import dev.tollgate.port.UsageObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackgroundObserverTest {

  static UsageRecord row(int i) {
    Instant at = Instant.parse("2026-11-02T10:00:00Z");
    Attribution a = new Attribution("acme", "support", null, null, null, null, null, null, null, Map.of());
    return new UsageRecord("req-" + i, at, at.plusMillis(300), "key", a, "simulator", "gpt-4o-mini", "gpt-4o-mini", "economy",
        "requested", new TokenUsage(10, 0, 0, 5, 0), Money.ofNanos(1_000), RequestStatus.OK, null, 300, null, null,
        false, false, false, 200);
  }

  @Test
  void everyRowIsToldOnTheObserversOwnThreadInOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    try (BackgroundObserver o = new BackgroundObserver("test-observer", r -> {
      seen.add(r.id());
      threads.add(Thread.currentThread().getName());
    }, 1_000)) {
      IntStream.range(0, 500).forEach(i -> o.observe(row(i)));
      await().until(() -> seen.size() == 500);
    }
    assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> "req-" + i).toList());
    assertThat(threads).containsOnly("test-observer");
  }

  @Test
  void aFullQueueTellsOnTheCallersThreadRatherThanDroppingTheRow() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> inline = new CopyOnWriteArrayList<>();
    String caller = Thread.currentThread().getName();
    UsageObserver slow = r -> {
      if (Thread.currentThread().getName().equals(caller)) inline.add(r.id());
      else {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      seen.add(r.id());
    };
    try (BackgroundObserver o = new BackgroundObserver("slow-observer", slow, 2)) {
      for (int i = 0; i < 10; i++) o.observe(row(i));
      assertThat(inline).isNotEmpty();
      release.countDown();
      await().until(() -> seen.size() == 10);
    }
    assertThat(seen).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void closeTellsTheRowsStillQueued() {
    List<String> seen = new CopyOnWriteArrayList<>();
    BackgroundObserver o = new BackgroundObserver("closing-observer", r -> seen.add(r.id()), 10_000);
    IntStream.range(0, 2_000).forEach(i -> o.observe(row(i)));
    o.close();
    assertThat(seen).hasSize(2_000);
  }

  @Test
  void aFailingObserverDoesNotStopTheOthers() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (BackgroundObserver o = new BackgroundObserver("failing-observer", r -> {
      if (r.id().equals("req-1")) throw new IllegalStateException("boom");
      seen.add(r.id());
    }, 100)) {
      IntStream.range(0, 3).forEach(i -> o.observe(row(i)));
      await().until(() -> seen.size() == 2);
    }
    assertThat(seen).containsExactly("req-0", "req-2");
  }
}
