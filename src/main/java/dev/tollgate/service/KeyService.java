package dev.tollgate.service;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.KeySecrets;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.port.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Virtual keys from both sources — declared in config, or made through the admin API and kept in
 * the store — behind one in-memory index by secret hash, so that authentication never waits on a
 * database. Keys made or revoked through the API update the index at once.
 */
public final class KeyService implements GatewayState.KeyIndex {

  private final KeyStore store;
  private final Clock clock;
  private final Map<String, VirtualKey> storedByHash = new ConcurrentHashMap<>();
  private volatile Map<String, VirtualKey> configByHash = Map.of();

  public KeyService(KeyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    for (VirtualKey key : store.list()) storedByHash.put(key.secretHash(), key);
  }

  /** Replaces the keys declared in config (at start and on every reload). */
  public void useConfigKeys(List<VirtualKey> keys) {
    Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();
    for (VirtualKey k : keys) byHash.put(k.secretHash(), k);
    configByHash = byHash;
  }

  @Override
  public Optional<VirtualKey> findBySecret(String secret) {
    String hash = KeySecrets.hash(secret);
    VirtualKey key = configByHash.get(hash);
    return Optional.ofNullable(key != null ? key : storedByHash.get(hash));
  }

  /** A new key and its secret; the secret exists only in this answer. */
  public record CreatedKey(VirtualKey key, String secret) {}

  public CreatedKey create(String name, Attribution defaults, List<String> models, Instant expiresAt) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("'name' is required");
    if (all().stream().anyMatch(k -> k.name().equals(name))) {
      throw new IllegalStateException("a key named '" + name + "' already exists");
    }
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("'expires_at' must be in the future");
    }
    String secret = KeySecrets.newSecret();
    VirtualKey key = new VirtualKey("key_" + Long.toString(now.toEpochMilli(), 36) + secret.substring(3, 11), name,
        KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), defaults, models, now, expiresAt, null, "api");
    store.insert(key);
    storedByHash.put(key.secretHash(), key);
    return new CreatedKey(key, secret);
  }

  /** Every key, config-declared first, each group by name. */
  public List<VirtualKey> all() {
    List<VirtualKey> out = new ArrayList<>(configByHash.values());
    out.sort(Comparator.comparing(VirtualKey::name));
    List<VirtualKey> stored = new ArrayList<>(storedByHash.values());
    stored.sort(Comparator.comparing(VirtualKey::name));
    out.addAll(stored);
    return out;
  }

  public Optional<VirtualKey> find(String id) {
    return all().stream().filter(k -> k.id().equals(id)).findFirst();
  }

  public enum RevokeOutcome { REVOKED, NOT_FOUND, DECLARED_IN_CONFIG, ALREADY_REVOKED }

  public RevokeOutcome revoke(String id) {
    Optional<VirtualKey> found = find(id);
    if (found.isEmpty()) return RevokeOutcome.NOT_FOUND;
    VirtualKey key = found.get();
    if ("config".equals(key.source())) return RevokeOutcome.DECLARED_IN_CONFIG;
    if (key.revokedAt() != null) return RevokeOutcome.ALREADY_REVOKED;
    Instant now = clock.instant();
    if (!store.revoke(id, now)) return RevokeOutcome.ALREADY_REVOKED;
    storedByHash.put(key.secretHash(), new VirtualKey(key.id(), key.name(), key.secretHash(), key.secretPrefix(),
        key.defaults(), key.allowedModels(), key.createdAt(), key.expiresAt(), now, key.source()));
    return RevokeOutcome.REVOKED;
  }
}
