package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.access.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code admin.oidc}: read with its defaults, and every mistake refused with its key path. */
class AdminOidcConfigTest {

  @TempDir Path dir;

  GatewayConfig parse(String oidc) {
    return ConfigLoader.parse("admin:\n  token: admin-token-0123456789\n  oidc:\n" + oidc.indent(4), "tollgate.yaml", n -> null, dir);
  }

  String errorsOf(String oidc) {
    try {
      parse(oidc);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + oidc);
  }

  @Test
  void aFullOidcSectionIsReadWithItsDefaults() throws Exception {
    Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    OidcConfig oidc = parse("""
        issuer: https://login.acme.test/
        audience: tollgate
        jwks_file: jwks.json
        role_map: { tollgate-admins: admin, finops: finance, eng-leads: team-lead, staff: member, sox: auditor }
        """).admin().oidc();
    assertThat(oidc.issuer()).isEqualTo("https://login.acme.test/");
    assertThat(oidc.audience()).isEqualTo("tollgate");
    assertThat(oidc.jwksFile()).isEqualTo(dir.resolve("jwks.json"));
    assertThat(oidc.jwksUrl()).isNull();
    assertThat(oidc.rolesClaim()).isEqualTo("roles");
    assertThat(oidc.teamsClaim()).isEqualTo("teams");
    assertThat(oidc.userClaim()).isEqualTo("email");
    assertThat(oidc.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(oidc.roleMap()).isEqualTo(Map.of("tollgate-admins", Role.ADMIN, "finops", Role.FINANCE, "eng-leads", Role.TEAM_LEAD,
        "staff", Role.MEMBER, "sox", Role.AUDITOR));
  }

  @Test
  void aJwksUrlAndOwnClaimNamesAreRead() {
    OidcConfig oidc = parse("""
        issuer: https://idp.test
        audience: api://tollgate
        jwks_url: https://idp.test/.well-known/jwks.json
        roles_claim: realm_access.roles
        teams_claim: groups
        user_claim: preferred_username
        clock_skew: 5s
        role_map: { admins: admin }
        """).admin().oidc();
    assertThat(oidc.jwksUrl()).isEqualTo(URI.create("https://idp.test/.well-known/jwks.json"));
    assertThat(oidc.rolesClaim()).isEqualTo("realm_access.roles");
    assertThat(oidc.userClaim()).isEqualTo("preferred_username");
    assertThat(oidc.clockSkew()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theConsolesSsoClientIsReadAndItsClientIdIsAnAcceptedAudience() {
    OidcConfig oidc = parse("""
        issuer: https://idp.test
        audience: tollgate
        jwks_url: https://idp.test/jwks
        role_map: { admins: admin }
        console: { client_id: tollgate-console, client_secret: s3cr3t-value, token_endpoint: https://idp.test/oauth/token }
        """).admin().oidc();
    assertThat(oidc.console().clientId()).isEqualTo("tollgate-console");
    assertThat(oidc.console().tokenEndpoint()).isEqualTo(URI.create("https://idp.test/oauth/token"));
    assertThat(oidc.console().authorizationEndpoint()).as("left to discovery").isNull();
    assertThat(oidc.console().scopes()).isEqualTo("openid profile email");
    assertThat(oidc.console().toString()).doesNotContain("s3cr3t-value");
    assertThat(oidc.acceptsAudience("tollgate")).isTrue();
    assertThat(oidc.acceptsAudience("tollgate-console")).isTrue();
    assertThat(oidc.acceptsAudience("another-app")).isFalse();
  }

  @Test
  void aConsoleWithoutClientIdOrWithABadEndpointIsRefusedWithItsKeyPath() {
    String errors = errorsOf("""
        issuer: https://idp.test
        audience: tollgate
        jwks_url: https://idp.test/jwks
        role_map: { admins: admin }
        console: { authorization_endpoint: "login page", scope: openid }
        """);
    assertThat(errors).contains("admin.oidc.console.client_id").contains("admin.oidc.console.authorization_endpoint")
        .contains("must be an http(s) URL").contains("admin.oidc.console.scope");
  }

  @Test
  void noOidcSectionMeansNoOidc() {
    assertThat(ConfigLoader.parse("admin: { token: admin-token-0123456789 }", "t.yaml", n -> null, dir).admin().oidc()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no issuer            | audience: t\\njwks_url: https://i.test/k\\nrole_map: {a: admin}                                  | admin.oidc.issuer: is required
      no audience          | issuer: https://i.test\\njwks_url: https://i.test/k\\nrole_map: {a: admin}                          | admin.oidc.audience: is required
      no key set           | issuer: https://i.test\\naudience: t\\nrole_map: {a: admin}                                         | admin.oidc.jwks_url: is required (or jwks_file)
      two key sets         | issuer: https://i.test\\naudience: t\\njwks_url: https://i.test/k\\njwks_file: k.json\\nrole_map: {a: admin} | admin.oidc.jwks_file: cannot be set together with jwks_url
      not http             | issuer: https://i.test\\naudience: t\\njwks_url: ftp://i.test/k\\nrole_map: {a: admin}              | admin.oidc.jwks_url: must be an http(s) URL
      missing file         | issuer: https://i.test\\naudience: t\\njwks_file: nowhere.json\\nrole_map: {a: admin}               | admin.oidc.jwks_file: file not found
      no role map          | issuer: https://i.test\\naudience: t\\njwks_url: https://i.test/k                                   | admin.oidc.role_map: is required
      unknown role         | issuer: https://i.test\\naudience: t\\njwks_url: https://i.test/k\\nrole_map: {a: owner}             | admin.oidc.role_map.a: unknown role 'owner'; roles: admin, finance, team-lead, member, auditor
      huge skew            | issuer: https://i.test\\naudience: t\\njwks_url: https://i.test/k\\nrole_map: {a: admin}\\nclock_skew: 1h | admin.oidc.clock_skew: must be at most 10m
      misspelt key         | issuer: https://i.test\\naudience: t\\njwks_url: https://i.test/k\\nrole_map: {a: admin}\\nrole_claim: r | admin.oidc.role_claim: unknown key 'role_claim' under admin.oidc (did you mean 'roles_claim'?)
      """)
  void aBadOidcSectionIsRefusedNamingTheKey(String what, String oidc, String expected) {
    assertThat(errorsOf(oidc.replace("\\n", "\n"))).contains(expected);
  }

  @Test
  void anUnknownKeyUnderAdminIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("admin: { tokn: x }", "t.yaml", n -> null, dir))
        .hasMessageContaining("admin.tokn: unknown key 'tokn' under admin (did you mean 'token'?); allowed: token, oidc");
  }
}
