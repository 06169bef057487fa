package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.usage.UsageFilter.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeBucketsTest {

  @ParameterizedTest(name = "{0} by {1}: {2} s")
  @CsvSource(textBlock = """
      UTC,                 DAY,   86400
      UTC,                 HOUR,  3600
      America/New_York,    DAY,   3600
      Asia/Kolkata,        HOUR,  1800
      Asia/Kathmandu,      DAY,   900
      Australia/Lord_Howe, HOUR,  1800
      Pacific/Chatham,     MONTH, 900
      """)
  void theGranuleIsTheCoarsestThatNoBoundaryCuts(String zone, Granularity granularity, long expected) {
    Instant first = Instant.parse("2025-01-01T00:00:00Z");
    Instant last = Instant.parse("2026-12-31T00:00:00Z");
    assertThat(TimeBuckets.granuleSeconds(ZoneId.of(zone), granularity, first, last)).isEqualTo(expected);
  }

  /** Walks two years in 5-minute steps and checks every bucket boundary met is a multiple of the granule. */
  @ParameterizedTest(name = "{0} by {1}")
  @CsvSource(textBlock = """
      America/New_York,    HOUR
      America/New_York,    WEEK
      Asia/Kathmandu,      DAY
      Australia/Lord_Howe, HOUR
      Australia/Lord_Howe, DAY
      America/Santiago,    DAY
      Asia/Beirut,         DAY
      Pacific/Chatham,     MONTH
      Europe/Dublin,       HOUR
      """)
  void everyBucketBoundaryIsAMultipleOfTheGranule(String zoneName, Granularity granularity) {
    ZoneId zone = ZoneId.of(zoneName);
    Instant first = Instant.parse("2025-01-01T00:00:00Z");
    Instant last = Instant.parse("2026-12-31T00:00:00Z");
    long granule = TimeBuckets.granuleSeconds(zone, granularity, first, last);
    Instant previous = null;
    for (Instant t = first; t.isBefore(last); t = t.plus(Duration.ofMinutes(5))) {
      Instant bucket = TimeBuckets.bucketStart(t, zone, granularity);
      if (!bucket.equals(previous)) {
        assertThat(Math.floorMod(bucket.getEpochSecond(), granule)).as("boundary %s", bucket).isZero();
        previous = bucket;
      }
    }
  }

  /** Walks each range a minute at a time: every instant's bucket is the bucket of the last change before it. */
  @ParameterizedTest(name = "{0} by {1} from {2}")
  @CsvSource(textBlock = """
      Europe/Berlin,       HOUR,  2026-03-28T22:37:11Z
      Europe/Berlin,       DAY,   2026-03-27T10:00:00Z
      Europe/Berlin,       HOUR,  2026-10-24T21:52:00Z
      Europe/Berlin,       DAY,   2026-10-23T05:00:00Z
      Australia/Lord_Howe, HOUR,  2026-04-04T12:00:00Z
      Australia/Lord_Howe, HOUR,  2026-10-03T12:00:00Z
      Asia/Kolkata,        DAY,   2026-10-23T05:17:00Z
      America/New_York,    WEEK,  2026-10-20T00:00:00Z
      America/New_York,    MONTH, 2026-09-15T00:00:00Z
      """)
  void theChangesSplitARangeIntoItsBuckets(String zoneName, Granularity granularity, String fromText) {
    ZoneId zone = ZoneId.of(zoneName);
    Instant from = Instant.parse(fromText);
    Instant to = from.plus(Duration.ofDays(granularity == Granularity.MONTH ? 100 : 4)).plusSeconds(77);
    java.util.List<Instant> changes = TimeBuckets.changes(from, to, zone, granularity, 1_000);
    assertThat(changes).isNotNull().startsWith(from).isSorted().doesNotHaveDuplicates();
    int last = 0;
    for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
      while (last + 1 < changes.size() && !changes.get(last + 1).isAfter(t)) last++;
      assertThat(TimeBuckets.bucketStart(changes.get(last), zone, granularity)).as("%s", t)
          .isEqualTo(TimeBuckets.bucketStart(t, zone, granularity));
    }
    // Each change really starts another bucket.
    for (int i = 1; i < changes.size(); i++) {
      assertThat(TimeBuckets.bucketStart(changes.get(i), zone, granularity))
          .isNotEqualTo(TimeBuckets.bucketStart(changes.get(i).minusNanos(1), zone, granularity));
    }
    assertThat(TimeBuckets.changes(from, to, zone, granularity, changes.size() - 1)).as("more than max").isNull();
  }
}
