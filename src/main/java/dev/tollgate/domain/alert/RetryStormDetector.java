package dev.tollgate.domain.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Retry storms: the same prompt (same {@code prompt_hash}) from the same key and workflow sent
 * again and again in a short window — a client retrying a failing call in a loop, or an agent stuck
 * re-asking one question. It is reported once when the {@code count}-th copy arrives within
 * {@code window}, and again only after the copies have stopped for a whole window.
 *
 * <p>The caller leaves out cache hits (a repeated question answered from the cache costs nothing
 * upstream) and rows without a prompt hash. A classifier sent many different inputs under one system
 * prompt has a different {@code prompt_hash} per input and never matches. Not thread-safe: fed from one thread.
 */
public final class RetryStormDetector {

  /** A storm: {@code copies} requests with one prompt within the window, the first at {@code since}. */
  public record Storm(String key, String workflow, String promptHash, int copies, Instant since) {}

  private final int count;
  private final Duration window;
  private final Map<String, Chain> chains = new HashMap<>();
  private long seen;

  private static final class Chain {
    final ArrayDeque<Instant> arrivals = new ArrayDeque<>();
    boolean reported;
  }

  public RetryStormDetector(int count, Duration window) {
    if (count < 2) throw new IllegalArgumentException("count must be at least 2");
    if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
    this.count = count;
    this.window = window;
  }

  /**
   * Records one request's prompt.
   *
   * @param workflow the workflow it ran for, or null
   * @return the storm when this copy makes one (once per storm), else null
   */
  public Storm arrived(String key, String workflow, String promptHash, Instant at) {
    if (++seen % 4096 == 0) forgetQuietBefore(at.minus(window));
    Chain c = chains.computeIfAbsent(key + '\u0000' + (workflow == null ? "" : workflow) + '\u0000' + promptHash,
        k -> new Chain());
    Instant cutoff = at.minus(window);
    if (!c.arrivals.isEmpty() && !c.arrivals.peekLast().isAfter(cutoff)) c.reported = false; // quiet for a window: a new storm
    while (!c.arrivals.isEmpty() && !c.arrivals.peekFirst().isAfter(cutoff)) c.arrivals.removeFirst();
    c.arrivals.addLast(at);
    // Only the last `count` arrivals matter for the decision; the deque never grows past that.
    if (c.arrivals.size() > count) c.arrivals.removeFirst();
    if (c.reported || c.arrivals.size() < count) return null;
    c.reported = true;
    return new Storm(key, workflow, promptHash, c.arrivals.size(), c.arrivals.peekFirst());
  }

  /** Drops prompts not seen since {@code before}: one-off prompts are the common case and must not pile up. */
  private void forgetQuietBefore(Instant before) {
    chains.values().removeIf(c -> c.arrivals.isEmpty() || !c.arrivals.peekLast().isAfter(before));
  }

  int tracked() {
    return chains.size();
  }
}
