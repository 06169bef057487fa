package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.errorCode;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testing.TestGateway;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OIDC/JWT bearer tokens on the admin API, with RSA and EC keys made here and published as a JWKS by a
 * small HTTP server: a good token gets its mapped role and teams; a bad signature, the wrong issuer or
 * audience, an expired or not-yet-valid token, an HMAC or unsigned token are all refused with 401.
 */
class OidcAdminTest {

  static final String ISSUER = "https://login.acme.test/";
  static final String AUDIENCE = "tollgate";

  @TempDir static Path dir;
  static TestGateway gw;
  static HttpServer idp;
  static final AtomicInteger jwksFetches = new AtomicInteger();
  static RSAKey rsa;
  static ECKey ec;
  static RSAKey impostor;

  @BeforeAll
  static void start() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, different key
    byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
    idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext("/jwks.json", ex -> {
      jwksFetches.incrementAndGet();
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(200, jwks.length);
      ex.getResponseBody().write(jwks);
      ex.close();
    });
    idp.start();
    String yaml = AdminTestSupport.YAML.replace("admin: { token: test-admin-token-0123456789 }", """
        admin:
          token: test-admin-token-0123456789
          oidc:
            issuer: %s
            audience: %s
            jwks_url: http://127.0.0.1:%d/jwks.json
            role_map: { tollgate-admins: admin, eng-leads: team-lead, everyone: member }
        """.formatted(ISSUER, AUDIENCE, idp.getAddress().getPort()));
    gw = TestGateway.start(yaml, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (idp != null) idp.stop(0);
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "other-app")).subject("00u1ana")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .claim("email", "ana@acme.test").claim("roles", List.of("eng-leads", "unrelated-group")).claim("teams", List.of("support"));
  }

  static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String rs256(JWTClaimsSet claims) {
    try {
      return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String es256(JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", claims);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String impostorRs256(String kid) {
    try {
      return sign(new RSASSASigner(impostor), JWSAlgorithm.RS256, kid, claims().build());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String hs256() {
    try {
      return sign(new MACSigner("0123456789abcdef0123456789abcdef"), JWSAlgorithm.HS256, "rsa-1", claims().build());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aGoodRs256TokenIsAcceptedWithItsMappedRoleTeamsAndUser() {
    HttpResponse<String> r = gw.get("/admin/v1/whoami", rs256(claims().build()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var me = json(r);
    assertThat(me.get("role").asText()).isEqualTo("team-lead");
    assertThat(me.get("teams").toString()).isEqualTo("[\"support\"]");
    assertThat(me.get("user").asText()).isEqualTo("ana@acme.test");
    assertThat(me.get("actor").asText()).isEqualTo("oidc:00u1ana");

    var keys = json(gw.get("/admin/v1/keys", rs256(claims().build()))).get("data");
    keys.forEach(k -> assertThat(k.get("team").asText()).isEqualTo("support"));
  }

  @Test
  void aGoodEs256TokenIsAcceptedAndAnAdminGroupMakesAnAdmin() {
    String token = es256(claims().subject("00u2root").claim("roles", "tollgate-admins").build());
    HttpResponse<String> r = gw.get("/admin/v1/whoami", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("role").asText()).isEqualTo("admin");
    assertThat(gw.get("/admin/v1/audit/verify", token).statusCode()).isEqualTo(200);
  }

  @Test
  void aChangeMadeWithAJwtIsAuditedUnderItsSubject() {
    String token = es256(claims().subject("00u3lead").build());
    HttpResponse<String> made = gw.post("/admin/v1/keys", token, "{\"name\":\"sso-made-key\",\"team\":\"support\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    var rows = json(gw.get("/admin/v1/audit?actor=oidc:00u3lead", AdminTestSupport.ADMIN)).get("data");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("actor_role").asText()).isEqualTo("team-lead");
    assertThat(rows.get(0).at("/after/name").asText()).isEqualTo("sso-made-key");
  }

  @Test
  void aValidTokenThatMapsToNoRoleIsForbidden() {
    HttpResponse<String> r = gw.get("/admin/v1/whoami", rs256(claims().claim("roles", List.of("unrelated-group")).build()));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(errorCode(r)).isEqualTo("no_role");
  }

  static Stream<Arguments> refusals() {
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of("bad signature", (Supplier<String>) () -> impostorRs256("rsa-1"), "signature does not verify"),
        Arguments.of("wrong issuer", (Supplier<String>) () -> rs256(claims().issuer("https://evil.test/").build()), "issuer"),
        Arguments.of("wrong audience", (Supplier<String>) () -> es256(claims().audience("another-app").build()), "audience"),
        Arguments.of("expired", (Supplier<String>) () -> rs256(claims().expirationTime(Date.from(now.minusSeconds(600))).build()),
            "expired"),
        Arguments.of("not yet valid", (Supplier<String>) () -> es256(claims().notBeforeTime(Date.from(now.plusSeconds(600))).build()),
            "not valid before"),
        Arguments.of("no expiry", (Supplier<String>) () -> rs256(claims().expirationTime(null).build()), "no expiry"),
        Arguments.of("HMAC signed", (Supplier<String>) OidcAdminTest::hs256, "HS256 is not accepted"),
        Arguments.of("unsigned", (Supplier<String>) () -> new PlainJWT(claims().build()).serialize(), "not a signed JWT"),
        Arguments.of("unknown key", (Supplier<String>) () -> impostorRs256("rsa-unknown"), "no key of the JWKS"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aBadTokenIsRefusedWith401(String what, Supplier<String> token, String reason) {
    HttpResponse<String> r = gw.get("/admin/v1/whoami", token.get());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(errorCode(r)).isEqualTo("invalid_admin_token");
    assertThat(json(r).at("/error/message").asText()).contains(reason);
  }

  @Test
  void theKeySetIsFetchedOnceAndCached() {
    for (int i = 0; i < 5; i++) assertThat(gw.get("/admin/v1/whoami", rs256(claims().build())).statusCode()).isEqualTo(200);
    assertThat(jwksFetches.get()).as("first fetch, then at most one refetch for the unknown-kid test").isBetween(1, 2);
  }
}
