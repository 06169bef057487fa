package dev.tollgate.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.config.OidcConfig;
import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks OIDC/JWT bearer tokens against {@code admin.oidc}: an asymmetric signature (RS*, PS*, ES*)
 * by a key of the configured JWKS, the issuer, the audience, expiry and not-before (give or take the
 * configured clock skew, on the injected clock), then maps the roles claim through the role map.
 *
 * <p>Blocking: the JWKS may be read from a file or fetched over HTTP, so call {@link #verify} on a
 * worker thread, never on an event loop. The key set is cached for {@value #TTL_MINUTES} minutes; a
 * token signed by a key the cache does not know (the identity provider rotated its keys) causes one
 * refetch, at most every {@value #REFETCH_SECONDS} seconds. A failed fetch keeps the keys it had.
 */
final class OidcVerifier {

  private static final Logger log = LoggerFactory.getLogger(OidcVerifier.class);
  static final int TTL_MINUTES = 10;
  static final int REFETCH_SECONDS = 30;
  private static final int MAX_JWKS_BYTES = 1024 * 1024;
  /** Asymmetric algorithms only: an HMAC "signed" with a public key from the JWKS proves nothing. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private OidcConfig cachedFor; // guarded by this
  private JWKSet keys; // guarded by this
  private Instant fetchedAt; // guarded by this
  private int fetches; // guarded by this

  OidcVerifier(Clock clock) {
    this.clock = clock;
  }

  /** What checking a token found. */
  sealed interface Result {
    record Verified(Principal principal) implements Result {}

    record Refused(String reason) implements Result {}
  }

  /** True if {@code token} has the shape of a compact JWT: header.payload.signature (the last may be empty). */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && token.indexOf('.', second + 1) < 0;
  }

  Result verify(String token, OidcConfig cfg) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Result.Refused("the bearer token is not a signed JWT: " + e.getMessage());
    }
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return new Result.Refused("JWT algorithm " + header.getAlgorithm() + " is not accepted; use one of RS256, ES256, PS256 "
          + "(or their 384/512 variants)");
    }
    List<JWK> candidates = candidates(header, cfg, false);
    if (candidates.isEmpty()) candidates = candidates(header, cfg, true);
    if (candidates.isEmpty()) {
      return new Result.Refused("no key of the JWKS matches the token (kid " + header.getKeyID() + ", alg "
          + header.getAlgorithm() + ")");
    }
    if (!signedByOneOf(jwt, candidates)) {
      return new Result.Refused("the JWT's signature does not verify with the identity provider's keys");
    }
    Instant now = clock.instant();
    Duration skew = cfg.clockSkew();
    if (!cfg.issuer().equals(claims.getIssuer())) {
      return new Result.Refused("the JWT's issuer '" + claims.getIssuer() + "' is not '" + cfg.issuer() + "'");
    }
    if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(cfg::acceptsAudience)) {
      return new Result.Refused("the JWT's audience " + claims.getAudience() + " does not include '" + cfg.audience() + "'"
          + (cfg.console() == null ? "" : " or the console's client id '" + cfg.console().clientId() + "'"));
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) return new Result.Refused("the JWT has no expiry (exp)");
    if (!now.isBefore(exp.toInstant().plus(skew))) return new Result.Refused("the JWT expired at " + exp.toInstant());
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(skew))) {
      return new Result.Refused("the JWT is not valid before " + nbf.toInstant());
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) return new Result.Refused("the JWT has no subject (sub)");
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String value : strings(claim(claims, cfg.rolesClaim()))) {
      Role r = cfg.roleMap().get(value);
      if (r != null) roles.add(r);
    }
    Set<String> teams = new LinkedHashSet<>(strings(claim(claims, cfg.teamsClaim())));
    Object userClaim = claim(claims, cfg.userClaim());
    List<String> users = userClaim instanceof String s && !s.isBlank() ? List.of(s.trim()) : strings(userClaim);
    String user = users.isEmpty() ? null : users.get(0);
    return new Result.Verified(new Principal(claims.getSubject(), Principal.Kind.OIDC, roles, teams, user,
        user == null ? claims.getSubject() : user));
  }

  /** How many times the key set was read (tests check the cache with it). */
  synchronized int fetches() {
    return fetches;
  }

  private synchronized List<JWK> candidates(JWSHeader header, OidcConfig cfg, boolean refetch) {
    Instant now = clock.instant();
    boolean stale = keys == null || !cfg.equals(cachedFor) || fetchedAt.plus(Duration.ofMinutes(TTL_MINUTES)).isBefore(now);
    boolean mayRefetch = refetch && (fetchedAt == null || fetchedAt.plusSeconds(REFETCH_SECONDS).isBefore(now));
    if (stale || mayRefetch) {
      try {
        JWKSet loaded = load(cfg);
        keys = loaded;
        cachedFor = cfg;
        fetchedAt = now;
      } catch (IOException | ParseException | RuntimeException e) {
        log.warn("cannot read the OIDC key set from {}: {}", cfg.jwksUrl() != null ? cfg.jwksUrl() : cfg.jwksFile(), e.toString());
        if (keys == null || !cfg.equals(cachedFor)) return List.of();
        fetchedAt = now; // keep the old keys; try again after the refetch interval
      }
    }
    return new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys);
  }

  private JWKSet load(OidcConfig cfg) throws IOException, ParseException {
    fetches++;
    if (cfg.jwksFile() != null) return JWKSet.parse(Files.readString(cfg.jwksFile(), StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(cfg.jwksUrl()).timeout(Duration.ofSeconds(10))
        .header("accept", "application/json").GET().build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " from " + cfg.jwksUrl());
      if (response.body().length > MAX_JWKS_BYTES) throw new IOException("the key set is larger than 1 MiB");
      return JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + cfg.jwksUrl(), e);
    }
  }

  private static boolean signedByOneOf(SignedJWT jwt, List<JWK> candidates) {
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier = switch (key) {
          case RSAKey rsa -> new RSASSAVerifier(rsa);
          case ECKey ec -> new ECDSAVerifier(ec);
          default -> null;
        };
        if (verifier != null && jwt.verify(verifier)) return true;
      } catch (JOSEException | IllegalStateException e) {
        // this key cannot check this token (wrong size or curve): try the next
      }
    }
    return false;
  }

  /** A claim by name; a name with dots that is not itself a claim is followed as a path ({@code realm_access.roles}). */
  private static Object claim(JWTClaimsSet claims, String name) {
    Object direct = claims.getClaim(name);
    if (direct != null || !name.contains(".")) return direct;
    Object node = claims.getClaims();
    for (String part : name.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) return null;
      node = map.get(part);
    }
    return node;
  }

  /** A list of strings, or one string holding several separated by spaces or commas. */
  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      for (Object o : c) if (o != null && !o.toString().isBlank()) out.add(o.toString().trim());
    } else if (value instanceof String s) {
      for (String part : s.split("[\\s,]+")) if (!part.isBlank()) out.add(part);
    }
    return out;
  }
}
