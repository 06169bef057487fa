package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.tokens.JtokkitTokenCounter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prompt template library through the admin API, and calls attributed to a template. */
class TemplatesApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String KEY = "tg-templates-test-key-01";
  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme }
      providers:
        sim: { type: simulator, output_tokens: 10 }
      models:
        cheap: { provider: sim, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 2 } }
        dear:  { provider: sim, tier: premium, price: { input_per_mtok: 10, output_per_mtok: 30 } }
      workload_classes:
        economy-only: { allow: [ "tier:economy" ] }
      teams:
        support: {}
      keys:
        - { name: bot, secret: tg-templates-test-key-01, team: support }
      """;
  static final String PROMPT = "Summarise this support ticket in two short lines for the on-call engineer: {{ticket}}";

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(YAML, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> delete(String path) {
    return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).header("authorization", "Bearer " + ADMIN)
        .DELETE().build());
  }

  /** Prompt tokens as the gateway counts a request with the template as its one user message. */
  static long tokens(String model) {
    var body = JSON.createObjectNode();
    body.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
    return new PromptEstimator(new JtokkitTokenCounter()).promptTokens(model, body);
  }

  static String template(String name, String cls) {
    return "{\"name\":\"" + name + "\"," + (cls == null ? "" : "\"workload_class\":\"" + cls + "\",")
        + "\"description\":\"two-line summary\",\"body\":\"" + PROMPT + "\",\"expected_output_tokens\":100}";
  }

  @Test
  void aTemplateIsPricedOnEveryModelItsClassAllows() throws Exception {
    HttpResponse<String> r = gw.post("/admin/v1/templates", ADMIN, template("summary-economy", "economy-only"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode t = json(r);
    assertThat(t.get("created_by").asText()).isNotBlank();
    assertThat(t.get("models")).hasSize(1);
    JsonNode cheap = t.get("models").get(0);
    long in = tokens("cheap");
    assertThat(cheap.get("model").asText()).isEqualTo("cheap");
    assertThat(cheap.get("input_tokens").asLong()).isEqualTo(in).isGreaterThan(15);
    assertThat(cheap.get("output_tokens").asLong()).isEqualTo(100);
    // (in × $1 + 100 × $2) per million tokens, in nano-dollars: in × 1000 + 200000
    assertThat(cheap.get("cost_per_call_usd").decimalValue())
        .isEqualByComparingTo(java.math.BigDecimal.valueOf(in * 1000 + 200_000, 9));
  }

  @Test
  void aTemplateWithoutClassIsPricedOnEveryModelCheapestFirst() throws Exception {
    JsonNode t = json(gw.post("/admin/v1/templates", ADMIN, template("summary-any", null)));
    assertThat(t.get("models")).extracting(m -> m.get("model").asText()).containsExactly("cheap", "dear");
    long in = tokens("dear");
    assertThat(t.get("models").get(1).get("cost_per_call_usd").decimalValue())
        .isEqualByComparingTo(java.math.BigDecimal.valueOf(in * 10_000 + 3_000_000, 9));
  }

  @Test
  void listGetDeleteAndTheAuditLog() throws Exception {
    gw.post("/admin/v1/templates", ADMIN, template("short-lived", null));
    assertThat(json(gw.get("/admin/v1/templates", ADMIN)).get("data")).extracting(n -> n.get("name").asText())
        .contains("short-lived");
    assertThat(json(gw.get("/admin/v1/templates/short-lived", ADMIN)).get("body").asText()).isEqualTo(PROMPT);
    assertThat(delete("/admin/v1/templates/short-lived").statusCode()).isEqualTo(204);
    assertThat(gw.get("/admin/v1/templates/short-lived", ADMIN).statusCode()).isEqualTo(404);
    assertThat(delete("/admin/v1/templates/short-lived").statusCode()).isEqualTo(404);

    String audit = gw.get("/admin/v1/audit?limit=50", ADMIN).body();
    assertThat(audit).contains("\"template\"").contains("short-lived");
  }

  @Test
  void aSecondTemplateOfTheSameNameIsAConflict() {
    gw.post("/admin/v1/templates", ADMIN, template("twice", null));
    HttpResponse<String> r = gw.post("/admin/v1/templates", ADMIN, template("twice", null));
    assertThat(r.statusCode()).isEqualTo(409);
  }

  @Test
  void badTemplatesAreRefusedNamingTheField() {
    assertThat(gw.post("/admin/v1/templates", ADMIN, "{\"name\":\"x\"}").body()).contains("'body' is required");
    assertThat(gw.post("/admin/v1/templates", ADMIN, "{\"name\":\"bad name!\",\"body\":\"hi\"}").body()).contains("'name'");
    assertThat(gw.post("/admin/v1/templates", ADMIN, "{\"name\":\"x\",\"body\":\"hi\",\"workload_class\":\"nope\"}").body())
        .contains("unknown workload class 'nope'");
    assertThat(gw.post("/admin/v1/templates", ADMIN, "{\"name\":\"x\",\"body\":\"hi\",\"colour\":\"red\"}").body())
        .contains("unknown field 'colour'");
    assertThat(gw.post("/admin/v1/templates", ADMIN, "{\"name\":\"x\",\"body\":\"hi\",\"expected_output_tokens\":-1}").statusCode())
        .isEqualTo(400);
    assertThat(gw.post("/admin/v1/templates", ADMIN, "[1]").statusCode()).isEqualTo(400);
  }

  @Test
  void aCallNamingATemplateIsAttributedToIt() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY,
        "{\"model\":\"cheap\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"Summarise: printer on fire\"}]}",
        "X-Tollgate-Template", "summary-economy");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var row = gw.row(r);
    assertThat(row.efficiency().template()).isEqualTo("summary-economy");
    assertThat(row.efficiency().maxTokens()).isEqualTo(300L);
    assertThat(row.efficiency().promptHash()).hasSize(32);
  }

  @Test
  void aMalformedTemplateHeaderIsRefused() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY,
        "{\"model\":\"cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "X-Tollgate-Template", "no spaces allowed");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("X-Tollgate-Template");
  }
}
