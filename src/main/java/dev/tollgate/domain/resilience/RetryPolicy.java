package dev.tollgate.domain.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How often, and after what wait, a failed upstream call (429, 5xx, timeout, refused or broken
 * connection) is tried again on the same deployment before the request moves on to the next one.
 *
 * <p>The wait is exponential with "equal jitter": before retry {@code n} (0-based) it is
 * {@code cap/2 + random·cap/2} with {@code cap = min(maxBackoff, backoff·2^n)}, so that many
 * gateways retrying together spread out yet never retry at once. A {@code Retry-After} the provider
 * sends replaces the computed wait when it is at most {@code maxRetryAfter}; a longer one means the
 * request moves on instead of waiting.
 *
 * @param max retries after the first attempt (0 = none)
 */
public record RetryPolicy(int max, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {

  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
  /** No retries: a failure moves on to the next deployment or fallback at once. */
  public static final RetryPolicy NONE = new RetryPolicy(0, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER);

  public RetryPolicy {
    if (max < 0) throw new IllegalArgumentException("max must not be negative");
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0 || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("backoff must be positive and at most maxBackoff");
    }
  }

  /** The computed wait before retry {@code retry} (0-based), with {@code random} in [0, 1). */
  public long backoffMillis(int retry, double random) {
    long cap = maxBackoff.toMillis();
    long base = backoff.toMillis();
    if (retry < 62 && base <= (cap >> Math.min(retry, 62))) cap = Math.min(cap, base << retry);
    return cap / 2 + (long) (random * (cap - cap / 2));
  }

  /**
   * A {@code Retry-After} value as a wait from {@code now}: either whole seconds or an HTTP date
   * (RFC 9110). Null when absent or unreadable; a date in the past is a wait of zero.
   */
  public static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) return null;
    String v = header.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isBefore(now) ? Duration.ZERO : Duration.between(now, at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
