package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A gateway with three teams, a key each for two of them, team budgets, and helpers to call it as a role. */
final class AdminTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String SUPPORT_KEY = "tg-scope-test-support-01";
  static final String RESEARCH_KEY = "tg-scope-test-research-1";

  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme }
      providers:
        sim: { type: simulator, output_tokens: 10 }
      models:
        gpt-4o-mini: { provider: sim, tier: economy }
      teams:
        support:
          budgets:
            - { window: month, usd: 100 }
        research:
          budgets:
            - { window: month, usd: 200 }
        platform: {}
      keys:
        - { name: support-bot, secret: tg-scope-test-support-01, team: support }
        - { name: research-bot, secret: tg-scope-test-research-1, team: research }
      """;

  private AdminTestSupport() {}

  /** Makes a personal admin token through the API with the bootstrap token; returns its secret. */
  static String token(TestGateway gw, String body) {
    HttpResponse<String> r = gw.post("/admin/v1/tokens", ADMIN, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("secret").asText();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  static String errorCode(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body()).at("/error/code").asText();
    } catch (Exception e) {
      return "";
    }
  }

  static HttpResponse<String> call(TestGateway gw, String method, String path, String bearer, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) b.header("authorization", "Bearer " + bearer);
    return gw.send(b.build());
  }

  static String chat() {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }
}
