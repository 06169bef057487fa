package dev.tollgate.config;

import dev.tollgate.domain.access.Role;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads {@code admin.oidc:}; every problem is reported with its key path. */
final class AdminParser {

  static final List<String> ADMIN_KEYS = List.of("token", "oidc");
  static final List<String> OIDC_KEYS = List.of("issuer", "audience", "jwks_url", "jwks_file", "roles_claim",
      "teams_claim", "user_claim", "role_map", "clock_skew", "console");
  static final List<String> CONSOLE_KEYS = List.of("client_id", "client_secret", "authorization_endpoint", "token_endpoint",
      "scopes", "label");
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

  private AdminParser() {}

  /** Null when {@code admin.oidc} is absent or invalid (an invalid one has recorded its errors). */
  static OidcConfig oidc(ParseContext ctx, Section admin) {
    if (!admin.present("oidc")) return null;
    int before = ctx.errorCount();
    Section s = admin.section("oidc", OIDC_KEYS);
    String issuer = s.requiredText("issuer", "the 'iss' your identity provider writes into its tokens, e.g. https://login.example.com/");
    String audience = s.requiredText("audience", "the 'aud' its tokens carry for Tollgate, e.g. tollgate");
    String url = s.text("jwks_url");
    String file = s.text("jwks_file");
    URI jwksUrl = null;
    Path jwksFile = null;
    if ((url == null) == (file == null)) {
      s.error(url == null ? "jwks_url" : "jwks_file", url == null
          ? "is required (or jwks_file): where the identity provider publishes its signing keys, e.g. https://login.example.com/.well-known/jwks.json"
          : "cannot be set together with jwks_url; keep one of them");
    } else if (url != null) {
      try {
        jwksUrl = new URI(url.trim());
        String scheme = jwksUrl.getScheme() == null ? "" : jwksUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || jwksUrl.getHost() == null) {
          s.error("jwks_url", "must be an http(s) URL like https://login.example.com/.well-known/jwks.json; got '" + url + "'");
          jwksUrl = null;
        }
      } catch (URISyntaxException e) {
        s.error("jwks_url", "is not a valid URL: " + e.getReason());
      }
    } else {
      try {
        Path p = Path.of(file.trim());
        jwksFile = (p.isAbsolute() || ctx.baseDir == null ? p.toAbsolutePath() : ctx.baseDir.resolve(p)).normalize();
        if (!Files.isRegularFile(jwksFile)) {
          s.error("jwks_file", "file not found: " + jwksFile);
          jwksFile = null;
        }
      } catch (InvalidPathException e) {
        s.error("jwks_file", "is not a valid file path: " + e.getReason());
      }
    }
    String rolesClaim = s.text("roles_claim", OidcConfig.DEFAULT_ROLES_CLAIM);
    String teamsClaim = s.text("teams_claim", OidcConfig.DEFAULT_TEAMS_CLAIM);
    String userClaim = s.text("user_claim", OidcConfig.DEFAULT_USER_CLAIM);
    Map<String, Role> roleMap = new LinkedHashMap<>();
    Map<String, String> written = s.textMap("role_map");
    if ((written == null && !s.present("role_map")) || (written != null && written.isEmpty())) {
      s.error("role_map", "is required: which values of the " + (rolesClaim == null ? "roles" : rolesClaim)
          + " claim grant which role, e.g. { tollgate-admins: admin, finops: finance }; roles: " + Role.names());
    } else if (written != null) {
      written.forEach((claimValue, roleName) -> Role.fromWire(roleName).ifPresentOrElse(
          role -> roleMap.put(claimValue, role),
          () -> ctx.error(ParseContext.join(s.path("role_map"), claimValue),
              "unknown role '" + roleName + "'; roles: " + Role.names())));
    }
    Duration skew = s.duration("clock_skew", true, OidcConfig.DEFAULT_CLOCK_SKEW);
    if (skew != null && skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      s.error("clock_skew", "must be at most 10m (how far apart the identity provider's clock and ours may be); got "
          + skew.toSeconds() + "s");
    }
    OidcConsoleConfig console = s.present("console") ? console(s.section("console", CONSOLE_KEYS)) : null;
    if (ctx.errorCount() > before) return null;
    return new OidcConfig(issuer, audience, jwksUrl, jwksFile, rolesClaim, teamsClaim, userClaim, roleMap, skew, console);
  }

  /** {@code admin.oidc.console}: the console's SSO button; endpoints left out are discovered from the issuer. */
  private static OidcConsoleConfig console(Section s) {
    String clientId = s.requiredText("client_id", "the client id the identity provider gave the Tollgate console, e.g. tollgate-console");
    URI authorize = httpUrl(s, "authorization_endpoint");
    URI token = httpUrl(s, "token_endpoint");
    return new OidcConsoleConfig(clientId, s.text("client_secret"), authorize, token,
        s.text("scopes", OidcConsoleConfig.DEFAULT_SCOPES), s.text("label", OidcConsoleConfig.DEFAULT_LABEL));
  }

  private static URI httpUrl(Section s, String key) {
    String url = s.text(key);
    if (url == null) return null;
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // reported below
    }
    s.error(key, "must be an http(s) URL like https://login.example.com/oauth2/" + (key.startsWith("token") ? "token" : "authorize")
        + "; got '" + url + "' (leave it out to read it from the issuer's /.well-known/openid-configuration)");
    return null;
  }
}
