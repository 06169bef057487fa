package dev.tollgate.domain.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The restrictions in force, read on every request: a lookup per subject the request carries
 * (key, agent, workflow) in a concurrent map, nothing else — the hot path stays a few hash lookups.
 * A throttle counts requests per calendar minute (one atomic counter per restricted subject);
 * simple and exact enough for "at most 6 a minute until someone looks".
 */
public final class Restrictions {

  /** Why a request is refused: the restriction, and when a throttled caller may try again. */
  public record Refusal(Restriction restriction, long retryAfterSeconds) {}

  private final Map<String, Restriction> bySubject = new ConcurrentHashMap<>();
  /** Per throttled subject: {@code minute << 20 | count}, replaced when the minute turns. */
  private final Map<String, AtomicLong> minutes = new ConcurrentHashMap<>();

  public void put(Restriction r) {
    bySubject.put(r.subject(), r);
    minutes.remove(r.subject());
  }

  /** Lifts what an alert put on; returns what was lifted. */
  public List<Restriction> liftFor(String alertId) {
    List<Restriction> lifted = bySubject.values().stream().filter(r -> r.alertId().equals(alertId)).toList();
    lifted.forEach(r -> {
      bySubject.remove(r.subject(), r);
      minutes.remove(r.subject());
    });
    return lifted;
  }

  /**
   * Makes the restrictions in force exactly {@code current} (read from the database, where other
   * replicas write theirs and acknowledgements lift them); throttle counts of unchanged ones go on.
   */
  public void syncTo(List<Restriction> current) {
    Map<String, Restriction> wanted = new java.util.HashMap<>();
    current.forEach(r -> wanted.put(r.subject(), r));
    bySubject.keySet().removeIf(subject -> !wanted.containsKey(subject));
    minutes.keySet().removeIf(subject -> !wanted.containsKey(subject));
    wanted.forEach((subject, r) -> {
      if (!r.equals(bySubject.put(subject, r))) minutes.remove(subject);
    });
  }

  public List<Restriction> all() {
    return List.copyOf(bySubject.values());
  }

  /**
   * Whether a request from this key, agent and workflow (any may be null) may go on at {@code now};
   * counts it against a throttle when it may.
   *
   * @return null when it may, else the refusal
   */
  public Refusal check(String key, String agent, String workflow, Instant now) {
    if (bySubject.isEmpty()) return null;
    Refusal r = check("key:", key, now);
    if (r == null) r = check("agent:", agent, now);
    if (r == null) r = check("workflow:", workflow, now);
    return r;
  }

  private Refusal check(String prefix, String name, Instant now) {
    if (name == null) return null;
    String subject = prefix + name;
    Restriction r = bySubject.get(subject);
    if (r == null) return null;
    if (r.kind() == Restriction.Kind.SUSPEND) return new Refusal(r, 0);
    long minute = now.getEpochSecond() / 60;
    AtomicLong slot = minutes.computeIfAbsent(subject, s -> new AtomicLong(minute << 20));
    long count = slot.updateAndGet(v -> (v >>> 20) == minute ? v + 1 : minute << 20 | 1) & ((1 << 20) - 1);
    if (count <= r.perMinute()) return null;
    // Refused requests count too (capped by the 20-bit field), so a client hammering the throttle stays refused.
    if (count >= (1 << 20) - 1) slot.set(minute << 20 | r.perMinute() + 1L);
    return new Refusal(r, 60 - now.getEpochSecond() % 60);
  }
}
