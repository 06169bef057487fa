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
}
