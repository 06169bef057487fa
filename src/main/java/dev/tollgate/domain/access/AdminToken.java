package dev.tollgate.domain.access;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

/**
 * A personal admin token: a bearer secret ({@code tga-…}) that carries one role, the teams it leads
 * and the person's ledger user. Only the SHA-256 of the secret is kept; the secret is shown once.
 *
 * @param createdBy the actor that made it ({@link Principal#actor()})
 */
public record AdminToken(
    String id,
    String name,
    String secretHash,
    String secretPrefix,
    Role role,
    Set<String> teams,
    String user,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    String createdBy) {

  /** Every personal admin token starts with this, so that it is told apart from a virtual key ({@code tg-}). */
  public static final String PREFIX = "tga-";
  private static final SecureRandom RANDOM = new SecureRandom();

  public AdminToken {
    teams = teams == null ? Set.of() : Set.copyOf(teams);
  }

  /** A new secret: {@code tga-} and 48 hex characters (192 random bits). */
  public static String newSecret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  public Principal principal() {
    return new Principal(id, Principal.Kind.TOKEN, Set.of(role), teams, user, name);
  }

  public AdminToken revoked(Instant at) {
    return new AdminToken(id, name, secretHash, secretPrefix, role, teams, user, createdAt, expiresAt, at, createdBy);
  }
}
