package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.ADMIN;
import static dev.tollgate.admin.AdminTestSupport.errorCode;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team lead sees and decides only their teams' exceptions and sees only their teams' alerts; a member
 * sees only the exceptions they asked for or that are for them, and the alerts about their own budget.
 */
class ExceptionAndAlertScopeTest {

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
            - { window: day, requests: 10, warn_at: [0.1] }
        research:
          budgets:
            - { window: day, requests: 10, warn_at: [0.1] }
      budgets:
        - { scope: "user:ana@example.com", window: day, requests: 10, warn_at: [0.1] }
      keys:
        - { name: support-bot, secret: tg-scope-test-support-01, team: support }
        - { name: research-bot, secret: tg-scope-test-research-1, team: research }
      """;

  @TempDir static Path dir;
  static TestGateway gw;
  static String supportLead;
  static String researchLead;
  static String ana;
  static String bob;
  static String supportExc;
  static String researchExc;
  static String askedByAna;
  static String forAna;
  static String askedByBob;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(YAML, Map.of("DIR", dir.toString()), dir);
    supportLead = AdminTestSupport.token(gw, "{\"name\":\"lead-s\",\"role\":\"team-lead\",\"teams\":[\"support\"]}");
    researchLead = AdminTestSupport.token(gw, "{\"name\":\"lead-r\",\"role\":\"team-lead\",\"teams\":[\"research\"]}");
    ana = AdminTestSupport.token(gw, "{\"name\":\"ana\",\"role\":\"member\",\"user\":\"ana@example.com\"}");
    bob = AdminTestSupport.token(gw, "{\"name\":\"bob\",\"role\":\"member\",\"user\":\"bob@example.com\"}");
    supportExc = exception(ADMIN, "team:support", "support");
    researchExc = exception(ADMIN, "team:research", "research");
    askedByAna = exception(ana, "user:ana@example.com", "research");
    forAna = exception(ADMIN, "user:ana@example.com", "support");
    askedByBob = exception(bob, "user:bob@example.com", "support");

    // A team warning for each team, and one for ana's own budget.
    assertThat(gw.post("/v1/chat/completions", AdminTestSupport.SUPPORT_KEY, AdminTestSupport.chat(), "X-Tollgate-User", "ana@example.com")
        .statusCode()).isEqualTo(200);
    assertThat(gw.post("/v1/chat/completions", AdminTestSupport.RESEARCH_KEY, AdminTestSupport.chat(), "X-Tollgate-User", "carl@example.com")
        .statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> subjects(ADMIN).size() == 3);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static String exception(String bearer, String scope, String team) {
    HttpResponse<String> r = gw.post("/admin/v1/exceptions", bearer, "{\"scope\":\"" + scope + "\",\"team\":\"" + team
        + "\",\"justification\":\"launch\",\"extra_usd\":20,\"expires_at\":\"" + Instant.now().plus(Duration.ofDays(2)) + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("id").asText();
  }

  static List<String> ids(String path, String bearer, String field) {
    HttpResponse<String> r = gw.get(path, bearer);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(r).get("data").forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  static List<String> subjects(String bearer) {
    List<String> out = new ArrayList<>();
    for (String s : ids("/admin/v1/alerts", bearer, "subject")) out.add(s.substring(0, s.indexOf('|')));
    return out;
  }

  @Test
  void aTeamLeadSeesTheirTeamsExceptionsOnly() {
    for (String path : List.of("/admin/v1/exceptions", "/admin/v1/exceptions/review")) {
      assertThat(ids(path, supportLead, "id")).as(path).contains(supportExc, forAna, askedByBob).doesNotContain(researchExc, askedByAna);
      assertThat(ids(path, researchLead, "id")).as(path).contains(researchExc, askedByAna).doesNotContain(supportExc, forAna, askedByBob);
      assertThat(ids(path, ADMIN, "id")).as(path).contains(supportExc, researchExc, askedByAna, forAna, askedByBob);
    }
    assertThat(ids("/admin/v1/exceptions/notifications", supportLead, "exception_id")).as("pending approvals")
        .contains(supportExc).doesNotContain(researchExc, askedByAna);
    assertThat(gw.get("/admin/v1/exceptions/" + supportExc, supportLead).statusCode()).isEqualTo(200);
    HttpResponse<String> other = gw.get("/admin/v1/exceptions/" + researchExc, supportLead);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(errorCode(other)).isEqualTo("not_found");
  }

  @Test
  void aTeamLeadCannotApproveDenyOrRenewAnotherTeamsException() {
    String target = exception(ADMIN, "team:research", "research");
    for (String verb : List.of("approve", "deny", "renew")) {
      String body = verb.equals("renew") ? "{\"expires_at\":\"" + Instant.now().plus(Duration.ofDays(5)) + "\"}" : "";
      HttpResponse<String> r = gw.post("/admin/v1/exceptions/" + target + "/" + verb, supportLead, body);
      assertThat(r.statusCode()).as(verb + ": " + r.body()).isEqualTo(404);
    }
    assertThat(json(gw.get("/admin/v1/exceptions/" + target, ADMIN)).get("state").asText()).isEqualTo("requested");
    HttpResponse<String> approved = gw.post("/admin/v1/exceptions/" + target + "/approve", researchLead, "{\"note\":\"ok\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).get("state").asText()).isEqualTo("active");
  }

  @Test
  void aMemberSeesTheExceptionsTheyAskedForOrThatAreForThemOnly() {
    assertThat(ids("/admin/v1/exceptions", ana, "id")).containsExactlyInAnyOrder(askedByAna, forAna);
    assertThat(ids("/admin/v1/exceptions/review", ana, "id")).containsExactlyInAnyOrder(askedByAna, forAna);
    assertThat(ids("/admin/v1/exceptions/notifications", ana, "exception_id")).containsExactlyInAnyOrder(askedByAna, forAna);
    assertThat(ids("/admin/v1/exceptions", bob, "id")).containsExactly(askedByBob);
    assertThat(gw.get("/admin/v1/exceptions/" + askedByBob, ana).statusCode()).isEqualTo(404);
    assertThat(gw.post("/admin/v1/exceptions/" + askedByBob + "/renew", ana, "{\"expires_at\":\""
        + Instant.now().plus(Duration.ofDays(5)) + "\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> decide = gw.post("/admin/v1/exceptions/" + askedByAna + "/approve", ana, "");
    assertThat(decide.statusCode()).isEqualTo(403);
    assertThat(errorCode(decide)).isEqualTo("role_not_allowed");
  }

  @Test
  void aMemberFilesExceptionsInTheirOwnNameOnly() {
    HttpResponse<String> r = gw.post("/admin/v1/exceptions", ana, "{\"requester\":\"token:someone-else\",\"scope\":\"user:ana@example.com\","
        + "\"team\":\"research\",\"justification\":\"x\",\"extra_usd\":1,\"expires_at\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(errorCode(r)).isEqualTo("out_of_scope");
  }

  @Test
  void aTeamLeadSeesTheirTeamsAlertsAndAMemberTheirOwn() {
    assertThat(subjects(ADMIN)).containsExactlyInAnyOrder("team:support", "team:research", "user:ana@example.com");
    assertThat(subjects(supportLead)).containsExactly("team:support");
    assertThat(ids("/admin/v1/alerts", supportLead, "team")).containsOnly("support");
    assertThat(subjects(researchLead)).containsExactly("team:research");
    assertThat(subjects(ana)).containsExactly("user:ana@example.com");
    assertThat(subjects(bob)).isEmpty();
    HttpResponse<String> ack = gw.post("/admin/v1/alerts/any/ack", supportLead, "");
    assertThat(ack.statusCode()).as("acting on alerts stays with admins and finance").isEqualTo(403);
  }
}
