package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API: keys (secret once, hashed, revocable), usage aggregation, prices, and its own auth. */
class AdminApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        org: { name: acme, time_zone: America/New_York }
        providers:
          sim: { type: simulator, output_tokens: 10 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
          house-model: { provider: sim, tier: private, price: { input_per_mtok: 0.02, output_per_mtok: 0.02 } }
        teams:
          support: {}
          research: {}
        keys:
          - { name: support-bot, secret: tg-admin-test-support-01, team: support, workflow: triage }
        """, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  @Test
  void adminRoutesRefuseAMissingOrWrongToken() {
    assertThat(gw.get("/admin/v1/keys", null).statusCode()).isEqualTo(401);
    assertThat(gw.get("/admin/v1/keys", "wrong-token-000000000000").statusCode()).isEqualTo(401);
    assertThat(gw.get("/admin/v1/keys", "tg-admin-test-support-01").statusCode()).as("a virtual key is not an admin token").isEqualTo(401);
  }

  @Test
  void aKeyMadeThroughTheApiShowsItsSecretOnceWorksAndCanBeRevoked() throws Exception {
    HttpResponse<String> created = gw.post("/admin/v1/keys", ADMIN,
        "{\"name\":\"research-agent\",\"team\":\"research\",\"agent\":\"scout\",\"tags\":{\"env\":\"staging\"},\"models\":[\"house-model\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode key = JSON.readTree(created.body());
    String secret = key.get("secret").asText();
    assertThat(secret).startsWith("tg-").hasSize(43);
    assertThat(key.get("secret_prefix").asText()).isEqualTo(secret.substring(0, 7) + "…");

    JsonNode listed = JSON.readTree(gw.get("/admin/v1/keys", ADMIN).body());
    assertThat(listed.toString()).doesNotContain(secret);
    assertThat(listed.get("data")).extracting(n -> n.get("name").asText()).contains("research-agent", "support-bot");

    HttpResponse<String> call = gw.post("/v1/chat/completions", secret, chat("house-model"));
    assertThat(call.statusCode()).isEqualTo(200);
    UsageRecord row = gw.row(call);
    assertThat(row.keyName()).isEqualTo("research-agent");
    assertThat(row.attribution().team()).isEqualTo("research");
    assertThat(row.attribution().agent()).isEqualTo("scout");
    assertThat(row.attribution().tags()).containsEntry("env", "staging");
    assertThat(gw.post("/v1/chat/completions", secret, chat("gpt-4o-mini")).statusCode()).isEqualTo(403);

    String id = key.get("id").asText();
    HttpResponse<String> revoked = gw.post("/admin/v1/keys/" + id + "/revoke", ADMIN, "");
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(revoked.body()).get("revoked_at").isNull()).isFalse();
    HttpResponse<String> after = gw.post("/v1/chat/completions", secret, chat("house-model"));
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("revoked");
  }

  @Test
  void keyCreationRefusesUnknownTeamsAndDuplicateNames() {
    assertThat(gw.post("/admin/v1/keys", ADMIN, "{\"name\":\"x\",\"team\":\"marketing\"}").statusCode()).isEqualTo(400);
    assertThat(gw.post("/admin/v1/keys", ADMIN, "{\"name\":\"support-bot\"}").statusCode()).isEqualTo(409);
    assertThat(gw.post("/admin/v1/keys", ADMIN, "{not json").statusCode()).isEqualTo(400);
    assertThat(gw.post("/admin/v1/keys/cfg_support-bot/revoke", ADMIN, "").statusCode())
        .as("keys declared in config are removed in the config").isEqualTo(409);
  }

  @Test
  void usageGroupsByAnyDimensionAndReconcilesWithTheLedger() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(gw.post("/v1/chat/completions", "tg-admin-test-support-01", chat("gpt-4o-mini"), "X-Tollgate-Tags", "run=usage").statusCode()).isEqualTo(200);
    }
    gw.ledger();
    HttpResponse<String> r = gw.get("/admin/v1/usage?group_by=team,model,tag:run&granularity=day&tag:run=usage", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("rows")).hasSize(1);
    JsonNode row = body.get("rows").get(0);
    assertThat(row.get("team").asText()).isEqualTo("support");
    assertThat(row.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(row.get("requests").asLong()).isEqualTo(3);
    assertThat(row.get("output_tokens").asLong()).isEqualTo(30);
    assertThat(row.get("bucket").asText()).as("days in the org's time zone").matches("\\d{4}-\\d{2}-\\d{2}T00:00-0[45]:00");

    Money ledgerSum = gw.ledger().stream().filter(u -> "usage".equals(u.attribution().tags().get("run")))
        .map(UsageRecord::cost).reduce(Money.ZERO, Money::plus);
    assertThat(new BigDecimal(row.get("cost_usd").asText())).isEqualByComparingTo(ledgerSum.toUsd());
  }

  @Test
  void usageRefusesUnknownDimensionsWithTheAllowedList() throws Exception {
    HttpResponse<String> r = gw.get("/admin/v1/usage?group_by=department", ADMIN);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("department").contains("workflow");
  }

  @Test
  void pricesShowTheRatesInForceForEachModel() throws Exception {
    JsonNode list = JSON.readTree(gw.get("/admin/v1/prices", ADMIN).body());
    JsonNode mini = null;
    for (JsonNode n : list.get("data")) if (n.get("model").asText().equals("gpt-4o-mini")) mini = n;
    assertThat(mini).isNotNull();
    assertThat(mini.get("input_per_mtok").decimalValue()).isEqualByComparingTo("0.15");
    assertThat(mini.get("output_per_mtok").decimalValue()).isEqualByComparingTo("0.6");
    JsonNode house = JSON.readTree(gw.get("/admin/v1/prices/house-model", ADMIN).body());
    assertThat(house.get("source").asText()).isEqualTo("config");
    assertThat(gw.get("/admin/v1/prices/gpt-9-ultra", ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentListsTheRoutes() throws Exception {
    HttpResponse<String> r = gw.get("/admin/v1/openapi.json", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("paths").has("/admin/v1/keys")).isTrue();
    assertThat(doc.get("paths").has("/admin/v1/usage")).isTrue();
  }

  @Test
  void healthReadinessAndMetricsAnswerWithoutAuth() {
    assertThat(gw.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(gw.get("/readyz", null).statusCode()).isEqualTo(200);
    gw.post("/v1/chat/completions", "tg-admin-test-support-01", chat("gpt-4o-mini"));
    HttpResponse<String> metrics = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics")).GET().build());
    assertThat(metrics.body())
        .contains("tollgate_requests_total{model=\"gpt-4o-mini\",status=\"ok\",team=\"support\"}")
        .contains("tollgate_tokens_total{model=\"gpt-4o-mini\",team=\"support\",type=\"output\"}")
        .contains("tollgate_cost_usd_total")
        .contains("tollgate_upstream_duration_seconds_bucket");
  }
}
