package dev.tollgate.config;

import dev.tollgate.domain.access.Role;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * YAML {@code admin.oidc:} — accept JWT bearer tokens from an identity provider on the admin API.
 * A token is accepted when its signature verifies with a key of the JWKS (from {@code jwksUrl} or
 * {@code jwksFile}, exactly one of them set), its {@code iss} equals {@code issuer}, its {@code aud}
 * holds {@code audience}, and it is within {@code exp}/{@code nbf} give or take {@code clockSkew}.
 * Roles come only through {@code roleMap}: a claim value it does not list grants nothing.
 *
 * @param rolesClaim the claim holding role or group names (a list or a single string), default {@code roles}
 * @param teamsClaim the claim holding the teams a team lead leads, default {@code teams}
 * @param userClaim the claim holding the person's ledger {@code user}, default {@code email}
 * @param roleMap claim value → role
 * @param console the console's SSO sign-in, or null when the console signs in with tokens only
 */
public record OidcConfig(
    String issuer,
    String audience,
    URI jwksUrl,
    Path jwksFile,
    String rolesClaim,
    String teamsClaim,
    String userClaim,
    Map<String, Role> roleMap,
    Duration clockSkew,
    OidcConsoleConfig console) {

  public static final String DEFAULT_ROLES_CLAIM = "roles";
  public static final String DEFAULT_TEAMS_CLAIM = "teams";
  public static final String DEFAULT_USER_CLAIM = "email";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public OidcConfig {
    roleMap = roleMap == null ? Map.of() : Map.copyOf(roleMap);
  }

  /** True if a token with this {@code aud} entry is meant for Tollgate: the admin API's or the console's. */
  public boolean acceptsAudience(String aud) {
    return audience.equals(aud) || (console != null && console.clientId().equals(aud));
  }
}
