package dev.tollgate.store.redis;

import dev.tollgate.port.CounterStore;
import dev.tollgate.store.memory.MemoryCounterStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared (Redis) counters that survive Redis being down, slow or restarted. How, in plain words:
 *
 * <ol>
 *   <li>While Redis answers, every call goes to it; each counter's state as Redis last reported it
 *       is remembered ("last seen").
 *   <li>The first call that fails or times out marks Redis <b>down</b>. From then on, until a probe
 *       (a PING every {@code probeInterval}) succeeds again, no call waits for Redis:
 *       <ul>
 *         <li>{@code fail_closed}: reserve fails at once ({@link CountersUnavailableException}, which
 *             admission answers with 503 {@code counters_unavailable}); nothing is admitted.
 *         <li>{@code fail_open_with_local_limits}: reserve is decided by a local in-memory store in
 *             which each hard limit is cut to {@code floor(limit × fraction)} and, for a fixed period,
 *             to the headroom last seen in Redis ({@code limit − (used + reserved)}), whichever is smaller.
 *       </ul>
 *   <li>Whatever Redis should have been told meanwhile is queued, in order: settlements and releases
 *       of reservations Redis granted, the use of every request admitted locally (sent as a settlement
 *       of {@code id~local}, counted at the second it is sent), the release of a reservation whose reply
 *       was lost to a timeout (it may have been applied, or may still arrive: a released id is refused
 *       for five minutes), and start-up rebuild seeds. Once the probe succeeds the queue is replayed, then
 *       Redis is marked up. Every replayed operation is idempotent (Redis remembers a settled id for
 *       five minutes; releases and seeds carry their own checks), so a timed-out call that Redis did
 *       apply is not counted twice.
 * </ol>
 *
 * The guarantee of {@code fail_open_with_local_limits}: over one budget period, the requests a
 * replica admits while Redis is down reserve at most {@code floor(limit × fraction)} of each hard
 * budget (the local counters are kept across outages for the period), and never more than the
 * headroom it last saw; so N replicas admit at most {@code N × fraction × limit} beyond what Redis
 * knew, and all of it is counted in Redis once it is back. Use still queued when a replica stops or
 * crashes during an outage is lost to the counters (not to the ledger) until the period ends.
 *
 * <p>With {@link RedisGenerations}, Redis answering but having <b>lost its data</b> counts as down
 * too (its scripts refuse to run without the generation this replica adopted); recovery then first
 * has the counters rebuilt from the ledger (once across replicas), re-holds this replica's
 * reservations still in flight, and only then replays the queue and marks Redis up.
 */
public final class ResilientCounterStore implements CounterStore {

  private static final Logger log = LoggerFactory.getLogger(ResilientCounterStore.class);
  private static final int MAX_PENDING = 1_000_000;
  private static final int MAX_ATTEMPTS = 20;
  private static final int REPLAY_BATCH = 256;
  /** Marks the settlement that brings a locally admitted request's use to Redis. */
  static final String LOCAL_SUFFIX = "~local";

  /** What admission does while Redis does not answer. */
  public enum OnDown {
    FAIL_CLOSED,
    FAIL_OPEN_WITH_LOCAL_LIMITS
  }

  private final CounterStore remote;
  private final Supplier<CompletionStage<Void>> ping;
  private final OnDown mode;
  private final BigDecimal fraction;
  private final String where;
  private final MemoryCounterStore local = new MemoryCounterStore();
  private final Set<String> localIds = ConcurrentHashMap.newKeySet();
  /** Null when failing closed: nothing is decided locally, so nothing needs remembering. */
  private final LastSeen lastSeen;
  private final ArrayDeque<Op> pending = new ArrayDeque<>();
  private final ScheduledExecutorService recovery;
  private volatile boolean up = true;
  private int attempts;
  private long lost;
  /** Null without generations (tests of the outage path alone). */
  private final RedisGenerations generations;
  /** Reservations Redis granted and nobody has settled or released yet: re-held after a rebuild. */
  private final Map<String, Held> granted = new ConcurrentHashMap<>();
  private volatile boolean dataLost;
  /** Set by close: a last replay may still run, a rebuild (which needs the ledger) may not. */
  private volatile boolean closing;
  /** One recovery at a time: the probe's thread, or start-up's {@link #checkNow}. */
  private final Object recovering = new Object();
  private int ticks;
  /** The generation this replica's holds in {@link #granted} live under; another one means re-holding them. */
  private String holdsUnder;
  private final long probeMillis;

  private record Held(List<Claim> claims, Instant now, Instant holdUntil) {}

  /** Something Redis must still be told; {@link #start} is idempotent on the Redis side. */
  private sealed interface Op {
    CompletionStage<?> start(CounterStore remote);
  }

  private record Settle(String id, List<Claim> actuals, Instant now) implements Op {
    public CompletionStage<?> start(CounterStore remote) {
      return remote.settle(id, actuals, now);
    }
  }

  private record Release(String id, Instant now) implements Op {
    public CompletionStage<?> start(CounterStore remote) {
      return remote.release(id, now);
    }
  }

  /** A rebuild seed; its id makes a replay of a seed Redis did apply (reply lost) a no-op. */
  private record Seed(Counter counter, long amount, Instant at, String id) implements Op {
    public CompletionStage<?> start(CounterStore remote) {
      if (remote instanceof RedisCounterStore redis) redis.seed(counter, amount, at, id);
      else remote.add(counter, amount, at);
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * @param remote the shared store (Redis); its failures and timeouts mark it down
   * @param ping completes normally once the shared store answers again
   * @param localLimitFraction the share of each hard limit a replica may admit alone while down (0–1)
   * @param where how logs name the shared store
   */
  public ResilientCounterStore(CounterStore remote, Supplier<CompletionStage<Void>> ping, OnDown mode,
      BigDecimal localLimitFraction, Duration probeInterval, String where) {
    this(remote, ping, mode, localLimitFraction, probeInterval, where, null);
  }

  /**
   * As above, and with {@code generations} (the Redis store's): every probe also checks that Redis
   * still holds the counters, and recovery from a loss rebuilds them before Redis is used again.
   */
  public ResilientCounterStore(CounterStore remote, Supplier<CompletionStage<Void>> ping, OnDown mode,
      BigDecimal localLimitFraction, Duration probeInterval, String where, RedisGenerations generations) {
    this.generations = generations;
    if (localLimitFraction.signum() < 0 || localLimitFraction.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("the local limit fraction must be between 0 and 1");
    }
    this.remote = remote;
    this.ping = ping;
    this.mode = mode;
    this.fraction = localLimitFraction;
    this.where = where;
    this.lastSeen = mode == OnDown.FAIL_CLOSED ? null : new LastSeen();
    this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-counters-recovery");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(10, probeInterval.toMillis());
    this.probeMillis = every;
    recovery.scheduleWithFixedDelay(this::recover, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Looks at the shared store now, as the probe does (blocking): at start-up, so that a replica whose
   * Redis has no generation yet rebuilds it — or waits for another replica's rebuild — before it serves.
   */
  public void checkNow() {
    if (generations == null) return;
    try {
      if (generations.intact()) {
        noteGeneration();
        return;
      }
    } catch (CountersUnavailableException e) {
      failed(e, null);
      return;
    }
    markLost();
    // Start-up may wait for a rebuild (this replica's or another's) to settle: a few probe intervals.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!up && System.nanoTime() < deadline) {
      recover();
      if (up) return;
      try {
        Thread.sleep(probeMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The store's generations, or null. */
  public RedisGenerations generations() {
    return generations;
  }

  /** True while the shared store answers (and nothing is waiting to be replayed to it). */
  public boolean up() {
    return up;
  }

  /** Operations waiting for the shared store to come back. */
  public synchronized int pending() {
    return pending.size();
  }

  public OnDown mode() {
    return mode;
  }

  @Override
  public CompletionStage<Outcome> reserve(String reservationId, List<Claim> claims, Instant now, Instant holdUntil) {
    // Nothing to count (only per-request caps matched): never refused for want of Redis.
    if (claims.isEmpty()) return CompletableFuture.completedStage(new Outcome.Granted(List.of()));
    if (!up) return whileDown(reservationId, claims, now, holdUntil);
    return remote.reserve(reservationId, claims, now, holdUntil).handle((outcome, e) -> {
      if (e == null) {
        if (lastSeen != null) lastSeen.reserved(claims, outcome, now);
        if (generations != null && outcome instanceof Outcome.Granted) granted.put(reservationId, new Held(claims, now, holdUntil));
        return CompletableFuture.completedStage(outcome);
      }
      // The reply is lost, but Redis may have applied the reservation: release it once Redis is back.
      failed(e, new Release(reservationId, now));
      return whileDown(reservationId, claims, now, holdUntil);
    }).thenCompose(s -> s);
  }

  @Override
  public CompletionStage<List<State>> settle(String reservationId, List<Claim> actuals, Instant now) {
    if (localIds.remove(reservationId)) {
      List<State> after = local.settle(reservationId, actuals, now).toCompletableFuture().join();
      // Admitted locally: Redis gets the use, now or on recovery, as the settlement of an id of its own
      // (idempotent, and distinct from the id whose reservation may have reached Redis late and been released).
      send(new Settle(reservationId + LOCAL_SUFFIX, actuals, now));
      return CompletableFuture.completedStage(lastSeen.plus(actuals, after, now));
    }
    Settle op = new Settle(reservationId, actuals, now);
    granted.remove(reservationId);
    if (!up) {
      send(op);
      return CompletableFuture.completedStage(estimate(actuals, now));
    }
    return remote.settle(reservationId, actuals, now).handle((after, e) -> {
      if (e == null) {
        if (lastSeen != null) lastSeen.settled(actuals, after, now);
        return after;
      }
      failed(e, op);
      return estimate(actuals, now);
    });
  }

  @Override
  public CompletionStage<Void> release(String reservationId, Instant now) {
    if (localIds.remove(reservationId)) return local.release(reservationId, now);
    Release op = new Release(reservationId, now);
    granted.remove(reservationId);
    if (!up) {
      send(op);
      return CompletableFuture.completedStage(null);
    }
    return remote.release(reservationId, now).handle((v, e) -> {
      if (e != null) failed(e, op);
      return null;
    });
  }

  @Override
  public State read(Counter counter, Instant now) {
    if (up) {
      try {
        return remote.read(counter, now);
      } catch (CountersUnavailableException e) { // anything else is a bug, not an outage: it propagates
        failed(e, null);
      }
    }
    requireOpen();
    return lastSeen.plus(counter.key(), local.read(counter, now), now);
  }

  @Override
  public Map<String, State> scan(String keyPrefix, Instant now) {
    if (up) {
      try {
        return remote.scan(keyPrefix, now);
      } catch (CountersUnavailableException e) { // anything else is a bug, not an outage: it propagates
        failed(e, null);
      }
    }
    requireOpen();
    Map<String, State> out = new TreeMap<>();
    local.scan(keyPrefix, now).forEach((k, s) -> out.put(k, lastSeen.plus(k, s, now)));
    return out;
  }

  /** Rebuild seeds go to Redis (which adds only those it lacks); while it is down they wait in the queue. */
  @Override
  public void add(Counter counter, long amount, Instant at) {
    send(new Seed(counter, amount, at, java.util.UUID.randomUUID().toString()));
  }

  @Override
  public long activeReservations(Instant now) {
    if (up) {
      try {
        return remote.activeReservations(now) + local.activeReservations(now);
      } catch (CountersUnavailableException e) { // anything else is a bug, not an outage: it propagates
        failed(e, null);
      }
    }
    requireOpen();
    return local.activeReservations(now);
  }

  /** Stops probing; replays what is queued if the shared store answers now, then closes it. */
  @Override
  public void close() {
    closing = true;
    recovery.shutdownNow();
    if (!up) recover();
    synchronized (this) {
      if (!pending.isEmpty()) {
        log.error("{} counter updates could not reach the shared counters ({}) before shutdown; the counters under-count"
            + " them until their periods end (the ledger has every request)", pending.size(), where);
      }
    }
    remote.close();
  }

  // ---- down

  private CompletionStage<Outcome> whileDown(String reservationId, List<Claim> claims, Instant now, Instant holdUntil) {
    if (mode == OnDown.FAIL_CLOSED) {
      return CompletableFuture.failedStage(new CountersUnavailableException(
          "the shared budget counters (" + where + ") are unavailable and on_redis_down is fail_closed"));
    }
    List<Claim> scaled = new ArrayList<>(claims.size());
    for (Claim c : claims) scaled.add(new Claim(c.counter(), c.amount(), localLimit(c, now)));
    Outcome o = local.reserve(reservationId, scaled, now, holdUntil).toCompletableFuture().join();
    if (o instanceof Outcome.Denied d) {
      return CompletableFuture.completedStage(new Outcome.Denied(d.claimIndex(),
          lastSeen.plus(claims.get(d.claimIndex()).counter().key(), d.state(), now)));
    }
    localIds.add(reservationId);
    return CompletableFuture.completedStage(new Outcome.Granted(lastSeen.plus(claims, ((Outcome.Granted) o).before(), now)));
  }

  /** The most a replica may admit alone: a fraction of the limit, and no more than the headroom last seen. */
  long localLimit(Claim c, Instant now) {
    if (c.limit() == UNLIMITED) return UNLIMITED;
    long share = new BigDecimal(c.limit()).multiply(fraction).setScale(0, RoundingMode.FLOOR).longValueExact();
    State seen = lastSeen.get(c.counter().key(), now);
    if (seen == null) return share;
    return Math.min(share, Math.max(0, c.limit() - seen.total()));
  }

  private List<State> estimate(List<Claim> actuals, Instant now) {
    if (lastSeen != null) return lastSeen.estimate(actuals, now);
    List<State> out = new ArrayList<>(actuals.size());
    for (Claim c : actuals) out.add(new State(c.amount(), 0));
    return out;
  }

  private void requireOpen() {
    if (mode == OnDown.FAIL_CLOSED) {
      throw new CountersUnavailableException("the shared budget counters (" + where + ") are unavailable");
    }
  }

  private void markLost() {
    synchronized (this) {
      if (!dataLost) {
        dataLost = true;
        log.error("budget counters at {} hold no generation marker of this installation (Redis lost its data, or is new);"
            + " {} until they are rebuilt from the ledger",
            where, mode == OnDown.FAIL_CLOSED ? "refusing requests with budgets (fail_closed)"
                : "admitting within local limits of " + fraction.stripTrailingZeros().toPlainString() + " of each hard budget");
      }
      up = false;
    }
  }

  private void failed(Throwable e, Op op) {
    if (rootCause(e) instanceof CountersLostException) {
      markLost();
      synchronized (this) {
        if (op != null) addPending(op);
      }
      return;
    }
    synchronized (this) {
      if (up) {
        up = false;
        attempts = 0;
        log.error("budget counters at {} unavailable ({}); {} until they answer again", where, rootMessage(e),
            mode == OnDown.FAIL_CLOSED ? "refusing requests with budgets (fail_closed)"
                : "admitting within local limits of " + fraction.stripTrailingZeros().toPlainString() + " of each hard budget");
      }
      if (op != null) addPending(op);
    }
  }

  private void addPending(Op op) {
    if (pending.size() >= MAX_PENDING) {
      pending.poll();
      lost++;
      if (lost == 1 || lost % 10_000 == 0) log.error("counter replay queue full: {} oldest updates dropped so far", lost);
    }
    pending.add(op);
  }

  /** Sends an op now if the shared store is up, else queues it behind those already waiting. */
  private void send(Op op) {
    synchronized (this) {
      if (!up) {
        addPending(op);
        return;
      }
    }
    CompletionStage<?> started;
    try {
      started = op.start(remote);
    } catch (CountersUnavailableException e) {
      failed(e, op);
      return;
    }
    started.whenComplete((v, e) -> {
      if (e != null) failed(e, op);
    });
  }

  /**
   * The probe: once the shared store answers (and, with generations, holds this replica's counters
   * again: rebuilt if they were lost), replay the queue in order, then mark it up.
   */
  private void recover() {
    synchronized (recovering) {
      if (up) watchGeneration();
      else replay();
    }
  }

  private void replay() {
    try {
      ping.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return;
    }
    if (generations != null && !restored()) return;
    int replayed = 0;
    while (true) {
      List<Op> batch = new ArrayList<>(REPLAY_BATCH);
      synchronized (this) {
        if (pending.isEmpty()) {
          up = true;
          if (dataLost) log.info("budget counters at {} rebuilt; {} queued updates replayed", where, replayed);
          else log.info("budget counters at {} answer again; {} queued updates replayed", where, replayed);
          dataLost = false;
          return;
        }
        var it = pending.iterator();
        while (it.hasNext() && batch.size() < REPLAY_BATCH) batch.add(it.next());
      }
      // The ops of a batch run side by side: each is idempotent and none depends on another's order
      // (a release and a settlement of one id give the same counters in either order).
      try {
        List<CompletableFuture<?>> running = new ArrayList<>(batch.size());
        for (Op op : batch) running.add(op.start(remote).toCompletableFuture());
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        synchronized (this) {
          if (++attempts < MAX_ATTEMPTS) return; // try again at the next probe; replaying twice is harmless
          log.error("dropping {} counter updates Redis refused {} times ({})", batch.size(), attempts, rootMessage(e));
        }
      }
      synchronized (this) {
        for (Op op : batch) if (pending.peek() == op) pending.poll();
        attempts = 0;
      }
      replayed += batch.size();
    }
  }

  /** While up: every probe looks at the generation marker (one GET), so a loss is noticed without traffic. */
  private void watchGeneration() {
    if (generations == null) return;
    if (++ticks % 40 == 0) pruneGranted();
    boolean intact;
    try {
      intact = generations.intact();
    } catch (CountersUnavailableException e) {
      return; // an outage: the next request notices it
    }
    if (intact) {
      noteGeneration();
      return;
    }
    markLost();
    replay();
  }

  /**
   * With Redis answering: makes sure it holds this replica's generation (rebuilt by this replica or
   * another), re-holding the reservations in flight when the generation changed. False: not yet.
   */
  private boolean restored() {
    try {
      if (!generations.intact()) {
        markLost();
        if (closing || !generations.restore()) return false;
      }
      String now = generations.adopted();
      // Re-hold until it succeeds: a failed attempt leaves holdsUnder behind, so the next probe tries again.
      if (holdsUnder != null && !holdsUnder.equals(now)) rehold();
      holdsUnder = now;
      // Let every replica re-hold its own in-flight reservations before anyone admits through Redis again.
      return System.currentTimeMillis() >= generations.adoptedAtMillis() + RedisGenerations.SETTLE_TIME.toMillis();
    } catch (RuntimeException e) {
      log.warn("budget counters at {}: not restored yet ({})", where, rootMessage(e));
      return false;
    }
  }

  /** Remembers the first generation this replica acts under (its holds live there). */
  private void noteGeneration() {
    if (holdsUnder == null) holdsUnder = generations.adopted();
  }

  /** Reserves again, without limits, what this replica's requests in flight hold: the loss took their holds. */
  private void rehold() throws RuntimeException {
    pruneGranted();
    List<CompletableFuture<?>> running = new ArrayList<>();
    for (var e : granted.entrySet()) {
      Held h = e.getValue();
      List<Claim> unlimited = h.claims().stream().map(c -> new Claim(c.counter(), c.amount(), UNLIMITED)).toList();
      running.add(remote.reserve(e.getKey(), unlimited, h.now(), h.holdUntil()).toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CountersUnavailableException("re-holding " + running.size() + " reservations in flight failed", e);
    }
    if (!running.isEmpty()) log.info("re-held {} reservations in flight on the rebuilt counters", running.size());
  }

  /** Forgets reservations whose hold has lapsed (a request that never settled would otherwise stay here). */
  private void pruneGranted() {
    Instant now = Instant.now();
    granted.values().removeIf(h -> !h.holdUntil().isAfter(now));
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
