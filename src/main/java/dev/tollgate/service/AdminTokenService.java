package dev.tollgate.service;

import dev.tollgate.domain.access.AdminToken;
import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import dev.tollgate.domain.key.KeySecrets;
import dev.tollgate.port.AdminTokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Personal admin tokens: made (the secret exists only in that answer), listed, revoked, and checked
 * on every admin request. Every check reads the store, so a token revoked on one replica is refused
 * by all of them at once; call from a worker thread.
 */
public final class AdminTokenService {

  private final AdminTokenStore store;
  private final Clock clock;

  public AdminTokenService(AdminTokenStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Thrown when a token of the asked-for name exists (answered as 409). */
  public static final class NameTaken extends RuntimeException {
    public NameTaken(String message) {
      super(message);
    }
  }

  /** A new token and its secret; the secret exists only in this answer. */
  public record Created(AdminToken token, String secret) {}

  /**
   * @throws IllegalArgumentException when a field is missing or does not fit the role (a team lead
   *     needs teams, a member a user) or the expiry is past
   * @throws NameTaken when a token of that name exists
   */
  public Created create(String name, Role role, Set<String> teams, String user, Instant expiresAt, Principal by) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("'name' is required, e.g. \"ana-finance\"");
    if (role == null) throw new IllegalArgumentException("'role' is required: one of " + Role.names());
    if (role == Role.TEAM_LEAD && (teams == null || teams.isEmpty())) {
      throw new IllegalArgumentException("a team-lead token needs 'teams': the teams it leads");
    }
    if (role == Role.MEMBER && (user == null || user.isBlank())) {
      throw new IllegalArgumentException("a member token needs 'user': the ledger user whose usage it may see");
    }
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) throw new IllegalArgumentException("'expires_at' must be in the future");
    if (store.list().stream().anyMatch(t -> t.name().equals(name))) {
      throw new NameTaken("an admin token named '" + name + "' already exists; pick another name or revoke that one");
    }
    String secret = AdminToken.newSecret();
    AdminToken token = new AdminToken("tok_" + Long.toString(now.toEpochMilli(), 36) + secret.substring(4, 12), name,
        KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), role, teams, user, now, expiresAt, null, by.actor());
    store.insert(token);
    return new Created(token, secret);
  }

  public List<AdminToken> all() {
    return store.list();
  }

  public Optional<AdminToken> find(String id) {
    return store.findById(id);
  }

  public enum RevokeOutcome { REVOKED, NOT_FOUND, ALREADY_REVOKED }

  public RevokeOutcome revoke(String id) {
    Optional<AdminToken> found = store.findById(id);
    if (found.isEmpty()) return RevokeOutcome.NOT_FOUND;
    if (found.get().revokedAt() != null) return RevokeOutcome.ALREADY_REVOKED;
    return store.revoke(id, clock.instant()) ? RevokeOutcome.REVOKED : RevokeOutcome.ALREADY_REVOKED;
  }

  /** The outcome of presenting a {@code tga-} secret. */
  public sealed interface Check {
    record Valid(Principal principal) implements Check {}

    record Refused(String reason) implements Check {}
  }

  public Check check(String secret) {
    Optional<AdminToken> found = store.findByHash(KeySecrets.hash(secret));
    if (found.isEmpty()) return new Check.Refused("unknown admin token");
    AdminToken t = found.get();
    Instant now = clock.instant();
    if (t.revokedAt() != null) return new Check.Refused("admin token '" + t.name() + "' was revoked at " + t.revokedAt());
    if (!t.isActiveAt(now)) return new Check.Refused("admin token '" + t.name() + "' expired at " + t.expiresAt());
    return new Check.Valid(t.principal());
  }
}
