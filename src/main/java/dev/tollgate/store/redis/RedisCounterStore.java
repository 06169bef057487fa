package dev.tollgate.store.redis;

import dev.tollgate.port.CounterStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Budget counters in Redis, shared by every replica of the gateway. Each operation of the port is
 * one Lua script run by {@code EVALSHA} — one round trip, atomic on the Redis server — so a
 * reservation across all budgets of a request cannot be raced by another replica.
 *
 * <p>Keys, under a prefix ({@code tollgate:} by default; see docs/scale-out.md):
 *
 * <pre>
 *   {p}c:{counter}   hash   used | reserved | h:{reservation} = amount held | @r = rolling seconds
 *                           | rolling windows: s{second} = use in that second, lo = oldest second kept
 *                           | @seed, i:{seed id}: the rebuild that seeded it
 *   {p}z:{counter}   zset   reservation id → holdUntil (epoch ms): the holds on this counter
 *   {p}r:{id}        hash   the counters one reservation holds, @s = second admitted (deleted on settle)
 *   {p}done          zset   reservation id → when settled or released, kept 5 minutes: a replayed
 *                           settlement counts once, a reservation arriving after its release is refused
 *   {p}generation    string the marker the last rebuild wrote; reserve and settle refuse to run
 *                           without the one this store adopted (Redis lost its data: RedisGenerations)
 *   {p}rebuild-lock  string the replica rebuilding the counters after a loss (SET NX PX)
 * </pre>
 *
 * Holds lapse when a script runs with a {@code now} past their holdUntil — time is always the
 * caller's instant, never Redis's clock — so a crashed replica's holds stop counting on their own.
 * Fixed-period counters expire an hour after their period ends, rolling ones an hour after their
 * last reservation; both outlive every hold on them.
 *
 * <p>Thread model: the request-path methods never block; the Vert.x Redis client completes them on
 * the caller's context. {@link #read}, {@link #scan}, {@link #add} and {@link #activeReservations}
 * block their caller and refuse to run on an event loop. Every call fails with {@link
 * CountersUnavailableException} if Redis does not answer within the configured timeout. One Redis
 * endpoint (standalone, or a primary endpoint that fails over); not Cluster, whose hash slots a
 * reservation's keys would span.
 */
public final class RedisCounterStore implements CounterStore {

  /** How long a counter outlives its period, and a reservation's record its hold. */
  static final Duration MARGIN = Duration.ofHours(1);
  /**
   * How long a finished (settled or released) reservation's id is remembered, so that a settlement
   * replayed after a lost reply counts once and a reservation arriving late leaves no hold. Replays
   * follow the original within seconds (the probe runs every 250 ms, then the queue is replayed);
   * minutes leave a wide margin and cost ~80 bytes per request finished in them.
   */
  static final Duration DONE_FOR = Duration.ofMinutes(5);

  private static final LuaScript RESERVE = LuaScript.load("reserve");
  private static final LuaScript SETTLE = LuaScript.load("settle");
  private static final LuaScript RELEASE = LuaScript.load("release");
  private static final LuaScript READ = LuaScript.load("read");
  private static final LuaScript SEED = LuaScript.load("seed");
  private static final LuaScript PUBLISH = LuaScript.load("generation");
  private static final List<LuaScript> SCRIPTS = List.of(RESERVE, SETTLE, RELEASE, READ, SEED, PUBLISH);
  /** What reserve and settle send while this store acts under no generation yet: matches no marker. */
  private static final String NO_GENERATION = "none-adopted";

  private final Redis redis;
  private final Context context;
  private final String prefix;
  private final long timeoutMs;
  private final String where;
  private final String instance = UUID.randomUUID().toString();
  private final AtomicInteger inFlight = new AtomicInteger();
  /**
   * The generation reserve and settle must find in Redis ({@code {p}generation}); empty while the
   * store does not check (until {@link #requireGeneration}), {@link #NO_GENERATION} while it checks
   * but has adopted none.
   */
  private volatile String generation = "";

  /**
   * @param url {@code redis://[:password@]host:port[/db]} or {@code rediss://…}
   * @param keyPrefix put in front of every key, e.g. {@code tollgate:}; replicas sharing counters share it
   * @param timeout how long a call may wait for Redis before it fails
   */
  public RedisCounterStore(Vertx vertx, String url, String keyPrefix, Duration timeout) {
    if (keyPrefix == null || keyPrefix.isEmpty()) throw new IllegalArgumentException("a key prefix is required");
    this.prefix = keyPrefix;
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.where = describe(url);
    RedisOptions options = new RedisOptions().setConnectionString(url)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setTcpNoDelay(true))
        // Each command borrows a pooled connection for its round trip; requests beyond the pool wait
        // (bounded by the timeout, not by a short queue that would fail them under a burst).
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(100_000);
    this.redis = Redis.createClient(vertx, options);
    this.context = vertx.getOrCreateContext();
  }

  /** Where the counters live, for logs (host and port, never a password). */
  public String where() {
    return where;
  }

  public String keyPrefix() {
    return prefix;
  }

  @Override
  public CompletionStage<Outcome> reserve(String reservationId, List<Claim> claims, Instant now, Instant holdUntil) {
    if (claims.isEmpty()) return CompletableFuture.completedStage(new Outcome.Granted(List.of()));
    List<String> keys = new ArrayList<>(2 + 2 * claims.size());
    keys.add(recordKey(reservationId));
    keys.add(doneKey());
    long nowMs = now.toEpochMilli();
    long untilMs = holdUntil.toEpochMilli();
    List<String> args = new ArrayList<>(4 + 5 * claims.size());
    args.add(Long.toString(nowMs));
    args.add(Long.toString(untilMs));
    args.add(reservationId);
    args.add(Long.toString(Math.max(0, untilMs - nowMs) + MARGIN.toMillis()));
    for (Claim c : claims) {
      Counter counter = c.counter();
      keys.add(counterKey(counter.key()));
      keys.add(holdSetKey(counter.key()));
      args.add(counter.key());
      args.add(Long.toString(c.amount()));
      args.add(c.limit() == UNLIMITED ? "-1" : Long.toString(c.limit()));
      args.add(Integer.toString(counter.rollingSeconds()));
      args.add(Long.toString(ttlMs(counter, nowMs, untilMs)));
    }
    keys.add(generationKey());
    args.add(generation);
    return call("reserve", () -> RESERVE.run(redis::send, keys, args).map(RedisCounterStore::outcome));
  }

  @Override
  public CompletionStage<List<State>> settle(String reservationId, List<Claim> actuals, Instant now) {
    List<String> keys = new ArrayList<>(2 + 2 * actuals.size());
    keys.add(recordKey(reservationId));
    keys.add(doneKey());
    long nowMs = now.toEpochMilli();
    List<String> args = new ArrayList<>(4 + 3 * actuals.size());
    args.add(Long.toString(nowMs));
    args.add(reservationId);
    args.add(prefix);
    args.add(Long.toString(DONE_FOR.toMillis()));
    for (Claim c : actuals) {
      keys.add(counterKey(c.counter().key()));
      keys.add(holdSetKey(c.counter().key()));
      args.add(Long.toString(c.amount()));
      args.add(Integer.toString(c.counter().rollingSeconds()));
      args.add(Long.toString(ttlMs(c.counter(), nowMs, nowMs)));
    }
    keys.add(generationKey());
    args.add(generation);
    return call("settle", () -> SETTLE.run(redis::send, keys, args).map(RedisCounterStore::states));
  }

  @Override
  public CompletionStage<Void> release(String reservationId, Instant now) {
    List<String> keys = List.of(recordKey(reservationId), doneKey());
    List<String> args = List.of(reservationId, prefix, Long.toString(now.toEpochMilli()));
    return call("release", () -> RELEASE.run(redis::send, keys, args).<Void>mapEmpty());
  }

  @Override
  public State read(Counter counter, Instant now) {
    return await("read", () -> readState(counter.key(), counter.rollingSeconds(), now));
  }

  @Override
  public Map<String, State> scan(String keyPrefix, Instant now) {
    String match = glob(counterKey("")) + glob(keyPrefix) + "*";
    return await("scan", () -> scanKeys(match, "0", new ArrayList<>()).compose(keys -> {
      int cut = counterKey("").length();
      List<String> counters = keys.stream().distinct().map(k -> k.substring(cut)).toList();
      List<Future<State>> reads = counters.stream().map(k -> readState(k, -1, now)).toList();
      return Future.all(reads).map(all -> {
        Map<String, State> out = new TreeMap<>();
        for (int i = 0; i < counters.size(); i++) out.put(counters.get(i), reads.get(i).result());
        return out;
      });
    }));
  }

  /**
   * Seeds a counter with use rebuilt from the ledger — only if Redis does not have that counter yet.
   * Every replica rebuilds its counters from the shared ledger at start-up ({@code BudgetRebuild});
   * a counter Redis already holds already counts that use (rebuilt by the replica that created it,
   * then kept up by live traffic), so adding it again would count it twice. The first rebuild to
   * reach an absent counter claims it with a token (this store + the rebuild's instant), so the
   * several rows one rebuild adds to a counter all count, and another replica's rebuild adds nothing.
   */
  @Override
  public void add(Counter counter, long amount, Instant at) {
    seed(counter, amount, at, UUID.randomUUID().toString());
  }

  /**
   * {@link #add} with the seed's own id, so that repeating a seed whose reply was lost adds nothing;
   * says whether the use counts (false: Redis already had the counter from elsewhere).
   */
  public boolean seed(Counter counter, long amount, Instant at, String seedId) {
    long atMs = at.toEpochMilli();
    List<String> args = List.of(Long.toString(amount), Long.toString(at.getEpochSecond()),
        Integer.toString(counter.rollingSeconds()), Long.toString(ttlMs(counter, atMs, atMs)), instance + "@" + atMs, seedId);
    Response r = await("add", () -> SEED.run(redis::send, List.of(counterKey(counter.key())), args));
    return r.toInteger() == 1;
  }

  // ---- generations: noticing that Redis lost its data (see RedisGenerations)

  /** From now on reserve and settle succeed only while Redis holds the generation this store adopted. */
  void requireGeneration() {
    if (generation.isEmpty()) generation = NO_GENERATION;
  }

  /** Acts under {@code g} from now on: reserve and settle succeed only while Redis's marker says {@code g}. */
  void adopt(String g) {
    generation = g;
  }

  /** The generation this store acts under, or null if none. */
  String adopted() {
    return generation.isEmpty() || NO_GENERATION.equals(generation) ? null : generation;
  }

  /** The generation marker Redis holds now, or null if it has none (it lost its data, or was never rebuilt); blocking. */
  String currentGeneration() {
    Response r = await("generation", () -> redis.send(Request.cmd(Command.GET).arg(generationKey())));
    return r == null ? null : r.toString();
  }

  /** Takes the rebuild lock for {@code ttl} unless another replica holds it ({@code SET NX PX}); blocking. */
  boolean lockRebuild(String owner, Duration ttl) {
    Response r = await("lock", () -> redis.send(Request.cmd(Command.SET).arg(rebuildLockKey()).arg(owner)
        .arg("NX").arg("PX").arg(Math.max(1, ttl.toMillis()))));
    return r != null && "OK".equals(r.toString());
  }

  /** Gives up the rebuild lock if {@code owner} still holds it; blocking. */
  void unlockRebuild(String owner) {
    await("unlock", () -> redis.send(Request.cmd(Command.EVAL)
        .arg("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0")
        .arg(1).arg(rebuildLockKey()).arg(owner)));
  }

  /** Writes the marker {@code g} if {@code owner} still holds the rebuild lock, and releases it; blocking. */
  boolean publishGeneration(String owner, String g) {
    Response r = await("publish", () -> PUBLISH.run(redis::send, List.of(rebuildLockKey(), generationKey()), List.of(owner, g)));
    return r.toInteger() == 1;
  }

  /** Scans the hold sets under this prefix (every hold is in its counters' sets); for checks, not the request path. */
  @Override
  public long activeReservations(Instant now) {
    return await("activeReservations", () -> scanKeys(glob(holdSetKey("")) + "*", "0", new ArrayList<>()).compose(keys -> {
      List<Future<Response>> inForce = keys.stream().distinct()
          .map(k -> redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(k).arg("(" + now.toEpochMilli()).arg("+inf"))).toList();
      return Future.all(inForce).map(all -> {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Future<Response> f : inForce) for (Response id : f.result()) ids.add(id.toString());
        return (long) ids.size();
      });
    }));
  }

  /**
   * Connects and loads the scripts, so that the first request pays for neither; blocks (at start-up)
   * up to the timeout. Returns false, having changed nothing, if Redis did not answer.
   */
  public boolean warmUp() {
    try {
      await("warm-up", () -> Future.all(SCRIPTS.stream().map(s -> s.load(redis::send)).toList()).mapEmpty());
      return true;
    } catch (CountersUnavailableException e) {
      return false;
    }
  }

  /** Completes once Redis answers a PING (within the timeout). */
  public CompletionStage<Void> ping() {
    return call("ping", () -> redis.send(Request.cmd(Command.PING)).<Void>mapEmpty());
  }

  /** Waits (a few seconds at most) for calls in flight, then closes the connections. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (inFlight) {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          inFlight.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    CompletableFuture<Void> closed = new CompletableFuture<>();
    redis.close().onComplete(ar -> closed.complete(null));
    if (!Context.isOnEventLoopThread()) {
      try {
        closed.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // closing is best effort
      }
    }
  }

  // ---- keys and TTLs

  String counterKey(String counter) {
    return prefix + "c:" + counter;
  }

  String holdSetKey(String counter) {
    return prefix + "z:" + counter;
  }

  String recordKey(String reservationId) {
    return prefix + "r:" + reservationId;
  }

  String doneKey() {
    return prefix + "done";
  }

  String generationKey() {
    return prefix + "generation";
  }

  String rebuildLockKey() {
    return prefix + "rebuild-lock";
  }

  /**
   * A counter key's TTL (0 = none): a fixed period's counter lives until an hour past its period's end,
   * a rolling one an hour past its last reservation; either outlives a hold taken now by an hour.
   */
  static long ttlMs(Counter counter, long nowMs, long holdUntilMs) {
    long hold = Math.max(0, holdUntilMs - nowMs);
    if (counter.rollingSeconds() > 0) return hold + MARGIN.toMillis();
    if (counter.expiresAt() == null) return 0;
    return Math.max(60_000, Math.max(counter.expiresAt().toEpochMilli() - nowMs, hold) + MARGIN.toMillis());
  }

  /** Escapes the glob characters of SCAN's MATCH pattern. */
  static String glob(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') b.append('\\');
      b.append(c);
    }
    return b.toString();
  }

  // ---- calls

  private Future<State> readState(String counter, int rolling, Instant now) {
    return READ.run(redis::send, List.of(counterKey(counter), holdSetKey(counter)),
        List.of(Long.toString(now.toEpochMilli()), Integer.toString(rolling))).map(r -> state(r, 0));
  }

  private Future<List<String>> scanKeys(String match, String cursor, List<String> acc) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(match).arg("COUNT").arg(1000)).compose(r -> {
      for (Response k : r.get(1)) acc.add(k.toString());
      String next = r.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(acc) : scanKeys(match, next, acc);
    });
  }

  /** Runs an asynchronous call with the timeout; a failure becomes {@link CountersUnavailableException}. */
  private <T> CompletionStage<T> call(String what, Supplier<Future<T>> op) {
    inFlight.incrementAndGet();
    Future<T> f;
    try {
      f = op.get().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(e -> Future.failedFuture(unavailable(what, e))).andThen(ar -> done()).toCompletionStage();
  }

  private void done() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
  }

  /** Runs a call on this store's own context and blocks the (non event-loop) caller until it ends. */
  private <T> T await(String what, Supplier<Future<T>> op) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("RedisCounterStore." + what + " blocks; call it from a worker thread, not an event loop");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> call(what, op).whenComplete((r, e) -> {
      if (e != null) result.completeExceptionally(e);
      else result.complete(r);
    }));
    try {
      return result.get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof CountersUnavailableException u ? u : unavailable(what, e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(what, e);
    }
  }

  private CountersUnavailableException unavailable(String what, Throwable cause) {
    if (cause instanceof CountersUnavailableException u) return u;
    if (cause != null && cause.getMessage() != null && cause.getMessage().contains(CountersLostException.MARK)) {
      return new CountersLostException("Redis counters at " + where + ": " + what + " refused: "
          + cause.getMessage().substring(cause.getMessage().indexOf(CountersLostException.MARK) + CountersLostException.MARK.length()).trim(), cause);
    }
    String reason = cause instanceof TimeoutException ? "did not answer within " + timeoutMs + " ms" : "failed: " + cause;
    return new CountersUnavailableException("Redis counters at " + where + ": " + what + " " + reason, cause);
  }

  // ---- replies

  private static Outcome outcome(Response r) {
    if (r.get(0).toInteger() == 1) {
      List<State> before = new ArrayList<>((r.size() - 1) / 2);
      for (int i = 1; i < r.size(); i += 2) before.add(state(r, i));
      return new Outcome.Granted(before);
    }
    return new Outcome.Denied(r.get(1).toInteger(), state(r, 2));
  }

  private static List<State> states(Response r) {
    List<State> out = new ArrayList<>(r.size() / 2);
    for (int i = 0; i < r.size(); i += 2) out.add(state(r, i));
    return out;
  }

  private static State state(Response r, int at) {
    return new State(Long.parseLong(r.get(at).toString()), Long.parseLong(r.get(at + 1).toString()));
  }

  private static String describe(String url) {
    try {
      URI u = new URI(url);
      return u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
    } catch (Exception e) {
      return "the configured Redis";
    }
  }
}
