package dev.tollgate.domain.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A budget's window; {@code customStart}/{@code customEnd} only for {@link WindowKind#CUSTOM}.
 * {@link #spanAt} says which period an instant falls in — computed from an injected instant, never
 * the system clock, so month ends and DST changes are testable.
 */
public record BudgetWindow(WindowKind kind, Instant customStart, Instant customEnd) {

  public static final int ROLLING_SECONDS = 60;

  public BudgetWindow {
    if (kind == WindowKind.CUSTOM && (customStart == null || customEnd == null || !customStart.isBefore(customEnd))) {
      throw new IllegalArgumentException("a custom window needs a start before its end");
    }
  }

  public static BudgetWindow of(WindowKind kind) {
    return new BudgetWindow(kind, null, null);
  }

  /** One period of a window: a stable key for counters, and its bounds (end exclusive; null = never ends). */
  public record Span(String key, Instant start, Instant end) {}

  /**
   * The period {@code now} falls in, or null when the window does not cover {@code now} (a custom
   * period not started or over). A rolling minute's span is the sixty seconds up to {@code now}.
   */
  public Span spanAt(Instant now, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    return switch (kind) {
      case REQUEST -> new Span("request", now, now);
      case CONVERSATION -> new Span("conversation", Instant.EPOCH, null);
      case MINUTE -> new Span("rolling", now.minusSeconds(ROLLING_SECONDS), now);
      case HOUR -> fixed("h", local.truncatedTo(ChronoUnit.HOURS), local.truncatedTo(ChronoUnit.HOURS).plusHours(1));
      case DAY -> fixed("d", local.truncatedTo(ChronoUnit.DAYS), local.truncatedTo(ChronoUnit.DAYS).plusDays(1));
      case MONTH -> {
        ZonedDateTime start = local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        yield fixed("m", start, start.plusMonths(1));
      }
      case CUSTOM -> now.isBefore(customStart) || !now.isBefore(customEnd) ? null
          : new Span("c" + customStart.getEpochSecond(), customStart, customEnd);
    };
  }

  private static Span fixed(String prefix, ZonedDateTime start, ZonedDateTime end) {
    // Keyed by the start instant, so a DST change cannot make two periods share a key.
    return new Span(prefix + start.toEpochSecond(), start.toInstant(), end.toInstant());
  }

  /** True for windows whose counters live in a store (all but the per-request cap). */
  public boolean counted() {
    return kind != WindowKind.REQUEST;
  }

  public boolean rolling() {
    return kind == WindowKind.MINUTE;
  }

  /** How long a period lasts, for projections; null for windows without an end. */
  public Duration length(Span span) {
    return span.end() == null ? null : Duration.between(span.start(), span.end());
  }

  @Override
  public String toString() {
    return kind == WindowKind.CUSTOM ? "custom " + customStart + "–" + customEnd : kind.wire();
  }
}
