package dev.tollgate.port;

import dev.tollgate.domain.access.AdminToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable store of personal admin tokens (only their secrets' hashes). */
public interface AdminTokenStore {

  /** Inserts a new token; throws IllegalArgumentException if its id, name or hash is taken. */
  void insert(AdminToken token);

  /** Every token, revoked ones included, oldest first. */
  List<AdminToken> list();

  Optional<AdminToken> findById(String id);

  Optional<AdminToken> findByHash(String secretHash);

  /** Marks it revoked at {@code at}; false if there is no such token or it was revoked already. */
  boolean revoke(String id, Instant at);
}
