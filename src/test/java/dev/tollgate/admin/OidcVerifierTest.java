package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.config.OidcConfig;
import dev.tollgate.domain.access.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT checks on an injected clock: expiry and not-before with the clock skew to the second, the
 * key set read from a file and cached, re-read for a new signing key at most every 30 seconds, and
 * claims found by path.
 */
class OidcVerifierTest {

  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

  static final class MutableClock extends Clock {
    Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir Path dir;
  MutableClock clock;
  OidcVerifier verifier;
  RSAKey first;
  OidcConfig config;

  @BeforeEach
  void setUp() throws Exception {
    clock = new MutableClock();
    verifier = new OidcVerifier(clock);
    first = new RSAKeyGenerator(2048).keyID("k1").generate();
    publish(first);
    config = new OidcConfig("https://idp.test", "tollgate", null, dir.resolve("jwks.json"), "realm_access.roles", "teams", "email",
        Map.of("finops", Role.FINANCE), Duration.ofSeconds(60), null);
  }

  void publish(RSAKey... keys) throws Exception {
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(List.of(keys).stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString());
  }

  String token(RSAKey key, Instant exp, Instant nbf) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.test").audience("tollgate").subject("u1")
        .expirationTime(Date.from(exp)).notBeforeTime(nbf == null ? null : Date.from(nbf))
        .claim("realm_access", Map.of("roles", List.of("finops"))).claim("email", "fin@acme.test").build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  OidcVerifier.Result check(String token) {
    return verifier.verify(token, config);
  }

  @Test
  void expiryCountsTheClockSkewToTheSecond() throws Exception {
    String token = token(first, T0, null);
    clock.now = T0.plusSeconds(59);
    assertThat(check(token)).isInstanceOf(OidcVerifier.Result.Verified.class);
    clock.now = T0.plusSeconds(60);
    assertThat(check(token)).isInstanceOf(OidcVerifier.Result.Refused.class);
  }

  @Test
  void notBeforeCountsTheClockSkewToTheSecond() throws Exception {
    String token = token(first, T0.plusSeconds(3600), T0.plusSeconds(120));
    clock.now = T0.plusSeconds(59);
    assertThat(check(token)).isInstanceOf(OidcVerifier.Result.Refused.class);
    clock.now = T0.plusSeconds(60);
    assertThat(check(token)).isInstanceOf(OidcVerifier.Result.Verified.class);
  }

  @Test
  void rolesAreFoundByAClaimPathAndMapped() throws Exception {
    var result = (OidcVerifier.Result.Verified) check(token(first, T0.plusSeconds(300), null));
    assertThat(result.principal().roles()).containsExactly(Role.FINANCE);
    assertThat(result.principal().user()).isEqualTo("fin@acme.test");
    assertThat(result.principal().actor()).isEqualTo("oidc:u1");
  }

  @Test
  void theKeySetIsCachedAndReadAgainForANewKeyAtMostEveryThirtySeconds() throws Exception {
    String byFirst = token(first, T0.plusSeconds(3600), null);
    for (int i = 0; i < 3; i++) assertThat(check(byFirst)).isInstanceOf(OidcVerifier.Result.Verified.class);
    assertThat(verifier.fetches()).isEqualTo(1);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    publish(first, rotated);
    String bySecond = token(rotated, T0.plusSeconds(3600), null);
    clock.now = T0.plusSeconds(10);
    assertThat(check(bySecond)).as("too soon to read the key set again").isInstanceOf(OidcVerifier.Result.Refused.class);
    assertThat(verifier.fetches()).isEqualTo(1);
    clock.now = T0.plusSeconds(31);
    assertThat(check(bySecond)).isInstanceOf(OidcVerifier.Result.Verified.class);
    assertThat(verifier.fetches()).isEqualTo(2);
    assertThat(check(byFirst)).isInstanceOf(OidcVerifier.Result.Verified.class);
    assertThat(verifier.fetches()).isEqualTo(2);
  }

  @Test
  void aKeyRemovedFromTheSetStopsWorkingWhenTheCacheExpires() throws Exception {
    String byFirst = token(first, T0.plus(Duration.ofHours(2)), null);
    assertThat(check(byFirst)).isInstanceOf(OidcVerifier.Result.Verified.class);
    publish(new RSAKeyGenerator(2048).keyID("k3").generate());
    clock.now = T0.plus(Duration.ofMinutes(OidcVerifier.TTL_MINUTES)).plusSeconds(1);
    assertThat(check(byFirst)).isInstanceOf(OidcVerifier.Result.Refused.class);
  }

  @Test
  void onlyJwtShapedTokensAreSentToTheVerifier() {
    assertThat(OidcVerifier.looksLikeJwt("a.b.c")).isTrue();
    assertThat(OidcVerifier.looksLikeJwt("a.b.")).isTrue();
    assertThat(OidcVerifier.looksLikeJwt("tg-abc")).isFalse();
    assertThat(OidcVerifier.looksLikeJwt("a.b.c.d")).isFalse();
    assertThat(OidcVerifier.looksLikeJwt(".b.c")).isFalse();
  }
}
