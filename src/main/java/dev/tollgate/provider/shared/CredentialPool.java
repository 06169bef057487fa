package dev.tollgate.provider.shared;

import dev.tollgate.config.ApiCredential;
import dev.tollgate.port.UpstreamEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A provider's API keys, used in turn by weight with nginx's smooth weighted round robin (weights
 * 3 and 1 give a a b a, a a b a…, never a burst on one key). A key the provider refused (401/403)
 * or rate limited (429) cools down: it is skipped until its {@code Retry-After}, or for the
 * provider's {@code credential_cooldown}, so the next call goes to another key. When every key is
 * cooling down, the one that comes back first is used rather than none.
 *
 * <p>Thread-safe: one pool serves every event loop, and each operation is a few array steps under a lock.
 */
public final class CredentialPool {

  /** A provider's {@code Retry-After} longer than this cools a key for this long only. */
  static final Duration MAX_COOLDOWN = Duration.ofHours(1);

  private final String provider;
  private final List<ApiCredential> credentials;
  private final Duration cooldown;
  private final Clock clock;
  private final UpstreamEvents events;
  private final long[] current;
  private final long[] coolUntilMillis;

  public CredentialPool(String provider, List<ApiCredential> credentials, Duration cooldown, Clock clock, UpstreamEvents events) {
    this.provider = provider;
    this.credentials = List.copyOf(credentials);
    this.cooldown = cooldown;
    this.clock = clock;
    this.events = events;
    this.current = new long[credentials.size()];
    this.coolUntilMillis = new long[credentials.size()];
  }

  public boolean isEmpty() {
    return credentials.isEmpty();
  }

  public int size() {
    return credentials.size();
  }

  /** The key for the next call; null when the provider has none. */
  public ApiCredential pick() {
    ApiCredential chosen = choose();
    if (chosen != null) events.credentialUsed(provider, chosen.label());
    return chosen;
  }

  private synchronized ApiCredential choose() {
    if (credentials.isEmpty()) return null;
    long now = clock.millis();
    int best = -1;
    long total = 0;
    for (int i = 0; i < current.length; i++) {
      if (coolUntilMillis[i] > now) continue;
      current[i] += credentials.get(i).weight();
      total += credentials.get(i).weight();
      if (best < 0 || current[i] > current[best]) best = i;
    }
    if (best < 0) {
      best = 0;
      for (int i = 1; i < coolUntilMillis.length; i++) if (coolUntilMillis[i] < coolUntilMillis[best]) best = i;
      return credentials.get(best);
    }
    current[best] -= total;
    return credentials.get(best);
  }

  /** True when a key other than {@code used} is not cooling down. */
  public synchronized boolean hasAnotherReady(ApiCredential used) {
    long now = clock.millis();
    for (int i = 0; i < coolUntilMillis.length; i++) if (i != used.index() && coolUntilMillis[i] <= now) return true;
    return false;
  }

  /**
   * Skips {@code credential} for a while after the provider answered {@code status} (401, 403 or
   * 429): for {@code retryAfter} when a 429 names one, else for the configured cool-down.
   */
  public void coolDown(ApiCredential credential, int status, Duration retryAfter) {
    Duration d = status == 429 && retryAfter != null ? retryAfter : cooldown;
    if (d.compareTo(MAX_COOLDOWN) > 0) d = MAX_COOLDOWN;
    synchronized (this) {
      coolUntilMillis[credential.index()] = Math.max(coolUntilMillis[credential.index()], clock.millis() + d.toMillis());
    }
    events.credentialCooledDown(provider, credential.label(), status, d);
  }
}
