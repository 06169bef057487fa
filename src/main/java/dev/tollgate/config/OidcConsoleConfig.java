package dev.tollgate.config;

import java.net.URI;

/**
 * YAML {@code admin.oidc.console:} — the console's "Sign in with SSO" button: an OAuth 2.0
 * authorization-code flow with PKCE against the identity provider of {@code admin.oidc}.
 *
 * <p>The browser sends the person to {@code authorizationEndpoint}; the identity provider sends them
 * back to {@code /console/} with a code, which the gateway exchanges at {@code tokenEndpoint} (with the
 * PKCE verifier, and {@code clientSecret} for a confidential client). The ID token that comes back is
 * the console's bearer token for the admin API, checked like any other JWT, so its {@code aud} (this
 * client id) is accepted next to {@code admin.oidc.audience}.
 *
 * @param authorizationEndpoint null to read it from the issuer's {@code /.well-known/openid-configuration}
 * @param tokenEndpoint null to read it from the same discovery document
 * @param clientSecret null for a public client (PKCE alone)
 * @param label the button's text, e.g. "Sign in with Okta"
 */
public record OidcConsoleConfig(
    String clientId,
    String clientSecret,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    String scopes,
    String label) {

  public static final String DEFAULT_SCOPES = "openid profile email";
  public static final String DEFAULT_LABEL = "Sign in with SSO";

  /** Hides the secret from logs and from the config's printed form. */
  @Override
  public String toString() {
    return "OidcConsoleConfig[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***")
        + ", authorizationEndpoint=" + authorizationEndpoint + ", tokenEndpoint=" + tokenEndpoint + ", scopes=" + scopes
        + ", label=" + label + "]";
  }
}
