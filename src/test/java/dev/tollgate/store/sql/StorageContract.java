package dev.tollgate.store.sql;

import static dev.tollgate.store.sql.Ledger.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageFilter.Granularity;
import dev.tollgate.domain.usage.UsageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every SQL storage must do, run against SQLite and PostgreSQL by the subclasses. Each test
 * starts from an empty database at {@link #storageUrl()}.
 */
abstract class StorageContract {

  /** A URL of an empty database for this test; the same URL on every call within one test. */
  abstract String storageUrl();

  private final List<Storage> opened = new ArrayList<>();
  @TempDir Path spoolRoot;

  Storage open() {
    return open(500, Duration.ofMillis(200), 10_000);
  }

  Storage open(int batchSize, Duration flushInterval, int queueCapacity) {
    Storage storage = Storage.open(storageUrl(), ledger(batchSize, flushInterval, queueCapacity));
    opened.add(storage);
    return storage;
  }

  /** Batched, with the spool in this test's temporary directory. */
  LedgerConfig ledger(int batchSize, Duration flushInterval, int queueCapacity) {
    return new LedgerConfig(LedgerConfig.BATCHED, batchSize, flushInterval, queueCapacity, Duration.ofSeconds(1),
        spoolRoot.resolve("spool"));
  }

  @AfterEach
  void closeStorages() {
    opened.forEach(Storage::close);
  }

  static UsageFilter all() {
    return new UsageFilter(null, null, Map.of(), List.of(), null, null);
  }

  static UsageFilter groupedBy(List<String> groupBy, Granularity granularity, String zone) {
    return new UsageFilter(null, null, Map.of(), groupBy, granularity, ZoneId.of(zone));
  }

  static UsageFilter where(Map<String, String> equals) {
    return new UsageFilter(null, null, equals, List.of(), null, null);
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  // ---- ledger rows ----

  @Test
  void everyFieldRoundTripsExactly() {
    Storage storage = open();
    Attribution attribution = new Attribution("acme", "support", "helpdesk", "ticket-triage", "triage-bot",
        "ana@example.com", "slack", "conv-42", "classification",
        Map.of("env", "prod", "odd key \"q\"", "a,b=c", "ünï", "çødé ✓"));
    UsageRecord full = new UsageRecord("req_full", at("2026-11-03T10:15:30.123456789Z"),
        at("2026-11-03T10:15:31.987654321Z"), "triage-bot", attribution, "openai", "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18", "economy", "preferred by class", new TokenUsage(1200, 800, 64, 350, 120),
        Money.ofNanos(123_456_789_012L), RequestStatus.ERROR, "upstream_timeout", 1864L, 240L, "exc_7",
        true, true, true, 504, "rule:2", Map.of("email", 1), 3,
        new dev.tollgate.domain.usage.Efficiency(Money.ofNanos(75_000), "ticket-triage", "0123456789abcdef0123456789abcdef",
            "fedcba9876543210fedcba9876543210", 512L));
    UsageRecord sparse = new UsageRecord("req_sparse", at("2026-11-03T10:15:29Z"), null, null, null, null,
        null, null, null, null, null, null, RequestStatus.BLOCKED, "invalid_api_key", 0, null, null, false,
        false, false, 401);

    storage.ledgerWriter().append(full);
    storage.ledgerWriter().append(sparse);
    storage.ledgerWriter().flush();

    assertThat(storage.usageQuery().recent(all(), 10)).containsExactly(full, sparse);
  }

  @Test
  void twentyThousandRowsFromEightThreadsAreAllStoredWithExactCostSum() throws Exception {
    // A queue far smaller than the load, so appenders also spill to the spool and flush waits for its replay.
    Storage storage = open(500, Duration.ofMillis(200), 1_000);
    int threads = 8;
    int perThread = 2_500;
    AtomicLong expectedCost = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        SplittableRandom random = new SplittableRandom(thread);
        start.await();
        for (int i = 0; i < perThread; i++) {
          long cost = random.nextLong(1, 50_000_000_000L);
          expectedCost.addAndGet(cost);
          storage.ledgerWriter().append(row("req_" + thread + "_" + i,
              at("2026-11-01T00:00:00Z").plusMillis(i * 1000L + thread), "team-" + (i % 5), "m", cost));
        }
        return null;
      }));
    }
    long began = System.nanoTime();
    start.countDown();
    for (Future<?> f : done) f.get();
    storage.ledgerWriter().flush();
    double seconds = (System.nanoTime() - began) / 1e9;
    pool.shutdown();

    System.out.printf("%s: %d rows from %d threads stored in %.3f s = %.0f rows/s (%d batches)%n",
        getClass().getSimpleName(), threads * perThread, threads, seconds, threads * perThread / seconds,
        storage.ledgerWriter().batchesWritten());
    List<UsageAggregate> total = storage.usageQuery().aggregate(all());
    assertThat(total).singleElement().satisfies(sum -> {
      assertThat(sum.requests()).isEqualTo(20_000);
      assertThat(sum.cost()).isEqualTo(Money.ofNanos(expectedCost.get()));
      assertThat(sum.inputTokens()).isEqualTo(20_000 * 100L);
    });
    assertThat(storage.ledgerWriter().pending()).isZero();
    assertThat(storage.ledgerWriter().rowsWritten()).isEqualTo(20_000);
  }

  @Test
  void closeWritesEverythingSoARestartLosesNothing() {
    // Batches that would only fill after an hour: the rows are still in memory when close() comes.
    // The queue holds 100: the other 900 spill to the spool, which close replays.
    Storage first = Storage.open(storageUrl(), ledger(10_000, Duration.ofHours(1), 100));
    for (int i = 0; i < 1_000; i++) {
      first.ledgerWriter().append(row("req_" + i, at("2026-11-01T12:00:00Z").plusSeconds(i), "support", "m", 7));
    }
    assertThat(first.ledgerWriter().pending()).isEqualTo(1_000);
    first.close();

    Storage second = open();
    assertThat(second.usageQuery().aggregate(all())).singleElement()
        .satisfies(sum -> assertThat(sum.requests()).isEqualTo(1_000))
        .satisfies(sum -> assertThat(sum.cost()).isEqualTo(Money.ofNanos(7_000)));
  }

  @Test
  void appendAfterCloseIsRefused() {
    Storage storage = Storage.open(storageUrl(), ledger(10, Duration.ofMillis(10), 10));
    storage.close();
    assertThatThrownBy(() -> storage.ledgerWriter().append(row("late", Instant.now(), "t", "m", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void appendRefusesARecordTheTableCouldNeverHold() {
    Storage storage = open();
    UsageRecord noId = row(null, at("2026-11-01T00:00:00Z"), "t", "m", 1);
    UsageRecord tooLate = row("far", at("2300-01-01T00:00:00Z"), "t", "m", 1);
    assertThatThrownBy(() -> storage.ledgerWriter().append(noId)).hasMessageContaining("no id");
    assertThatThrownBy(() -> storage.ledgerWriter().append(tooLate)).hasMessageContaining("1677-2262");
    assertThat(storage.ledgerWriter().pending()).isZero();
  }

  @Test
  void aRowAppendedTwiceIsStoredOnce() {
    Storage storage = open();
    UsageRecord r = row("req_dup", at("2026-11-01T00:00:00Z"), "t", "m", 5);
    storage.ledgerWriter().append(r);
    storage.ledgerWriter().flush();
    storage.ledgerWriter().append(r);
    storage.ledgerWriter().flush();
    assertThat(storage.usageQuery().recent(all(), 10)).containsExactly(r);
  }

  // ---- reading back ----

  @Test
  void recentIsNewestFirstWithinAHalfOpenRange() {
    Storage storage = open();
    for (int i = 0; i < 5; i++) {
      storage.ledgerWriter().append(row("req_" + i, at("2026-11-01T00:00:00Z").plusSeconds(i), "t", "m", 1));
    }
    storage.ledgerWriter().flush();
    UsageFilter oneToFour = new UsageFilter(at("2026-11-01T00:00:01Z"), at("2026-11-01T00:00:04Z"),
        Map.of(), List.of(), null, null);

    assertThat(storage.usageQuery().recent(oneToFour, 10)).extracting(UsageRecord::id)
        .containsExactly("req_3", "req_2", "req_1");
    assertThat(storage.usageQuery().recent(all(), 2)).extracting(UsageRecord::id)
        .containsExactly("req_4", "req_3");
  }

  @Test
  void groupsByTeamAndModelIntoLocalDaysOfANonUtcZone() {
    Storage storage = open();
    // 2026-03-08 is the day New York moves from EST (-05:00) to EDT (-04:00).
    storage.ledgerWriter().append(row("a", at("2026-03-08T04:59:59Z"), "support", "gpt", 1)); // 7th 23:59:59 EST
    storage.ledgerWriter().append(row("b", at("2026-03-08T05:00:00Z"), "support", "gpt", 2)); // 8th 00:00 EST
    storage.ledgerWriter().append(row("c", at("2026-03-09T03:59:59Z"), "support", "gpt", 4)); // 8th 23:59:59 EDT
    storage.ledgerWriter().append(row("d", at("2026-03-09T04:00:00Z"), "support", "gpt", 8)); // 9th 00:00 EDT
    storage.ledgerWriter().append(row("e", at("2026-03-09T03:00:00Z"), "sales", "gpt", 16)); // 8th 23:00 EDT
    storage.ledgerWriter().append(row("f", at("2026-03-09T03:30:00Z"), "support", "claude", 32));
    storage.ledgerWriter().flush();

    List<UsageAggregate> days = storage.usageQuery()
        .aggregate(groupedBy(List.of("team", "model"), Granularity.DAY, "America/New_York"));

    assertThat(days).extracting(d -> d.bucketStart() + " " + d.group() + " " + d.requests() + " " + d.cost())
        .containsExactly(
            "2026-03-07T05:00:00Z {team=support, model=gpt} 1 $0.000000001",
            "2026-03-08T05:00:00Z {team=sales, model=gpt} 1 $0.000000016",
            "2026-03-08T05:00:00Z {team=support, model=claude} 1 $0.000000032",
            "2026-03-08T05:00:00Z {team=support, model=gpt} 2 $0.000000006",
            "2026-03-09T04:00:00Z {team=support, model=gpt} 1 $0.000000008");
  }

  @Test
  void hourBucketsOfAHalfHourZoneStartAtHalfPastTheUtcHour() {
    Storage storage = open();
    // Asia/Kolkata is +05:30: 10:29Z is 15:59 local and 10:31Z is 16:01 local — different local hours.
    storage.ledgerWriter().append(row("a", at("2026-11-01T10:29:00Z"), "t", "m", 1));
    storage.ledgerWriter().append(row("b", at("2026-11-01T10:31:00Z"), "t", "m", 1));
    storage.ledgerWriter().flush();

    assertThat(storage.usageQuery().aggregate(groupedBy(List.of(), Granularity.HOUR, "Asia/Kolkata")))
        .extracting(UsageAggregate::bucketStart)
        .containsExactly(at("2026-11-01T09:30:00Z"), at("2026-11-01T10:30:00Z"));
  }

  @Test
  void weeksStartOnLocalMondayAndMonthsOnTheLocalFirst() {
    Storage storage = open();
    storage.ledgerWriter().append(row("oct", at("2026-11-01T03:59:00Z"), "t", "m", 1)); // Sat 31 Oct 23:59 EDT
    storage.ledgerWriter().append(row("nov", at("2026-11-01T04:30:00Z"), "t", "m", 1)); // Sun 1 Nov 00:30 EDT
    storage.ledgerWriter().append(row("sun", at("2026-11-30T04:30:00Z"), "t", "m", 1)); // Sun 29 Nov 23:30 EST
    storage.ledgerWriter().append(row("mon", at("2026-11-30T05:30:00Z"), "t", "m", 1)); // Mon 30 Nov 00:30 EST
    storage.ledgerWriter().append(row("dec", at("2026-12-01T05:00:00Z"), "t", "m", 1)); // Tue 1 Dec 00:00 EST
    storage.ledgerWriter().flush();

    assertThat(storage.usageQuery().aggregate(groupedBy(List.of(), Granularity.WEEK, "America/New_York")))
        .extracting(a -> a.bucketStart() + "=" + a.requests())
        .containsExactly("2026-10-26T04:00:00Z=2", "2026-11-23T05:00:00Z=1", "2026-11-30T05:00:00Z=2");
    assertThat(storage.usageQuery().aggregate(groupedBy(List.of(), Granularity.MONTH, "America/New_York")))
        .extracting(a -> a.bucketStart() + "=" + a.requests())
        .containsExactly("2026-10-01T04:00:00Z=1", "2026-11-01T04:00:00Z=3", "2026-12-01T05:00:00Z=1");
  }

  static Stream<Arguments> zonesAndGranularities() {
    return Stream.of(
        Arguments.of("America/New_York", Granularity.HOUR),
        Arguments.of("America/New_York", Granularity.DAY),
        Arguments.of("Asia/Kathmandu", Granularity.DAY),
        Arguments.of("Australia/Lord_Howe", Granularity.HOUR),
        Arguments.of("America/Santiago", Granularity.WEEK),
        Arguments.of("Pacific/Chatham", Granularity.MONTH),
        Arguments.of("UTC", Granularity.DAY));
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("zonesAndGranularities")
  void bucketsAgreeWithCountingEachRowInJava(String zone, Granularity granularity) {
    Storage storage = open();
    SplittableRandom random = new SplittableRandom(42);
    Instant start = at("2025-01-01T00:00:00Z");
    long twoYearsSeconds = 2L * 366 * 86_400;
    Map<Instant, long[]> expected = new TreeMap<>();
    for (int i = 0; i < 3_000; i++) {
      Instant t = start.plusSeconds(random.nextLong(twoYearsSeconds)).plusNanos(random.nextInt(1_000_000_000));
      long cost = random.nextLong(1, 1_000_000);
      storage.ledgerWriter().append(row("r" + i, t, "t", "m", cost));
      long[] sum = expected.computeIfAbsent(TimeBuckets.bucketStart(t, ZoneId.of(zone), granularity), k -> new long[2]);
      sum[0]++;
      sum[1] += cost;
    }
    storage.ledgerWriter().flush();

    Map<Instant, long[]> actual = new LinkedHashMap<>();
    for (UsageAggregate a : storage.usageQuery().aggregate(groupedBy(List.of(), granularity, zone))) {
      actual.put(a.bucketStart(), new long[] {a.requests(), a.cost().nanos()});
    }
    assertThat(actual).hasSameSizeAs(expected);
    expected.forEach((bucket, sum) -> assertThat(actual.get(bucket)).as("bucket %s", bucket).containsExactly(sum));
  }

  @Test
  void filtersAndGroupsByTag() {
    Storage storage = open();
    storage.ledgerWriter().append(row("a", at("2026-11-01T00:00:00Z"), "t", "m", 1, Map.of("env", "prod")));
    storage.ledgerWriter().append(row("b", at("2026-11-01T00:00:01Z"), "t", "m", 2, Map.of("env", "prod", "app", "x")));
    storage.ledgerWriter().append(row("c", at("2026-11-01T00:00:02Z"), "t", "m", 4, Map.of("env", "dev")));
    storage.ledgerWriter().append(row("d", at("2026-11-01T00:00:03Z"), "t", "m", 8));
    storage.ledgerWriter().append(row("e", at("2026-11-01T00:00:04Z"), "t", "m", 16, Map.of("we\"ird,k=y", "v")));
    storage.ledgerWriter().flush();

    assertThat(storage.usageQuery().aggregate(where(Map.of("tag:env", "prod")))).singleElement()
        .satisfies(a -> assertThat(a.cost()).isEqualTo(Money.ofNanos(3)));
    assertThat(storage.usageQuery().recent(where(Map.of("tag:env", "prod", "tag:app", "x")), 10))
        .extracting(UsageRecord::id).containsExactly("b");
    assertThat(storage.usageQuery().recent(where(Map.of("tag:we\"ird,k=y", "v")), 10))
        .extracting(UsageRecord::id).containsExactly("e");

    Map<String, Long> costByEnv = new HashMap<>();
    storage.usageQuery().aggregate(groupedBy(List.of("tag:env"), null, "UTC"))
        .forEach(a -> costByEnv.put(a.group().get("tag:env"), a.cost().nanos()));
    Map<String, Long> expected = new HashMap<>();
    expected.put(null, 24L);
    expected.put("dev", 4L);
    expected.put("prod", 3L);
    assertThat(costByEnv).isEqualTo(expected);
  }

  @Test
  void filtersByEveryNamedDimension() {
    Storage storage = open();
    storage.ledgerWriter().append(row("a", at("2026-11-01T00:00:00Z"), "support", "gpt", 1));
    storage.ledgerWriter().append(row("b", at("2026-11-01T00:00:01Z"), "sales", "claude", 2));
    storage.ledgerWriter().flush();

    for (String dimension : UsageFilter.DIMENSIONS) {
      assertThat(storage.usageQuery().aggregate(where(Map.of(dimension, "no-such-value"))))
          .as(dimension).isEmpty();
    }
    assertThat(storage.usageQuery().recent(where(Map.of("model", "claude", "status", "ok", "key", "key-sales")), 10))
        .extracting(UsageRecord::id).containsExactly("b");
    assertThat(storage.usageQuery().recent(where(Map.of("team", "x' OR '1'='1")), 10)).isEmpty();
  }

  @Test
  void anUnknownDimensionIsRefusedWithTheAllowedNames() {
    Storage storage = open();
    for (UsageFilter bad : List.of(
        groupedBy(List.of("colour"), null, "UTC"),
        where(Map.of("team = team OR 1=1; DROP TABLE ledger; --", "x")),
        groupedBy(List.of("tag:"), Granularity.DAY, "UTC"))) {
      assertThatThrownBy(() -> storage.usageQuery().aggregate(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown dimension")
          .hasMessageContaining("allowed: org, team, project")
          .hasMessageContaining("tag:<key>");
      assertThatThrownBy(() -> storage.usageQuery().recent(bad, 1)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(storage.usageQuery().aggregate(all())).isEmpty();
  }

  // ---- keys ----

  @Test
  void keysAreInsertedListedFoundAndRevokedOnce() {
    SqlKeyStore keys = open().keyStore();
    Attribution defaults = new Attribution("acme", "support", "helpdesk", "ticket-triage", "triage-bot", null,
        null, null, "classification", Map.of("cost-center", "cc-12"));
    VirtualKey triage = new VirtualKey("key_1", "triage-bot", "a".repeat(64), "tg-ab12", defaults,
        List.of("gpt-4o-mini", "fast-local"), at("2026-11-01T09:00:00.123456Z"), at("2027-11-01T00:00:00Z"),
        null, "api");
    VirtualKey plain = new VirtualKey("key_2", "batch", "b".repeat(64), "tg-cd34", null, null,
        at("2026-11-02T09:00:00Z"), null, null, "api");

    keys.insert(triage);
    keys.insert(plain);

    assertThat(keys.list()).containsExactly(triage, plain);
    assertThat(keys.findById("key_1")).contains(triage);
    assertThat(keys.findById("nope")).isEmpty();

    Instant revokedAt = at("2026-11-05T00:00:00.5Z");
    assertThat(keys.revoke("key_1", revokedAt)).isTrue();
    assertThat(keys.revoke("key_1", revokedAt.plusSeconds(1))).isFalse();
    assertThat(keys.revoke("nope", revokedAt)).isFalse();
    assertThat(keys.findById("key_1")).hasValueSatisfying(k -> {
      assertThat(k.revokedAt()).isEqualTo(revokedAt);
      assertThat(k.isActiveAt(revokedAt)).isFalse();
    });
  }

  @Test
  void aKeyWithATakenNameOrSecretIsRefused() {
    SqlKeyStore keys = open().keyStore();
    keys.insert(new VirtualKey("key_1", "triage-bot", "a".repeat(64), "tg-a", null, null, Instant.EPOCH, null, null, "api"));

    assertThatThrownBy(() -> keys.insert(
        new VirtualKey("key_2", "triage-bot", "b".repeat(64), "tg-b", null, null, Instant.EPOCH, null, null, "api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name 'triage-bot' already exists");
    assertThatThrownBy(() -> keys.insert(
        new VirtualKey("key_3", "other", "a".repeat(64), "tg-a", null, null, Instant.EPOCH, null, null, "api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret");
    assertThat(keys.list()).hasSize(1);
  }
}
