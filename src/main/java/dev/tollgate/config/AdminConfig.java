package dev.tollgate.config;

/**
 * YAML {@code admin:}. {@code token} is the bootstrap bearer token of the admin API (an admin); null
 * turns it off. {@code oidc}, when set, also accepts JWT bearer tokens from an identity provider.
 */
public record AdminConfig(String token, OidcConfig oidc) {

  public AdminConfig(String token) {
    this(token, null);
  }
}
