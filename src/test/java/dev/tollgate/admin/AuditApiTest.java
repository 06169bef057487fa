package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.ADMIN;
import static dev.tollgate.admin.AdminTestSupport.call;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.TestGateway;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes made through the admin API land in the audit log with who, when, what, before and after. */
class AuditApiTest {

  @TempDir static Path dir;
  static TestGateway gw;
  static String finance;
  static String financeActor;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(AdminTestSupport.YAML, Map.of("DIR", dir.toString()), dir);
    finance = AdminTestSupport.token(gw, "{\"name\":\"fin\",\"role\":\"finance\"}");
    financeActor = json(gw.get("/admin/v1/whoami", finance)).get("actor").asText();
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static JsonNode rows(String query) {
    HttpResponse<String> r = gw.get("/admin/v1/audit" + query, ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("data");
  }

  @Test
  void aBudgetsLifeIsRecordedWithWhoBeforeAndAfter() {
    String id = json(gw.post("/admin/v1/budgets", finance, "{\"scope\":\"team:platform\",\"window\":\"month\",\"usd\":50}")).get("id").asText();
    assertThat(call(gw, "PUT", "/admin/v1/budgets/" + id, finance, "{\"scope\":\"team:platform\",\"window\":\"month\",\"usd\":75}")
        .statusCode()).isEqualTo(200);
    assertThat(call(gw, "DELETE", "/admin/v1/budgets/" + id, finance, null).statusCode()).isEqualTo(204);
    assertThat(call(gw, "DELETE", "/admin/v1/budgets/" + id, finance, null).statusCode()).as("nothing left to delete").isEqualTo(404);

    JsonNode rows = rows("?resource=budget:" + id);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("method").asText()).isEqualTo("POST");
    assertThat(rows.get(0).get("route").asText()).isEqualTo("/admin/v1/budgets");
    assertThat(rows.get(0).get("before").isNull()).isTrue();
    assertThat(rows.get(0).at("/after/limit").decimalValue()).isEqualByComparingTo("50");
    assertThat(rows.get(1).get("route").asText()).isEqualTo("/admin/v1/budgets/:id");
    assertThat(rows.get(1).at("/before/limit").decimalValue()).isEqualByComparingTo("50");
    assertThat(rows.get(1).at("/after/limit").decimalValue()).isEqualByComparingTo("75");
    assertThat(rows.get(2).get("method").asText()).isEqualTo("DELETE");
    assertThat(rows.get(2).at("/before/limit").decimalValue()).isEqualByComparingTo("75");
    assertThat(rows.get(2).get("after").isNull()).isTrue();
    for (JsonNode row : rows) {
      assertThat(row.get("actor").asText()).isEqualTo(financeActor);
      assertThat(row.get("actor_role").asText()).isEqualTo("finance");
      assertThat(row.get("at").asText()).isNotBlank();
      assertThat(row.get("hash").asText()).hasSize(64);
    }
  }

  @Test
  void templatesKeysAndTokensAreRecordedToo() {
    String template = json(gw.post("/admin/v1/budgets/from-template", finance,
        "{\"team\":\"support\",\"headcount\":4,\"annual_salary_usd\":120000,\"share\":0.02}")).get("id").asText();
    assertThat(rows("?resource=budget:" + URLEncoder.encode(template, StandardCharsets.UTF_8)).get(0).get("route").asText())
        .isEqualTo("/admin/v1/budgets/from-template");

    String key = json(gw.post("/admin/v1/keys", ADMIN, "{\"name\":\"audited-key\",\"team\":\"support\"}")).get("id").asText();
    gw.post("/admin/v1/keys/" + key + "/revoke", ADMIN, "");
    JsonNode keyRows = rows("?resource=key:" + key);
    assertThat(keyRows).hasSize(2);
    assertThat(keyRows.get(0).at("/after/name").asText()).isEqualTo("audited-key");
    assertThat(keyRows.get(0).toString()).as("no secret in the log").doesNotContain("\"secret\"");
    assertThat(keyRows.get(1).at("/before/revoked_at").isNull()).isTrue();
    assertThat(keyRows.get(1).at("/after/revoked_at").isNull()).isFalse();
    assertThat(keyRows.get(1).get("actor").asText()).isEqualTo("admin-token");

    JsonNode tokenRows = rows("?resource=token");
    assertThat(tokenRows).isNotEmpty();
    assertThat(tokenRows.toString()).doesNotContain(finance);
  }

  @Test
  void theLogIsFilteredByActorAndTimeAndPaged() {
    for (int i = 0; i < 3; i++) gw.post("/admin/v1/budgets", finance, "{\"scope\":\"team:research\",\"window\":\"day\",\"usd\":" + (i + 1) + "}");
    JsonNode mine = rows("?actor=" + financeActor);
    assertThat(mine.size()).isGreaterThanOrEqualTo(3);
    mine.forEach(r -> assertThat(r.get("actor").asText()).isEqualTo(financeActor));
    assertThat(rows("?from=2000-01-01&to=2000-01-02")).isEmpty();

    HttpResponse<String> first = gw.get("/admin/v1/audit?limit=2", ADMIN);
    JsonNode page = json(first);
    assertThat(page.get("data")).hasSize(2);
    long next = page.get("next_after").asLong();
    JsonNode second = json(gw.get("/admin/v1/audit?limit=2&after=" + next, ADMIN)).get("data");
    assertThat(second.get(0).get("seq").asLong()).isEqualTo(next + 1);
    assertThat(gw.get("/admin/v1/audit?limit=0", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/audit?from=yesterday", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theExportHoldsEveryRowAsJsonLinesAndTheChainVerifies() throws Exception {
    gw.post("/admin/v1/budgets", finance, "{\"scope\":\"team:support\",\"window\":\"week\",\"usd\":9}");
    HttpResponse<String> export = gw.get("/admin/v1/audit/export", ADMIN);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    String[] lines = export.body().split("\n");
    JsonNode verify = json(gw.get("/admin/v1/audit/verify", ADMIN));
    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(lines).hasSize(verify.get("rows").asInt());
    String previous = "0".repeat(64);
    for (String line : lines) {
      JsonNode row = AdminTestSupport.JSON.readTree(line);
      assertThat(row.get("prev_hash").asText()).isEqualTo(previous);
      previous = row.get("hash").asText();
    }
    assertThat(previous).isEqualTo(verify.get("head_hash").asText());
  }
}
