package dev.tollgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.OidcConfig;
import dev.tollgate.config.OidcConsoleConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's "Sign in with SSO": an OAuth 2.0 authorization-code flow with PKCE (RFC 7636).
 *
 * <p>{@code GET /console/sso.json} tells the sign-in page whether SSO is set up and where to send the
 * person ({@code admin.oidc.console}; endpoints left out of the config come from the issuer's discovery
 * document). The browser makes the PKCE verifier, goes to the identity provider and comes back to
 * {@code /console/} with a code; {@code POST /console/sso/token} exchanges code and verifier at the token
 * endpoint and hands the ID token back. The exchange runs here, not in the browser, so the identity
 * provider needs no CORS rule for the console, a confidential client's secret never reaches a browser,
 * and the console's Content-Security-Policy keeps {@code connect-src 'self'}.
 *
 * <p>Nothing is signed in by this class: the ID token is the console's bearer token and the admin API
 * checks it on every call like any JWT (signature, issuer, audience, expiry).
 */
public final class ConsoleSso {

  private static final Logger log = LoggerFactory.getLogger(ConsoleSso.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_BODY = 16 * 1024;

  private final Vertx vertx;
  private final Supplier<OidcConfig> oidc;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private OidcConfig discoveredFor; // guarded by this
  private Endpoints discovered; // guarded by this

  /** Where the browser signs in and where the code is exchanged. */
  record Endpoints(URI authorization, URI token) {}

  public ConsoleSso(Vertx vertx, Supplier<OidcConfig> oidc) {
    this.vertx = vertx;
    this.oidc = oidc;
  }

  /** Mounts the two routes; call after {@link ConsoleRoutes#mount} and before the gateway's catch-all 404. */
  public void mount(Router router) {
    router.get("/console/sso.json").handler(this::describe);
    router.post("/console/sso/token").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
    router.post("/console/sso/token").handler(this::exchange);
  }

  private void describe(RoutingContext ctx) {
    OidcConfig cfg = oidc.get();
    if (cfg == null || cfg.console() == null) {
      send(ctx, 200, JSON.createObjectNode().put("enabled", false));
      return;
    }
    vertx.executeBlocking(() -> endpoints(cfg)).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("console SSO: cannot read the identity provider's endpoints: {}", ar.cause().getMessage());
        send(ctx, 200, JSON.createObjectNode().put("enabled", false)
            .put("problem", "SSO is set up but the identity provider's discovery document could not be read: "
                + ar.cause().getMessage()));
        return;
      }
      OidcConsoleConfig c = cfg.console();
      send(ctx, 200, JSON.createObjectNode().put("enabled", true).put("label", c.label()).put("client_id", c.clientId())
          .put("authorization_endpoint", ar.result().authorization().toString()).put("scopes", c.scopes()));
    });
  }

  private void exchange(RoutingContext ctx) {
    OidcConfig cfg = oidc.get();
    if (cfg == null || cfg.console() == null) {
      error(ctx, 404, "sso_not_configured", "SSO sign-in is not set up on this gateway (admin.oidc.console); sign in with a token.");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body().asString());
    } catch (IOException | RuntimeException e) {
      body = null;
    }
    String code = text(body, "code");
    String verifier = text(body, "code_verifier");
    String redirect = text(body, "redirect_uri");
    if (code == null || verifier == null || redirect == null) {
      error(ctx, 400, "invalid_request", "Send {\"code\", \"code_verifier\", \"redirect_uri\"} from the identity provider's redirect.");
      return;
    }
    if (!redirect.endsWith("/console/")) {
      error(ctx, 400, "invalid_request", "redirect_uri must be this gateway's /console/ page.");
      return;
    }
    vertx.executeBlocking(() -> redeem(cfg, code, verifier, redirect)).onComplete(ar -> {
      if (ar.succeeded()) {
        send(ctx, 200, ar.result());
      } else if (ar.cause() instanceof Refused r) {
        error(ctx, 401, "sso_refused", r.getMessage());
      } else {
        log.warn("console SSO: token exchange failed: {}", ar.cause().getMessage());
        error(ctx, 502, "sso_unreachable", "The identity provider could not be reached to finish signing in: "
            + ar.cause().getMessage());
      }
    });
  }

  /** The identity provider said no (bad code, wrong verifier, client not allowed…): the person should start again. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private ObjectNode redeem(OidcConfig cfg, String code, String verifier, String redirect) throws Exception {
    OidcConsoleConfig c = cfg.console();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("code_verifier", verifier);
    form.put("redirect_uri", redirect);
    form.put("client_id", c.clientId());
    if (c.clientSecret() != null) form.put("client_secret", c.clientSecret());
    HttpRequest request = HttpRequest.newBuilder(endpoints(cfg).token()).timeout(TIMEOUT)
        .header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(urlEncoded(form))).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 == 4) {
      String why = text(answer, "error_description");
      throw new Refused("The identity provider refused the sign-in (" + (text(answer, "error") == null ? response.statusCode()
          : text(answer, "error")) + (why == null ? "" : ": " + why) + "). Start again from the sign-in page.");
    }
    if (response.statusCode() != 200) throw new IOException("its token endpoint answered " + response.statusCode());
    String idToken = text(answer, "id_token");
    if (idToken == null) {
      throw new Refused("The identity provider answered without an ID token; ask for the 'openid' scope (admin.oidc.console.scopes).");
    }
    ObjectNode out = JSON.createObjectNode().put("token", idToken);
    if (answer.hasNonNull("expires_in")) out.put("expires_in", answer.get("expires_in").asLong());
    return out;
  }

  /** The configured endpoints, or those of the issuer's discovery document, read once per config. */
  synchronized Endpoints endpoints(OidcConfig cfg) throws IOException, InterruptedException {
    OidcConsoleConfig c = cfg.console();
    if (c.authorizationEndpoint() != null && c.tokenEndpoint() != null) {
      return new Endpoints(c.authorizationEndpoint(), c.tokenEndpoint());
    }
    if (discoveredFor != cfg) {
      String issuer = cfg.issuer().endsWith("/") ? cfg.issuer() : cfg.issuer() + "/";
      URI where = URI.create(issuer + ".well-known/openid-configuration");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(where).timeout(TIMEOUT).header("accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode doc = r.statusCode() == 200 ? parse(r.body()) : null;
      String authorize = text(doc, "authorization_endpoint");
      String token = text(doc, "token_endpoint");
      if (authorize == null || token == null) {
        throw new IOException(where + " answered " + r.statusCode() + " without authorization_endpoint and token_endpoint");
      }
      discovered = new Endpoints(URI.create(authorize), URI.create(token));
      discoveredFor = cfg;
    }
    return new Endpoints(c.authorizationEndpoint() != null ? c.authorizationEndpoint() : discovered.authorization(),
        c.tokenEndpoint() != null ? c.tokenEndpoint() : discovered.token());
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
  }

  private static String urlEncoded(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static void send(RoutingContext ctx, int status, ObjectNode body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(body.toString());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("message", message).put("type", "invalid_request_error").put("code", code);
    send(ctx, status, e);
  }
}
