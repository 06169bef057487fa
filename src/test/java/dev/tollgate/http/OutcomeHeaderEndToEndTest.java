package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code X-Tollgate-Outcome} through the real gateway and the simulator: a successful request records its
 * outcome, attributed like the request and linked to it, where cost per outcome and ROI find it; a malformed
 * one is refused in the client's own protocol; a failed request records none.
 */
class OutcomeHeaderEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String KEY = "tg-outcome-support-key-1";
  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme, time_zone: UTC }
      providers:
        sim:   { type: simulator, output_tokens: 10 }
        flaky: { type: simulator, error_rate: 1.0, retries: { max: 0 } }
      models:
        helper: { provider: sim, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 2 } }
        broken: { provider: flaky, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 2 } }
      teams:
        support: {}
      keys:
        - { name: support-bot, secret: tg-outcome-support-key-1, team: support, workflow: triage }
      """;
  static final String CHAT = "{\"model\":\"helper\",\"messages\":[{\"role\":\"user\",\"content\":\"Close ticket 42\"}]}";
  static final String PERIOD = "from=2020-01-01&to=2100-01-01";

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

  static JsonNode outcomes(String filter) throws Exception {
    HttpResponse<String> r = gw.get("/admin/v1/outcomes?" + PERIOD + "&" + filter, ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data");
  }

  @Test
  void aSuccessfulRequestRecordsItsOutcomeAttributedLikeTheRequest() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, CHAT, "X-Tollgate-Outcome",
        "type=ticket_resolved; count=2; value=12.50", "X-Tollgate-User", "ana", "X-Tollgate-Agent", "closer");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String requestId = r.headers().firstValue("x-tollgate-request-id").orElseThrow();
    UsageRecord row = gw.row(r);

    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes("agent=closer").size() == 1);
    JsonNode o = outcomes("agent=closer").get(0);
    assertThat(o.get("type").asText()).isEqualTo("ticket_resolved");
    assertThat(o.get("count").asLong()).isEqualTo(2);
    assertThat(o.get("value_usd").decimalValue()).isEqualByComparingTo("12.50");
    assertThat(o.get("request_id").asText()).isEqualTo(requestId);
    assertThat(o.get("team").asText()).isEqualTo("support");
    assertThat(o.get("workflow").asText()).isEqualTo("triage");
    assertThat(o.get("user").asText()).isEqualTo("ana");
    assertThat(o.get("key").asText()).isEqualTo("support-bot");
    assertThat(o.get("at").asText()).isEqualTo(row.startedAt().toString());
  }

  @Test
  void costPerOutcomeAndRoiPickItUp() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, CHAT, "X-Tollgate-Outcome", "type=deal_closed; value=1000",
        "X-Tollgate-Workflow", "sales-assist");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes("workflow=sales-assist").size() == 1);
    gw.gateway().storage().ledgerWriter().flush();

    HttpResponse<String> roi = gw.get("/admin/v1/reports/roi?" + PERIOD, ADMIN);
    assertThat(roi.statusCode()).as(roi.body()).isEqualTo(200);
    JsonNode sales = null;
    for (JsonNode w : JSON.readTree(roi.body()).get("rows")) if (w.get("workflow").asText().equals("sales-assist")) sales = w;
    assertThat(sales).as(roi.body()).isNotNull();
    BigDecimal cost = gw.row(r).cost().toUsd();
    assertThat(sales.get("cost_usd").decimalValue()).isEqualByComparingTo(cost);
    assertThat(sales.at("/outcomes/0/type").asText()).isEqualTo("deal_closed");
    assertThat(sales.at("/outcomes/0/count").asLong()).isEqualTo(1);
    assertThat(sales.at("/outcomes/0/cost_per_outcome_usd").decimalValue()).isEqualByComparingTo(cost);
    assertThat(sales.get("value_usd").decimalValue()).isEqualByComparingTo("1000");
  }

  @Test
  void theBodysMetadataOutcomeIsAcceptedWhenNoHeaderIsSent() throws Exception {
    String body = "{\"model\":\"helper\",\"metadata\":{\"outcome\":\"type=lead_qualified\",\"workflow\":\"leads\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Qualify this lead\"}]}";
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes("workflow=leads").size() == 1);
    JsonNode o = outcomes("workflow=leads").get(0);
    assertThat(o.get("type").asText()).isEqualTo("lead_qualified");
    assertThat(o.get("count").asLong()).isEqualTo(1);
    assertThat(o.get("value_usd").decimalValue()).isZero();
    assertThat(gw.row(r).attribution().tags()).as("not a tag").doesNotContainKey("outcome");
  }

  @Test
  void aMalformedOutcomeIsRefusedInTheOpenAiShape() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, CHAT, "X-Tollgate-Outcome", "type=ticket_resolved; count=two",
        "X-Tollgate-Workflow", "malformed-openai");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).contains("X-Tollgate-Outcome").contains("count must be a whole number");
    assertThat(gw.row(r).status()).isEqualTo(RequestStatus.BLOCKED);
    assertThat(gw.row(r).cost().isZero()).isTrue();
  }

  @Test
  void aMalformedOutcomeIsRefusedInTheAnthropicShape() throws Exception {
    String body = "{\"model\":\"helper\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Close ticket 43\"}]}";
    HttpResponse<String> r = gw.post("/v1/messages", KEY, body, "X-Tollgate-Outcome", "count=1", "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode json = JSON.readTree(r.body());
    assertThat(json.get("type").asText()).isEqualTo("error");
    assertThat(json.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(json.at("/error/message").asText()).contains("type is required");
  }

  @Test
  void aFailedRequestRecordsNoOutcome() throws Exception {
    String body = "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"Close ticket 44\"}]}";
    HttpResponse<String> failed = gw.post("/v1/chat/completions", KEY, body, "X-Tollgate-Outcome", "type=ticket_resolved",
        "X-Tollgate-Workflow", "failing");
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(gw.row(failed).status()).isEqualTo(RequestStatus.ERROR);
    // a later success of another workflow is recorded: by then the failed one would have been too
    HttpResponse<String> ok = gw.post("/v1/chat/completions", KEY, CHAT, "X-Tollgate-Outcome", "type=ticket_resolved",
        "X-Tollgate-Workflow", "after-failure");
    assertThat(ok.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes("workflow=after-failure").size() == 1);
    assertThat(outcomes("workflow=failing")).isEmpty();
  }
}
