package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Sign in with SSO" in a real browser against a small identity provider made here: an authorize
 * endpoint that signs Ana in at once, a token endpoint that checks the PKCE verifier against the
 * challenge before it hands out an ID token signed with a key made in the test, and a discovery
 * document the gateway reads the endpoints from. Ana lands on her pages as the team lead her groups
 * say she is; a forged answer (wrong state) and a refused code leave her signed out with a reason.
 */
class ConsoleSsoBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_ID = "tollgate-console";

  @TempDir static Path dir;
  static TestGateway gateway;
  static HttpServer idp;
  static String issuer;
  static RSAKey key;
  static Playwright playwright;
  static Browser browser;
  /** code → the PKCE challenge and redirect it was given for. */
  static final Map<String, String[]> codes = new ConcurrentHashMap<>();
  static final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  BrowserContext context;
  Page page;
  final List<String> consoleErrors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      System.out.println(ConsoleBrowserTest.SKIP_MESSAGE);
      return;
    }
    key = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realm";
    idp.createContext("/realm/.well-known/openid-configuration", ex -> send(ex, 200, JSON.createObjectNode()
        .put("issuer", issuer).put("authorization_endpoint", issuer + "/authorize").put("token_endpoint", issuer + "/token")
        .put("jwks_uri", issuer + "/jwks").toString()));
    idp.createContext("/realm/jwks", ex -> send(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
    idp.createContext("/realm/authorize", ConsoleSsoBrowserTest::authorize);
    idp.createContext("/realm/token", ConsoleSsoBrowserTest::token);
    idp.start();
    String yaml = """
        storage: sqlite:${DIR}/ledger.db
        admin:
          token: test-admin-token-0123456789
          oidc:
            issuer: %s
            audience: tollgate-api
            jwks_url: %s/jwks
            role_map: { support-leads: team-lead, tollgate-admins: admin }
            console: { client_id: %s, label: Sign in with Acme SSO }
        org: { name: acme }
        providers:
          sim: { type: simulator, output_tokens: 10 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
        teams:
          support: {}
          research: {}
        keys:
          - { name: support-bot, secret: tg-sso-test-support-0001, team: support }
          - { name: research-bot, secret: tg-sso-test-research-001, team: research }
        """.formatted(issuer, issuer, CLIENT_ID);
    gateway = TestGateway.start(yaml, Map.of("DIR", dir.toString()), dir);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")));
  }

  /** Signs the person in at once and sends them back with a code tied to the PKCE challenge. */
  static void authorize(HttpExchange ex) throws IOException {
    Map<String, String> q = form(ex.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method")) || !"code".equals(q.get("response_type"))
        || !q.getOrDefault("scope", "").contains("openid")) {
      send(ex, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String code = "code-" + UUID.randomUUID();
    codes.put(code, new String[] {q.get("code_challenge"), q.get("redirect_uri")});
    ex.getResponseHeaders().add("location", q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  /** Hands out an ID token only for a known code, the same redirect and the verifier that hashes to its challenge. */
  static void token(HttpExchange ex) throws IOException {
    Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(f.toString());
    String[] issued = codes.remove(f.getOrDefault("code", ""));
    if (issued == null || !issued[0].equals(s256(f.get("code_verifier"))) || !issued[1].equals(f.get("redirect_uri"))
        || !"authorization_code".equals(f.get("grant_type")) || !CLIENT_ID.equals(f.get("client_id"))) {
      send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code or verifier not valid\"}");
      return;
    }
    send(ex, 200, JSON.createObjectNode().put("access_token", "opaque-access-token").put("token_type", "Bearer")
        .put("expires_in", 300).put("id_token", idToken()).toString());
  }

  static String idToken() {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(CLIENT_ID).subject("00u-ana")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .claim("email", "ana@acme.test").claim("roles", List.of("support-leads")).claim("teams", List.of("support")).build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-1").type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (gateway != null) gateway.close();
    if (idp != null) idp.stop(0);
  }

  @BeforeEach
  void openPage() {
    assumeTrue(browser != null, ConsoleBrowserTest.SKIP_MESSAGE);
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 850));
    page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onConsoleMessage(m -> {
      if (m.type().equals("error") || m.type().equals("warning")) consoleErrors.add(m.type() + ": " + m.text());
    });
    page.onPageError(e -> consoleErrors.add("uncaught: " + e));
  }

  @AfterEach
  void closePage() {
    if (context != null) context.close();
  }

  @Test
  void aTeamLeadSignsInThroughTheIdentityProviderAndSeesOnlyTheirTeam() throws IOException {
    page.navigate(gateway.baseUrl() + "/console/#/keys");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with Acme SSO")).click();
    page.locator("#page-keys").waitFor();
    page.locator("#keys-table").waitFor();

    assertThat(page.url()).as("the code left the address bar").doesNotContain("code=").endsWith("/console/#/keys");
    assertThat(page.locator("#who").textContent()).contains("ana@acme.test").contains("team-lead").contains("support");
    assertThat(page.locator("#keys-table").textContent()).contains("support-bot").doesNotContain("research-bot");
    String token = (String) page.evaluate("sessionStorage.getItem('tollgate.console.token')");
    HttpResponse<String> me = gateway.get("/admin/v1/whoami", token);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    JsonNode who = JSON.readTree(me.body());
    assertThat(who.get("role").asText()).isEqualTo("team-lead");
    assertThat(who.get("user").asText()).isEqualTo("ana@acme.test");
    assertThat(page.content()).doesNotContain("opaque-access-token");
    assertThat(consoleErrors).isEmpty();
  }

  @Test
  void anAnswerThisTabDidNotAskForIsRefusedAndNothingIsExchanged() {
    int before = tokenRequests.size();
    page.navigate(gateway.baseUrl() + "/console/?code=stolen-code&state=forged");
    assertThat(page.locator("#signin-status [role=alert]").textContent()).contains("not started from this tab");
    assertThat(page.url()).doesNotContain("stolen-code");
    assertThat(tokenRequests).hasSize(before);
    assertThat(page.evaluate("sessionStorage.getItem('tollgate.console.token')")).isNull();
  }

  @Test
  void aCodeTheIdentityProviderRefusesLeavesThePersonSignedOutWithItsReason() {
    page.navigate(gateway.baseUrl() + "/console/");
    page.locator("#sso-signin").waitFor();
    // The tab's own sign-in started, then the answer comes back with a code the identity provider never issued.
    page.evaluate("sessionStorage.setItem('tollgate.console.sso', JSON.stringify({verifier: 'v'.repeat(43), state: 's1', hash: ''}))");
    page.navigate(gateway.baseUrl() + "/console/?code=never-issued&state=s1");
    assertThat(page.locator("#signin-status [role=alert]").textContent()).contains("refused the sign-in").contains("invalid_grant");
    assertThat(page.evaluate("sessionStorage.getItem('tollgate.console.token')")).isNull();
    consoleErrors.removeIf(e -> e.contains("401"));
    assertThat(consoleErrors).isEmpty();
  }

  @Test
  void theSsoSettingsArePublicAndHoldNoSecret() throws IOException {
    HttpResponse<String> r = gateway.get("/console/sso.json", null);
    JsonNode s = JSON.readTree(r.body());
    assertThat(s.get("enabled").asBoolean()).isTrue();
    assertThat(s.get("authorization_endpoint").asText()).isEqualTo(issuer + "/authorize");
    assertThat(s.get("client_id").asText()).isEqualTo(CLIENT_ID);
    assertThat(r.body()).doesNotContain("secret");
  }

  private static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
