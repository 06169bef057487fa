package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.UsageFilter.Granularity;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Calendar buckets in a time zone, and the "granule" that lets SQL do the heavy summing without
 * knowing about zones.
 *
 * <p>Why a granule: SQLite has no time zones, and bucketing in SQL by UTC hour is wrong for zones
 * such as Asia/Kolkata (+05:30) or Asia/Kathmandu (+05:45), whose local hours and days start at
 * half or quarter past a UTC hour. Instead, SQL sums rows per (dimensions, granule) where a granule
 * is a fixed run of {@code g} seconds of epoch time, and Java folds granules into calendar buckets.
 * That is exact provided no bucket boundary falls inside a granule, i.e. every boundary is a
 * multiple of {@code g} seconds since the epoch. A boundary is either a local hour (or midnight)
 * start, whose epoch second is {@code localSeconds - offset} with {@code localSeconds} a multiple of
 * 3600 (86,400 for days), or, when that local time is skipped by a DST gap, the transition instant
 * itself. So {@code g} = gcd(unit, every offset in force over the rows' range, every transition
 * instant in that range) is the coarsest exact choice: 86,400 s for day buckets in UTC, 3,600 s for
 * America/New_York, 1,800 s for Asia/Kolkata, 900 s for Asia/Kathmandu — and, for pre-1900 local
 * mean time offsets with odd seconds, as fine as one second: slower, never wrong.
 */
final class TimeBuckets {

  private static final long HOUR_SECONDS = 3_600;
  private static final long DAY_SECONDS = 86_400;

  private TimeBuckets() {}

  /** The start of the bucket holding {@code t}: its local hour, day, ISO week (Monday) or month. */
  static Instant bucketStart(Instant t, ZoneId zone, Granularity granularity) {
    ZonedDateTime local = t.atZone(zone);
    ZonedDateTime start = switch (granularity) {
      case HOUR -> local.truncatedTo(ChronoUnit.HOURS);
      case DAY -> local.toLocalDate().atStartOfDay(zone);
      case WEEK -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone);
      case MONTH -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
    };
    return start.toInstant();
  }

  /**
   * The granule length in seconds for rows with {@code first <= started_at <= last}: it divides every
   * bucket boundary that can fall within a granule holding such a row.
   */
  static long granuleSeconds(ZoneId zone, Granularity granularity, Instant first, Instant last) {
    long g = granularity == Granularity.HOUR ? HOUR_SECONDS : DAY_SECONDS;
    ZoneRules rules = zone.getRules();
    // Granules holding a row start at most g seconds before `first`; widen by a day on both sides.
    Instant from = first.minusSeconds(DAY_SECONDS);
    Instant to = last.plusSeconds(DAY_SECONDS);
    g = gcd(g, rules.getOffset(from).getTotalSeconds());
    ZoneOffsetTransition transition = rules.nextTransition(from);
    while (transition != null && !transition.getInstant().isAfter(to) && g > 1) {
      g = gcd(g, transition.getOffsetAfter().getTotalSeconds());
      g = gcd(g, Math.floorMod(transition.getInstant().getEpochSecond(), g));
      transition = rules.nextTransition(transition.getInstant());
    }
    return g;
  }

  /**
   * The instants in {@code [from, to)} where the bucket changes, {@code from} first: a row at {@code t}
   * belongs to the bucket {@link #bucketStart bucketStart(c)} of the last change {@code c <= t}. (A
   * bucket's start is not always where its rows begin: in Australia/Lord_Howe the local hour after a
   * half-hour DST gap starts before the gap ends.) Null when there are more than {@code max} buckets,
   * or {@code from} is not before {@code to}.
   */
  static java.util.List<Instant> changes(Instant from, Instant to, ZoneId zone, Granularity granularity, int max) {
    if (!from.isBefore(to)) return null;
    java.util.List<Instant> changes = new java.util.ArrayList<>();
    Instant change = from;
    while (change.isBefore(to)) {
      if (changes.size() == max) return null;
      changes.add(change);
      Instant next = granularity == Granularity.HOUR
          ? nextHourChange(change, zone)
          : nextBucket(bucketStart(change, zone, granularity), zone, granularity);
      if (!next.isAfter(change)) return null; // cannot happen with java.time's rules; never loop
      change = next;
    }
    return changes;
  }

  /**
   * The first instant after {@code t} in another local hour. A local hour can only begin where the
   * wall clock reaches a whole hour or where the offset changes; not every such instant begins one
   * (Australia/Lord_Howe's clocks go back from 02:00 to 01:30, and 01:00-02:00 is one 90-minute hour).
   */
  private static Instant nextHourChange(Instant t, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    Instant hour = bucketStart(t, zone, Granularity.HOUR);
    while (true) {
      long offset = rules.getOffset(t).getTotalSeconds();
      long local = t.getEpochSecond() + offset;
      Instant next = Instant.ofEpochSecond(Math.floorDiv(local, HOUR_SECONDS) * HOUR_SECONDS + HOUR_SECONDS - offset);
      ZoneOffsetTransition transition = rules.nextTransition(t);
      if (transition != null && transition.getInstant().isBefore(next)) next = transition.getInstant();
      if (!bucketStart(next, zone, Granularity.HOUR).equals(hour)) return next;
      t = next;
    }
  }

  /** Where the local day, week or month that starts at {@code start} ends. */
  private static Instant nextBucket(Instant start, ZoneId zone, Granularity granularity) {
    ZonedDateTime local = start.atZone(zone);
    return switch (granularity) {
      case HOUR -> throw new IllegalArgumentException("hours: see nextHourChange");
      case DAY -> local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      case WEEK -> local.toLocalDate().plusWeeks(1).atStartOfDay(zone).toInstant();
      case MONTH -> local.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant();
    };
  }

  private static long gcd(long a, long b) {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b != 0) {
      long r = a % b;
      a = b;
      b = r;
    }
    return a;
  }
}
