package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.resilience.BreakerPolicy;
import dev.tollgate.domain.resilience.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a provider's call settings: {@code api_keys}, {@code timeouts}, {@code retries} and
 * {@code circuit_breaker}. Every value is checked here, with its key path; nothing out of range is
 * replaced by a default.
 */
final class CallSettings {

  private static final List<String> KEY_FIELDS = List.of("key", "weight", "name");
  private static final List<String> TIMEOUT_KEYS = List.of("connect", "first_byte", "idle", "total");
  private static final List<String> RETRY_KEYS = List.of("max", "backoff", "max_backoff", "max_retry_after");
  private static final List<String> BREAKER_KEYS = List.of("failures", "open_for", "half_open_probes");
  static final int MAX_RETRIES = 10;
  static final int MAX_WEIGHT = 1000;

  private CallSettings() {}

  /**
   * The single {@code api_key}, or null when {@code api_keys} lists them instead; reports a missing
   * key ({@code help}) and a provider that gives both.
   */
  static String requiredKey(Section s, String help) {
    if (s.present("api_keys")) return null; // credentials() reads them, and reports an api_key given as well
    return s.requiredText("api_key", help + " (or several: api_keys: [ { key: ${KEY_1}, weight: 3 }, { key: ${KEY_2} } ])");
  }

  /** {@code api_keys:} — texts or {@code { key, weight, name }} mappings; null when absent. */
  static List<ApiCredential> credentials(Section s) {
    if (!s.present("api_keys")) return null;
    if (s.present("api_key")) s.error("api_key", "give either api_key or api_keys, not both");
    JsonNode list = s.raw("api_keys");
    String path = s.path("api_keys");
    if (!list.isArray()) {
      s.error("api_keys", "must be a list like [ { key: ${KEY_1}, weight: 3 }, { key: ${KEY_2} } ], not " + ParseContext.kind(list));
      return null;
    }
    if (list.isEmpty()) {
      s.error("api_keys", "must list at least one key, e.g. [ { key: ${KEY_1} } ]");
      return null;
    }
    List<ApiCredential> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String itemPath = ParseContext.index(path, i);
      if (item.isTextual() || item.isNull()) {
        String key = s.context().requiredText(itemPath, item, "an API key, e.g. ${OPENAI_API_KEY_2}");
        if (key != null) out.add(new ApiCredential(null, i, key, 1));
        continue;
      }
      Section one = Section.of(s.context(), itemPath, item, KEY_FIELDS);
      String key = one.requiredText("key", "the API key, e.g. key: ${OPENAI_API_KEY_2}");
      Long weight = one.whole("weight", 1, MAX_WEIGHT, 1);
      String name = one.text("name");
      if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        one.error("name", "must be 1 to 64 letters, digits, '.', '_' or '-' (it labels metrics); got '" + name + "'");
        name = null;
      } else if (name != null && !names.add(name)) {
        one.error("name", "'" + name + "' names another key of this provider already; names must differ");
      }
      if (key != null && weight != null) out.add(new ApiCredential(name, i, key, weight.intValue()));
    }
    return out.size() == list.size() ? out : null;
  }

  /** {@code timeout} (the whole call) or {@code timeouts: { connect, first_byte, idle, total }}. */
  static UpstreamTimeouts timeouts(Section s) {
    Duration legacy = s.duration("timeout", false, null);
    if (!s.present("timeouts")) return new UpstreamTimeouts(null, null, null, legacy);
    Section t = s.section("timeouts", TIMEOUT_KEYS);
    Duration connect = t.duration("connect", false, null);
    Duration firstByte = t.duration("first_byte", false, null);
    Duration idle = t.duration("idle", false, null);
    Duration total = t.duration("total", false, null);
    if (legacy != null && total != null) {
      s.error("timeout", "give either timeout or timeouts.total, not both (timeout is the older name of timeouts.total)");
    }
    if (total == null) total = legacy;
    if (total != null) {
      notLonger(t, "first_byte", firstByte, total);
      notLonger(t, "connect", connect, total);
    }
    if (connect != null && firstByte != null && connect.compareTo(firstByte) > 0) {
      t.error("connect", "(" + show(connect) + ") must not be longer than timeouts.first_byte (" + show(firstByte)
          + "): the first byte cannot come before the connection");
    }
    return new UpstreamTimeouts(connect, firstByte, idle, total);
  }

  private static void notLonger(Section t, String key, Duration value, Duration total) {
    if (value != null && value.compareTo(total) > 0) {
      t.error(key, "(" + show(value) + ") must not be longer than the total timeout (" + show(total)
          + "), which ends the call first");
    }
  }

  /** {@code retries: { max, backoff, max_backoff, max_retry_after }}; none when absent. */
  static RetryPolicy retries(Section s) {
    if (!s.present("retries")) return RetryPolicy.NONE;
    Section r = s.section("retries", RETRY_KEYS);
    Long max = r.whole("max", 0, MAX_RETRIES, 2);
    Duration backoff = r.duration("backoff", false, RetryPolicy.DEFAULT_BACKOFF);
    Duration maxBackoff = r.duration("max_backoff", false, RetryPolicy.DEFAULT_MAX_BACKOFF);
    Duration maxRetryAfter = r.duration("max_retry_after", true, RetryPolicy.DEFAULT_MAX_RETRY_AFTER);
    if (max == null || backoff == null || maxBackoff == null || maxRetryAfter == null) return RetryPolicy.NONE;
    if (maxBackoff.compareTo(backoff) < 0) {
      r.error("max_backoff", "(" + show(maxBackoff) + ") must not be shorter than backoff (" + show(backoff) + ")");
      return RetryPolicy.NONE;
    }
    return new RetryPolicy(max.intValue(), backoff, maxBackoff, maxRetryAfter);
  }

  /** {@code circuit_breaker: { failures, open_for, half_open_probes }}; null (no breaker) when absent. */
  static BreakerPolicy breaker(Section s) {
    if (!s.present("circuit_breaker")) return null;
    Section b = s.section("circuit_breaker", BREAKER_KEYS);
    Long failures = b.whole("failures", 1, 1000, BreakerPolicy.DEFAULT_FAILURES);
    Duration openFor = b.duration("open_for", false, BreakerPolicy.DEFAULT_OPEN_FOR);
    Long probes = b.whole("half_open_probes", 1, 100, 1);
    if (failures == null || openFor == null || probes == null) return null;
    return new BreakerPolicy(failures.intValue(), openFor, probes.intValue());
  }

  private static String show(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
