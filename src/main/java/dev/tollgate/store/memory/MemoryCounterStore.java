package dev.tollgate.store.memory;

import dev.tollgate.port.CounterStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Counters in this process's memory, for a single gateway. One lock makes reserve-across-all-budgets
 * atomic; its critical section is a few map operations per budget, far below the cost of the
 * request it guards. After a restart the counters are rebuilt from the ledger (see
 * {@code BudgetRebuild}), so a restart never resets month-to-date use.
 */
public final class MemoryCounterStore implements CounterStore {

  private final Map<String, Tally> tallies = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final PriorityQueue<Hold> byExpiry = new PriorityQueue<>((a, b) -> a.until.compareTo(b.until));
  private long lastSweepSecond;

  private record Hold(String id, List<Claim> claims, Instant until, long admittedSecond) {}

  /** Use and holds of one counter; a rolling counter keeps its use in one-second buckets. */
  private static final class Tally {
    final Counter counter;
    long used;
    long reserved;
    final long[] buckets;
    final long[] bucketSecond;

    Tally(Counter counter) {
      this.counter = counter;
      this.buckets = counter.rollingSeconds() > 0 ? new long[counter.rollingSeconds()] : null;
      this.bucketSecond = counter.rollingSeconds() > 0 ? new long[counter.rollingSeconds()] : null;
    }

    long used(long nowSecond) {
      if (buckets == null) return used;
      long sum = 0;
      for (int i = 0; i < buckets.length; i++) {
        if (bucketSecond[i] > nowSecond - buckets.length && bucketSecond[i] <= nowSecond) sum += buckets[i];
      }
      return sum;
    }

    void addUse(long amount, long second) {
      if (buckets == null) {
        used += amount;
        return;
      }
      int i = (int) Math.floorMod(second, (long) buckets.length);
      if (bucketSecond[i] != second) {
        bucketSecond[i] = second;
        buckets[i] = 0;
      }
      buckets[i] += amount;
    }
  }

  @Override
  public CompletionStage<Outcome> reserve(String reservationId, List<Claim> claims, Instant now, Instant holdUntil) {
    return CompletableFuture.completedFuture(reserveNow(reservationId, claims, now, holdUntil));
  }

  @Override
  public CompletionStage<List<State>> settle(String reservationId, List<Claim> actuals, Instant now) {
    return CompletableFuture.completedFuture(settleNow(reservationId, actuals, now));
  }

  @Override
  public CompletionStage<Void> release(String reservationId, Instant now) {
    releaseNow(reservationId);
    return CompletableFuture.completedFuture(null);
  }

  synchronized Outcome reserveNow(String reservationId, List<Claim> claims, Instant now, Instant holdUntil) {
    expireHolds(now);
    long second = now.getEpochSecond();
    List<State> before = new ArrayList<>(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      Claim c = claims.get(i);
      Tally t = tally(c.counter());
      State s = new State(t.used(second), t.reserved);
      if (c.limit() != UNLIMITED && s.total() + c.amount() > c.limit()) return new Outcome.Denied(i, s);
      before.add(s);
    }
    for (Claim c : claims) tally(c.counter()).reserved += c.amount();
    Hold hold = new Hold(reservationId, List.copyOf(claims), holdUntil, second);
    holds.put(reservationId, hold);
    byExpiry.add(hold);
    return new Outcome.Granted(before);
  }

  synchronized List<State> settleNow(String reservationId, List<Claim> actuals, Instant now) {
    Hold hold = dropHold(reservationId);
    long second = hold != null ? hold.admittedSecond : now.getEpochSecond();
    List<State> after = new ArrayList<>(actuals.size());
    for (Claim c : actuals) {
      Tally t = tally(c.counter());
      if (c.amount() != 0) t.addUse(c.amount(), second);
      after.add(new State(t.used(now.getEpochSecond()), t.reserved));
    }
    return after;
  }

  synchronized void releaseNow(String reservationId) {
    dropHold(reservationId);
  }

  @Override
  public synchronized State read(Counter counter, Instant now) {
    expireHolds(now);
    Tally t = tallies.get(counter.key());
    return t == null ? new State(0, 0) : new State(t.used(now.getEpochSecond()), t.reserved);
  }

  @Override
  public synchronized Map<String, State> scan(String keyPrefix, Instant now) {
    expireHolds(now);
    Map<String, State> out = new java.util.TreeMap<>();
    long second = now.getEpochSecond();
    tallies.forEach((key, t) -> {
      if (key.startsWith(keyPrefix)) out.put(key, new State(t.used(second), t.reserved));
    });
    return out;
  }

  @Override
  public synchronized void add(Counter counter, long amount, Instant at) {
    tally(counter).addUse(amount, at.getEpochSecond());
  }

  @Override
  public synchronized long activeReservations(Instant now) {
    expireHolds(now);
    return holds.size();
  }

  private Tally tally(Counter counter) {
    return tallies.computeIfAbsent(counter.key(), k -> new Tally(counter));
  }

  private Hold dropHold(String id) {
    Hold hold = holds.remove(id);
    if (hold == null) return null;
    byExpiry.remove(hold);
    for (Claim c : hold.claims) {
      Tally t = tallies.get(c.counter().key());
      if (t != null) t.reserved -= c.amount();
    }
    return hold;
  }

  /** Lets lapsed holds go, and (once a second at most) forgets counters whose period is over. */
  private void expireHolds(Instant now) {
    while (!byExpiry.isEmpty() && !byExpiry.peek().until.isAfter(now)) dropHold(byExpiry.peek().id);
    long second = now.getEpochSecond();
    if (second == lastSweepSecond) return;
    lastSweepSecond = second;
    for (Iterator<Tally> it = tallies.values().iterator(); it.hasNext(); ) {
      Tally t = it.next();
      if (t.reserved == 0 && t.counter.expiresAt() != null && now.isAfter(t.counter.expiresAt())) it.remove();
    }
  }
}
