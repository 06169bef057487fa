package dev.tollgate.port;

import dev.tollgate.domain.key.VirtualKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable store of virtual keys made through the admin API (keys from config live in the config). */
public interface KeyStore {

  /** Inserts a new key; fails if its name or hash is taken. */
  void insert(VirtualKey key);

  List<VirtualKey> list();

  Optional<VirtualKey> findById(String id);

  /** Marks the key revoked at {@code at}; false if no such key or already revoked. */
  boolean revoke(String id, Instant at);
}
