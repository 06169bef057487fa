package dev.tollgate.pipeline.call;

import dev.tollgate.domain.resilience.BreakerPolicy;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.UpstreamEvents;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per deployment (provider and upstream model), for providers that configure
 * {@code circuit_breaker}. A small state machine rather than a library: see
 * docs/decisions/0004-own-circuit-breaker.md.
 *
 * <pre>
 *   closed ──(N failures in a row)──► open ──(open_for elapsed)──► half_open
 *     ▲                                 ▲                              │
 *     └──────────(a probe succeeds)─────┼──────────────────────────────┤
 *                                       └──────(a probe fails)─────────┘
 * </pre>
 *
 * While open, {@link #allow} says no and the caller goes to the next deployment or fallback. Half
 * open lets {@code half_open_probes} calls through at a time; a probe that never reports (its client
 * left) frees its place after {@code open_for}. Time comes from the injected clock only.
 * Thread-safe: each breaker's state changes under its own lock.
 */
public final class CircuitBreakers {

  /** A deployment's breaker state as metrics show it. */
  public enum State {
    CLOSED(0), OPEN(1), HALF_OPEN(2);

    private final int gauge;

    State(int gauge) {
      this.gauge = gauge;
    }

    /** 0 closed, 1 open, 2 half open. */
    public int gauge() {
      return gauge;
    }

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Clock clock;
  private final UpstreamEvents events;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  public CircuitBreakers(Clock clock, UpstreamEvents events) {
    this.clock = clock;
    this.events = events;
  }

  /** May a call go to {@code deployment} now? Always yes without a breaker; a yes in half-open state takes a probe's place. */
  public boolean allow(ModelRoute deployment) {
    BreakerPolicy policy = deployment.provider().callPolicy().breaker();
    return policy == null || breaker(deployment).allow(policy, clock.millis());
  }

  /** The deployment answered (anything but a 429 or a 5xx). */
  public void succeeded(ModelRoute deployment) {
    if (deployment.provider().callPolicy().breaker() != null) breaker(deployment).succeeded();
  }

  /** The deployment failed: a 5xx, a timeout, or a refused or broken connection. */
  public void failed(ModelRoute deployment) {
    BreakerPolicy policy = deployment.provider().callPolicy().breaker();
    if (policy != null) breaker(deployment).failed(policy, clock.millis());
  }

  /** A call that took a probe's place ended without a verdict (a 429, or the client left). */
  public void released(ModelRoute deployment) {
    if (deployment.provider().callPolicy().breaker() != null) breaker(deployment).released();
  }

  /** The state of every deployment that has a breaker, by {@code provider/upstream}. */
  public Map<String, State> states() {
    Map<String, State> out = new TreeMap<>();
    long now = clock.millis();
    breakers.forEach((k, b) -> out.put(k, b.state(now)));
    return out;
  }

  /** The state of one deployment's breaker ({@code provider/upstream}); closed when it has none yet. */
  public State state(String deployment) {
    Breaker b = breakers.get(deployment);
    return b == null ? State.CLOSED : b.state(clock.millis());
  }

  private Breaker breaker(ModelRoute d) {
    return breakers.computeIfAbsent(key(d), k -> new Breaker(d.provider().name(), d.upstream()));
  }

  static String key(ModelRoute d) {
    return d.provider().name() + "/" + d.upstream();
  }

  private final class Breaker {
    private final String provider;
    private final String upstream;
    private State state = State.CLOSED;
    private int failures;
    private long openUntil;
    private int probes;
    private long probesSince;

    Breaker(String provider, String upstream) {
      this.provider = provider;
      this.upstream = upstream;
    }

    synchronized boolean allow(BreakerPolicy policy, long now) {
      if (state == State.OPEN) {
        if (now < openUntil) return false;
        move(State.HALF_OPEN);
        probes = 0;
      }
      if (state == State.HALF_OPEN) {
        if (probes > 0 && now - probesSince >= policy.openFor().toMillis()) probes = 0; // probes lost on the way
        if (probes >= policy.halfOpenProbes()) return false;
        if (probes == 0) probesSince = now;
        probes++;
      }
      return true;
    }

    synchronized void succeeded() {
      failures = 0;
      if (state != State.CLOSED) move(State.CLOSED);
    }

    synchronized void failed(BreakerPolicy policy, long now) {
      failures++;
      if (state == State.HALF_OPEN || (state == State.CLOSED && failures >= policy.failures())) {
        openUntil = now + policy.openFor().toMillis();
        move(State.OPEN);
      }
    }

    synchronized void released() {
      if (state == State.HALF_OPEN && probes > 0) probes--;
    }

    synchronized State state(long now) {
      return state == State.OPEN && now >= openUntil ? State.HALF_OPEN : state;
    }

    private void move(State next) {
      state = next;
      events.circuitChanged(provider, upstream, next.wire());
    }
  }
}
