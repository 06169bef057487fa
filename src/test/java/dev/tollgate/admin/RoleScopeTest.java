package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.ADMIN;
import static dev.tollgate.admin.AdminTestSupport.call;
import static dev.tollgate.admin.AdminTestSupport.errorCode;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each role sees and may change, through the real server: a team lead only their teams' keys,
 * budgets and usage; a member only their own usage; an auditor everything and changes nothing.
 */
class RoleScopeTest {

  @TempDir static Path dir;
  static TestGateway gw;
  static String lead;
  static String twoTeamLead;
  static String member;
  static String auditor;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(AdminTestSupport.YAML, Map.of("DIR", dir.toString()), dir);
    lead = AdminTestSupport.token(gw, "{\"name\":\"lead\",\"role\":\"team-lead\",\"teams\":[\"support\"]}");
    twoTeamLead = AdminTestSupport.token(gw, "{\"name\":\"lead2\",\"role\":\"team-lead\",\"teams\":[\"support\",\"platform\"]}");
    member = AdminTestSupport.token(gw, "{\"name\":\"ana\",\"role\":\"member\",\"user\":\"ana@example.com\"}");
    auditor = AdminTestSupport.token(gw, "{\"name\":\"audit\",\"role\":\"auditor\"}");
    for (String[] call : new String[][] {{AdminTestSupport.SUPPORT_KEY, "ana@example.com"}, {AdminTestSupport.SUPPORT_KEY, "bob@example.com"},
        {AdminTestSupport.RESEARCH_KEY, "ana@example.com"}, {AdminTestSupport.RESEARCH_KEY, "carl@example.com"}}) {
      assertThat(gw.post("/v1/chat/completions", call[0], AdminTestSupport.chat(), "X-Tollgate-User", call[1]).statusCode()).isEqualTo(200);
    }
    gw.ledger(); // flushed
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  @Test
  void aTeamLeadSeesOnlyTheirTeamsKeys() {
    JsonNode keys = json(gw.get("/admin/v1/keys", lead)).get("data");
    assertThat(texts(keys, "team")).containsOnly("support");
    assertThat(texts(keys, "name")).contains("support-bot").doesNotContain("research-bot");
    assertThat(gw.get("/admin/v1/keys/cfg_research-bot", ADMIN).statusCode()).as("the key exists").isEqualTo(200);
    assertThat(gw.get("/admin/v1/keys/cfg_research-bot", lead).statusCode()).isEqualTo(404);
    assertThat(gw.get("/admin/v1/keys/cfg_support-bot", lead).statusCode()).isEqualTo(200);
  }

  @Test
  void aTeamLeadMakesAndRevokesKeysOfTheirTeamsOnly() {
    HttpResponse<String> other = gw.post("/admin/v1/keys", lead, "{\"name\":\"sneaky\",\"team\":\"research\"}");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(errorCode(other)).isEqualTo("out_of_scope");
    assertThat(gw.post("/admin/v1/keys", lead, "{\"name\":\"teamless\"}").statusCode()).as("a key with no team is nobody's team").isEqualTo(403);

    HttpResponse<String> research = gw.post("/admin/v1/keys", ADMIN, "{\"name\":\"research-agent\",\"team\":\"research\"}");
    String researchId = json(research).get("id").asText();
    assertThat(gw.post("/admin/v1/keys/" + researchId + "/revoke", lead, "").statusCode()).isEqualTo(404);
    assertThat(call(gw, "DELETE", "/admin/v1/keys/" + researchId, lead, null).statusCode()).isEqualTo(404);
    assertThat(json(gw.get("/admin/v1/keys/" + researchId, ADMIN)).get("revoked_at").isNull()).as("untouched").isTrue();

    HttpResponse<String> own = gw.post("/admin/v1/keys", lead, "{\"name\":\"support-helper\",\"team\":\"support\"}");
    assertThat(own.statusCode()).isEqualTo(201);
    String ownId = json(own).get("id").asText();
    assertThat(gw.post("/admin/v1/keys/" + ownId + "/revoke", lead, "").statusCode()).isEqualTo(200);
  }

  @Test
  void aTeamLeadSeesOnlyTheirTeamsBudgetsAndChangesNone() {
    JsonNode budgets = json(gw.get("/admin/v1/budgets", lead)).get("data");
    assertThat(texts(budgets, "scope")).containsOnly("team:support").isNotEmpty();
    JsonNode status = json(gw.get("/admin/v1/budgets/status", lead)).get("data");
    assertThat(texts(status, "subject")).containsOnly("team:support");

    String researchBudget = null;
    for (JsonNode b : json(gw.get("/admin/v1/budgets", ADMIN)).get("data")) {
      if (b.get("scope").asText().equals("team:research")) researchBudget = b.get("id").asText();
    }
    assertThat(researchBudget).isNotNull();
    String encoded = java.net.URLEncoder.encode(researchBudget, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(gw.get("/admin/v1/budgets/" + encoded, lead).statusCode()).isEqualTo(404);
    HttpResponse<String> change = call(gw, "PUT", "/admin/v1/budgets/" + encoded, lead, "{\"scope\":\"team:research\",\"window\":\"month\",\"usd\":1}");
    assertThat(change.statusCode()).isEqualTo(403);
    HttpResponse<String> make = gw.post("/admin/v1/budgets", lead, "{\"scope\":\"team:support\",\"window\":\"day\",\"usd\":1000}");
    assertThat(make.statusCode()).as("raising a cap goes through an exception, not an edit").isEqualTo(403);
  }

  @Test
  void aTeamLeadsUsageIsForcedToTheirTeam() {
    JsonNode usage = json(gw.get("/admin/v1/usage?group_by=team,user", lead));
    assertThat(texts(usage.get("rows"), "team")).containsOnly("support");
    assertThat(usage.at("/totals/requests").asLong()).isEqualTo(2);
    JsonNode rows = json(gw.get("/admin/v1/ledger", lead)).get("data");
    assertThat(texts(rows, "team")).hasSize(2).containsOnly("support");

    HttpResponse<String> other = gw.get("/admin/v1/usage?team=research", lead);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(errorCode(other)).isEqualTo("out_of_scope");
    assertThat(gw.get("/admin/v1/ledger?team=research", lead).statusCode()).isEqualTo(403);
    assertThat(gw.get("/admin/v1/usage?team=support&team=research", lead).statusCode()).isEqualTo(403);
  }

  @Test
  void aLeadOfSeveralTeamsNamesTheTeamTheyWant() {
    HttpResponse<String> unnamed = gw.get("/admin/v1/usage", twoTeamLead);
    assertThat(unnamed.statusCode()).isEqualTo(400);
    assertThat(json(unnamed).at("/error/message").asText()).contains("platform").contains("support");
    assertThat(json(gw.get("/admin/v1/usage?team=support", twoTeamLead)).at("/totals/requests").asLong()).isEqualTo(2);
    assertThat(gw.get("/admin/v1/usage?team=research", twoTeamLead).statusCode()).isEqualTo(403);
  }

  @Test
  void aMemberSeesOnlyTheirOwnUsage() {
    JsonNode usage = json(gw.get("/admin/v1/usage?group_by=user,team", member));
    assertThat(texts(usage.get("rows"), "user")).containsOnly("ana@example.com");
    assertThat(texts(usage.get("rows"), "team")).containsExactlyInAnyOrder("support", "research");
    assertThat(usage.at("/totals/requests").asLong()).isEqualTo(2);
    JsonNode rows = json(gw.get("/admin/v1/ledger", member)).get("data");
    assertThat(texts(rows, "user")).hasSize(2).containsOnly("ana@example.com");

    HttpResponse<String> bob = gw.get("/admin/v1/usage?user=bob@example.com", member);
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(errorCode(bob)).isEqualTo("out_of_scope");
    assertThat(gw.get("/admin/v1/keys", member).statusCode()).isEqualTo(403);
    assertThat(gw.get("/admin/v1/budgets", member).statusCode()).isEqualTo(403);
  }

  @Test
  void aTeamLeadDecidesOnlyTheirTeamsExceptionsAndNobodyTheirOwn() {
    String expires = java.time.Instant.now().plus(java.time.Duration.ofDays(7)).toString();
    String research = json(gw.post("/admin/v1/exceptions", member, "{\"scope\":\"team:research\",\"team\":\"research\","
        + "\"justification\":\"quarter close\",\"extra_usd\":50,\"expires_at\":\"" + expires + "\"}")).get("id").asText();
    String support = json(gw.post("/admin/v1/exceptions", member, "{\"scope\":\"team:support\",\"team\":\"support\","
        + "\"justification\":\"launch week\",\"extra_usd\":50,\"expires_at\":\"" + expires + "\"}")).get("id").asText();
    String requester = json(gw.get("/admin/v1/exceptions/" + support, ADMIN)).get("requester").asText();
    assertThat(requester).as("the requester is the caller").isEqualTo(json(gw.get("/admin/v1/whoami", member)).get("actor").asText());

    HttpResponse<String> other = gw.post("/admin/v1/exceptions/" + research + "/approve", lead, "");
    assertThat(other.statusCode()).as("another team's exception is not there for this lead: " + other.body()).isEqualTo(404);
    assertThat(json(gw.get("/admin/v1/exceptions/" + research, ADMIN)).get("state").asText()).isEqualTo("requested");
    assertThat(gw.post("/admin/v1/exceptions/" + support + "/approve", member, "").statusCode()).isEqualTo(403);
    HttpResponse<String> own = gw.post("/admin/v1/exceptions/" + support + "/approve", lead, "");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
  }

  @Test
  void anAuditorReadsEverythingAndChangesNothing() {
    assertThat(json(gw.get("/admin/v1/keys", auditor)).get("data")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(json(gw.get("/admin/v1/usage", auditor)).at("/totals/requests").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(gw.get("/admin/v1/audit", auditor).statusCode()).isEqualTo(200);
    assertThat(gw.get("/admin/v1/tokens", auditor).statusCode()).isEqualTo(200);
    long auditRowsBefore = json(gw.get("/admin/v1/audit/verify", ADMIN)).get("rows").asLong();

    String budgetId = json(gw.post("/admin/v1/budgets", ADMIN, "{\"scope\":\"team:platform\",\"window\":\"month\",\"usd\":10}")).get("id").asText();
    String tokenId = json(gw.get("/admin/v1/tokens", ADMIN)).get("data").get(0).get("id").asText();
    String[][] changes = {
        {"POST", "/admin/v1/keys", "{\"name\":\"auditor-key\",\"team\":\"support\"}"},
        {"POST", "/admin/v1/keys/cfg_support-bot/revoke", ""},
        {"DELETE", "/admin/v1/keys/cfg_support-bot", null},
        {"POST", "/admin/v1/budgets", "{\"scope\":\"team:support\",\"window\":\"day\",\"usd\":5}"},
        {"POST", "/admin/v1/budgets/from-template", "{\"team\":\"support\",\"headcount\":3,\"annual_salary_usd\":100000,\"share\":0.01}"},
        {"PUT", "/admin/v1/budgets/" + budgetId, "{\"scope\":\"team:platform\",\"window\":\"month\",\"usd\":99999}"},
        {"DELETE", "/admin/v1/budgets/" + budgetId, null},
        {"POST", "/admin/v1/tokens", "{\"name\":\"escalate\",\"role\":\"admin\"}"},
        {"POST", "/admin/v1/tokens/" + tokenId + "/revoke", ""},
        {"DELETE", "/admin/v1/tokens/" + tokenId, null},
        {"POST", "/admin/v1/exceptions", "{\"scope\":\"team:support\",\"team\":\"support\",\"justification\":\"x\","
            + "\"expires_at\":\"2099-01-01T00:00:00Z\"}"},
        {"POST", "/admin/v1/alerts/any/ack", ""},
    };
    for (String[] c : changes) {
      HttpResponse<String> r = call(gw, c[0], c[1], auditor, c[2]);
      assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(403);
      assertThat(errorCode(r)).isEqualTo("role_not_allowed");
    }
    assertThat(json(gw.get("/admin/v1/budgets/" + budgetId, ADMIN)).at("/limit").decimalValue()).isEqualByComparingTo("10");
    assertThat(json(gw.get("/admin/v1/audit/verify", ADMIN)).get("rows").asLong())
        .as("only the admin's budget was recorded").isEqualTo(auditRowsBefore + 1);
    String auditorActor = json(gw.get("/admin/v1/whoami", auditor)).get("actor").asText();
    assertThat(auditorActor).startsWith("token:tok_");
    assertThat(json(gw.get("/admin/v1/audit?actor=" + auditorActor, ADMIN)).get("data")).isEmpty();
  }
}
