package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.exception.BudgetException;
import dev.tollgate.domain.exception.ExceptionState;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** A caller who hits a cap asks for an exception; the right person approves; it unlocks exactly what it says until it expires. */
class ExceptionFlowTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String ANA = "tg-exception-ana-key-000001";

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim: { type: simulator, output_tokens: 10 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
          big-model:   { provider: sim, tier: premium, price: { input_per_mtok: 10, output_per_mtok: 30 } }
        workload_classes:
          synthesis: { allow: [ "tier:economy", "tier:premium" ], exception_tiers: [ premium ] }
        teams:
          research: {}
        keys:
          - { name: ana-notebook, secret: tg-exception-ana-key-000001, team: research, user: ana, workload_class: synthesis }
          - { name: bob-notebook, secret: tg-exception-bob-key-00001, team: research, user: bob }
          - { name: probe, secret: tg-exception-probe-key-001, team: research }
        budgets:
          - { scope: "user:ana", window: day, requests: 2 }
        """, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"draft the board memo\"}]}";
  }

  @Test
  void anApprovedExceptionUnlocksItsTierAndItsUseIsRecordedUnderIt() throws Exception {
    HttpResponse<String> refused = gw.post("/v1/chat/completions", ANA, chat("big-model"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("POST /admin/v1/exceptions");

    String expires = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    HttpResponse<String> asked = gw.post("/admin/v1/exceptions", ADMIN, """
        {"requester":"ana","scope":"user:ana","team":"research","workload_class":"synthesis","unlock_tiers":["premium"],
         "justification":"board deck due Friday","expires_at":"%s"}""".formatted(expires));
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    JsonNode e = JSON.readTree(asked.body());
    assertThat(e.get("state").asText()).isEqualTo("requested");
    assertThat(gw.post("/v1/chat/completions", ANA, chat("big-model")).statusCode()).as("not before approval").isEqualTo(403);
    JsonNode pending = JSON.readTree(gw.get("/admin/v1/exceptions/notifications", ADMIN).body());
    assertThat(pending.get("data").toString()).contains("pending_approval").contains(e.get("id").asText());

    String id = e.get("id").asText();
    HttpResponse<String> approved = gw.post("/admin/v1/exceptions/" + id + "/approve", ADMIN, "{\"note\":\"ok for the deck\"}");
    assertThat(JSON.readTree(approved.body()).get("state").asText()).isEqualTo("active");

    HttpResponse<String> served = gw.post("/v1/chat/completions", ANA, chat("big-model"));
    assertThat(served.statusCode()).isEqualTo(200);
    UsageRecord row = gw.row(served);
    assertThat(row.exceptionId()).isEqualTo(id);
    assertThat(row.routeReason()).isEqualTo("exception");

    JsonNode review = JSON.readTree(gw.get("/admin/v1/exceptions/review", ADMIN).body());
    JsonNode mine = null;
    for (JsonNode r : review.get("data")) if (r.get("id").asText().equals(id)) mine = r;
    assertThat(mine.get("requests").asLong()).isEqualTo(1);
    assertThat(mine.get("cost_usd").decimalValue()).isEqualByComparingTo(row.cost().toUsd());

    gw.post("/admin/v1/exceptions/" + id + "/revoke", ADMIN, "");
    assertThat(gw.post("/v1/chat/completions", ANA, chat("big-model")).statusCode()).as("revoked: closed again").isEqualTo(403);
  }

  @Test
  void extraBudgetGivesExactlyTheHeadroomItSaysAndNoMore() throws Exception {
    // One call's tokens, measured on a key no budget covers.
    UsageRecord probe = gw.row(gw.post("/v1/chat/completions", "tg-exception-probe-key-001", chat("gpt-4o-mini")));
    long perCall = probe.usage().inputTokens() + probe.usage().outputTokens();
    assertThat(gw.post("/admin/v1/budgets", ADMIN, "{\"scope\":\"user:bob\",\"window\":\"day\",\"tokens\":" + (2 * perCall) + "}")
        .statusCode()).isEqualTo(201);
    String expires = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonNode e = JSON.readTree(gw.post("/admin/v1/exceptions", ADMIN, """
        {"scope":"user:bob","team":"research","extra_tokens":%d,"justification":"quarter close","expires_at":"%s"}"""
        .formatted(perCall, expires)).body());
    gw.post("/admin/v1/exceptions/" + e.get("id").asText() + "/approve", ADMIN, "");

    List<HttpResponse<String>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) answers.add(gw.post("/v1/chat/completions", "tg-exception-bob-key-00001", chat("gpt-4o-mini")));
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
    assertThat(gw.row(answers.get(1)).exceptionId()).as("within the budget: no exception needed").isNull();
    assertThat(gw.row(answers.get(2)).exceptionId()).as("the third call ran on the exception").isEqualTo(e.get("id").asText());
  }

  @Test
  void requestsWithoutExpiryOrTooLongOrForNothingAreRefusedWithTheReason() {
    assertThat(gw.post("/admin/v1/exceptions", ADMIN, "{\"scope\":\"user:ana\",\"team\":\"research\",\"justification\":\"x\",\"unlock_tiers\":[\"premium\"]}")
        .body()).contains("'expires_at' is required");
    String far = Instant.now().plus(90, ChronoUnit.DAYS).toString();
    assertThat(gw.post("/admin/v1/exceptions", ADMIN, "{\"scope\":\"user:ana\",\"team\":\"research\",\"justification\":\"x\",\"unlock_tiers\":[\"premium\"],\"expires_at\":\"" + far + "\"}")
        .body()).contains("at most 30 days");
    String soon = Instant.now().plus(1, ChronoUnit.DAYS).toString();
    assertThat(gw.post("/admin/v1/exceptions", ADMIN, "{\"scope\":\"user:ana\",\"team\":\"research\",\"justification\":\"x\",\"expires_at\":\"" + soon + "\"}")
        .body()).contains("ask for something");
  }

  static BudgetException exception(Instant start, Instant end, ExceptionState status) {
    return new BudgetException("exc_1", "ana", "why", BudgetScope.parse("user:ana"), "research", null, List.of("premium"), List.of(),
        0, Money.ofUsd("300"), start, end, status, null, null, null, start, null, List.of());
  }

  @ParameterizedTest(name = "{0} at {1} is {2}")
  @CsvSource({
      "approved,  2026-11-30T23:59:59.999Z, active",
      "approved,  2026-12-01T00:00:00Z,     expired",
      "approved,  2026-11-09T23:59:59Z,     approved",
      "requested, 2026-11-20T00:00:00Z,     requested",
      "denied,    2026-11-20T00:00:00Z,     denied",
      "revoked,   2026-11-20T00:00:00Z,     revoked"})
  void theStateFollowsTheClockExactlyAtTheBoundaries(String stored, Instant at, String expected) {
    BudgetException e = exception(Instant.parse("2026-11-10T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), ExceptionState.fromWire(stored));
    assertThat(e.stateAt(at).wire()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} of {1} may approve $300: {2}")
  @CsvSource({
      "admin,     '',       true",
      "finance,   '',       true",
      "team-lead, research, false",
      "team-lead, support,  false",
      "member,    research, false",
      "auditor,   '',       false"})
  void approversFollowThePolicy(String role, String team, boolean allowed) {
    var policy = new dev.tollgate.domain.exception.ApprovalPolicy(java.time.Duration.ofDays(30), List.of(
        new dev.tollgate.domain.exception.ApprovalPolicy.Approver("team-lead", Money.ofUsd("200")),
        new dev.tollgate.domain.exception.ApprovalPolicy.Approver("finance", null)));
    BudgetException e = exception(Instant.parse("2026-11-10T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), ExceptionState.REQUESTED);
    assertThat(policy.refusal(role, team.isEmpty() ? List.of() : List.of(team), e) == null).isEqualTo(allowed);
    BudgetException small = new BudgetException("exc_2", "ana", "why", e.scope(), "research", null, List.of(), List.of(), 0,
        Money.ofUsd("150"), e.startsAt(), e.expiresAt(), ExceptionState.REQUESTED, null, null, null, e.createdAt(), null, List.of());
    if (role.equals("team-lead")) assertThat(policy.refusal(role, List.of(team), small) == null).isEqualTo(team.equals("research"));
  }
}
