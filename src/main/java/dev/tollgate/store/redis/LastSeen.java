package dev.tollgate.store.redis;

import dev.tollgate.port.CounterStore.Claim;
import dev.tollgate.port.CounterStore.Counter;
import dev.tollgate.port.CounterStore.Outcome;
import dev.tollgate.port.CounterStore.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each fixed-period counter as Redis last reported it, until its period ends: what a replica knows of
 * a budget's headroom when Redis stops answering. Rolling windows are not kept (a minute-old reading
 * says nothing about the next minute). Bounded: past {@value #MAX} counters, ended periods are
 * forgotten first, then everything (forgetting only makes local limits less tight, never wrong).
 */
final class LastSeen {

  static final int MAX = 100_000;

  private record Seen(State state, Instant expiresAt) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** After a reservation: each counter's state with this reservation's hold in it, or the refusing counter's. */
  void reserved(List<Claim> claims, Outcome outcome, Instant now) {
    if (outcome instanceof Outcome.Granted g) {
      for (int i = 0; i < claims.size(); i++) {
        Claim c = claims.get(i);
        State before = g.before().get(i);
        put(c.counter(), new State(before.used(), before.reserved() + c.amount()), now);
      }
    } else if (outcome instanceof Outcome.Denied d) {
      put(claims.get(d.claimIndex()).counter(), d.state(), now);
    }
  }

  /** After a settlement: each counter's state afterwards. */
  void settled(List<Claim> actuals, List<State> after, Instant now) {
    for (int i = 0; i < actuals.size() && i < after.size(); i++) put(actuals.get(i).counter(), after.get(i), now);
  }

  /** The counter's last state, or null if unknown or its period is over. */
  State get(String key, Instant now) {
    Seen s = seen.get(key);
    return s == null || s.expiresAt() != null && !s.expiresAt().isAfter(now) ? null : s.state();
  }

  /** A local state with the last seen one added: the best view of a counter while Redis is down. */
  State plus(String key, State local, Instant now) {
    State s = get(key, now);
    return s == null ? local : new State(s.used() + local.used(), s.reserved() + local.reserved());
  }

  List<State> plus(List<Claim> claims, List<State> local, Instant now) {
    List<State> out = new ArrayList<>(local.size());
    for (int i = 0; i < local.size(); i++) out.add(plus(claims.get(i).counter().key(), local.get(i), now));
    return out;
  }

  /** A settlement's result while Redis cannot say: the last seen use plus this one. */
  List<State> estimate(List<Claim> actuals, Instant now) {
    List<State> out = new ArrayList<>(actuals.size());
    for (Claim c : actuals) {
      State s = get(c.counter().key(), now);
      out.add(new State((s == null ? 0 : s.used()) + c.amount(), 0));
    }
    return out;
  }

  private void put(Counter counter, State state, Instant now) {
    if (counter.rollingSeconds() > 0) return;
    if (seen.size() >= MAX) {
      seen.values().removeIf(s -> s.expiresAt() != null && !s.expiresAt().isAfter(now));
      if (seen.size() >= MAX) seen.clear();
    }
    seen.put(counter.key(), new Seen(state, counter.expiresAt()));
  }
}
