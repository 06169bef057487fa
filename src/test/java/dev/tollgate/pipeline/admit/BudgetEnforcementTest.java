package dev.tollgate.pipeline.admit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets as runtime controls, through the real server: exact hard caps, rate limits, soft actions, refusals. */
class BudgetEnforcementTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        org: { name: acme, time_zone: Europe/Berlin }
        providers:
          sim: { type: simulator, output_tokens: 10 }
          slow: { type: simulator, ttft: 20ms, tokens_per_second: 5, output_tokens: 50 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
          gpt-4o: { provider: sim, tier: standard }
          slow-model: { provider: slow, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        keys:
          - { name: probe, secret: tg-budget-probe-000000001 }
          - { name: capped, secret: tg-budget-capped-00000001 }
          - { name: counted, secret: tg-budget-counted-0000001 }
          - { name: limited, secret: tg-budget-limited-0000001 }
          - { name: percall, secret: tg-budget-percall-0000001 }
          - { name: soft, secret: tg-budget-soft-00000000001 }
          - { name: dg, secret: tg-budget-downgrade-000001 }
          - { name: approval, secret: tg-budget-approval-000001 }
          - { name: streamer, secret: tg-budget-streamer-000001 }
        budgets:
          - { scope: "key:counted", window: day, requests: 100 }
          - { scope: "key:limited", window: minute, requests: 3 }
          - { scope: "key:percall", window: request, output_tokens: 100 }
          - { scope: "key:soft", window: day, requests: 4, warn_at: [0.5, 1.0], on_exceed: notify }
          - { scope: "key:dg", window: day, requests: 1, on_exceed: downgrade }
          - { scope: "key:approval", window: day, requests: 1, on_exceed: require_approval }
          - { scope: "key:streamer", window: month, usd: 1000 }
        """, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static String chat(String model, int maxTokens) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Classify this ticket: printer on fire\"}]}";
  }

  static List<HttpResponse<String>> burst(int n, String key, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return gw.post("/v1/chat/completions", key, body);
        }));
      }
      go.countDown();
      List<HttpResponse<String>> out = new ArrayList<>();
      for (Future<HttpResponse<String>> f : futures) out.add(f.get());
      return out;
    } finally {
      pool.shutdown();
    }
  }

  static JsonNode error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  @Test
  void aHardUsdCapAdmitsExactlyTheRequestsThatFitUnderConcurrency() throws Exception {
    // With max_tokens equal to the simulator's output, the reserved worst case is exactly the real cost.
    HttpResponse<String> probe = gw.post("/v1/chat/completions", "tg-budget-probe-000000001", chat("gpt-4o-mini", 10));
    Money oneCall = gw.row(probe).cost();
    assertThat(oneCall.nanos()).isPositive();
    BigDecimal limit = oneCall.toUsd().multiply(BigDecimal.valueOf(100));
    HttpResponse<String> made = gw.post("/admin/v1/budgets", ADMIN,
        "{\"scope\":\"key:capped\",\"window\":\"month\",\"usd\":" + limit.toPlainString() + "}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);

    List<HttpResponse<String>> answers = burst(500, "tg-budget-capped-00000001", chat("gpt-4o-mini", 10));

    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(100);
    assertThat(answers.stream().filter(r -> r.statusCode() == 429)).hasSize(400)
        .allSatisfy(r -> assertThat(error(r).get("code").asText()).isEqualTo("budget_exceeded"));
    List<UsageRecord> rows = gw.ledger().stream().filter(r -> "capped".equals(r.keyName())).toList();
    assertThat(rows.stream().filter(r -> r.status() == RequestStatus.OK)).hasSize(100);
    assertThat(rows.stream().filter(r -> r.status() == RequestStatus.BLOCKED)).hasSize(400);
    Money spent = rows.stream().map(UsageRecord::cost).reduce(Money.ZERO, Money::plus);
    assertThat(spent.toUsd()).as("no overshoot").isLessThanOrEqualTo(limit).isEqualByComparingTo(limit);
    assertThat(gw.gateway().counters().activeReservations(Instant.now())).as("nothing left reserved").isZero();

    JsonNode status = statusOf(JSON.readTree(made.body()).get("id").asText());
    assertThat(status.get("used").decimalValue()).isEqualByComparingTo(limit);
    assertThat(status.get("reserved").decimalValue()).isEqualByComparingTo("0");
  }

  @Test
  void aHardRequestCapHoldsExactlyAndTheRefusalSaysWhyAndWhatToDo() throws Exception {
    List<HttpResponse<String>> answers = burst(150, "tg-budget-counted-0000001", chat("gpt-4o", 10));
    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(100);

    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode err = error(refused);
    assertThat(err.get("code").asText()).isEqualTo("budget_exceeded");
    assertThat(err.get("budget_id").asText()).isEqualTo("cfg:key:counted:day:requests");
    assertThat(err.get("scope").asText()).isEqualTo("key:counted");
    assertThat(err.get("window").asText()).isEqualTo("day");
    assertThat(err.get("limit").asLong()).isEqualTo(100);
    assertThat(err.get("used").asLong() + err.get("reserved").asLong()).isEqualTo(100);
    // Days are the org's: Europe/Berlin midnight is 23:00 or 22:00 UTC.
    assertThat(Instant.parse(err.get("resets_at").asText()).atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime())
        .isEqualTo(java.time.LocalTime.MIDNIGHT);
    assertThat(err.get("message").asText())
        .contains("the daily request budget of key:counted")
        .contains("100 requests")
        .contains("It resets at " + err.get("resets_at").asText())
        .contains("ask an admin or your team lead to raise it (budget id cfg:key:counted:day:requests)")
        .contains("or use a cheaper model your key may use: gpt-4o-mini")
        .contains("request a time-limited exception with POST /admin/v1/exceptions");
    assertThat(refused.headers().firstValue("x-tollgate-error-code")).hasValue("budget_exceeded");
  }

  @Test
  void aPerMinuteRateLimitAnswers429WithRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) assertThat(gw.post("/v1/chat/completions", "tg-budget-limited-0000001", chat("gpt-4o-mini", 10)).statusCode()).isEqualTo(200);
    HttpResponse<String> fourth = gw.post("/v1/chat/completions", "tg-budget-limited-0000001", chat("gpt-4o-mini", 10));
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(error(fourth).get("code").asText()).isEqualTo("rate_limit_exceeded");
    long retryAfter = Long.parseLong(fourth.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
  }

  @Test
  void aPerRequestCapRefusesOnlyTheCallsThatCouldExceedIt() throws Exception {
    HttpResponse<String> big = gw.post("/v1/chat/completions", "tg-budget-percall-0000001", chat("gpt-4o-mini", 500));
    assertThat(big.statusCode()).isEqualTo(429);
    assertThat(error(big).get("message").asText()).contains("up to 500 output tokens").contains("Set a lower max_tokens");
    assertThat(gw.post("/v1/chat/completions", "tg-budget-percall-0000001", chat("gpt-4o-mini", 50)).statusCode()).isEqualTo(200);
  }

  @Test
  void aSoftBudgetLetsRequestsThroughAndWarnsOncePerThreshold() throws Exception {
    for (int i = 0; i < 6; i++) assertThat(gw.post("/v1/chat/completions", "tg-budget-soft-00000000001", chat("gpt-4o-mini", 10)).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      JsonNode notes = JSON.readTree(gw.get("/admin/v1/budgets/notifications", ADMIN).body()).get("data");
      List<String> mine = new ArrayList<>();
      notes.forEach(n -> {
        if (n.get("budget_id").asText().equals("cfg:key:soft:day:requests")) mine.add(n.get("threshold").asText());
      });
      assertThat(mine).containsExactlyInAnyOrder("0.5", "1.0");
    });
  }

  @Test
  void aDowngradeBudgetMovesTheRequestToACheaperModelOpenly() throws Exception {
    HttpResponse<String> first = gw.post("/v1/chat/completions", "tg-budget-downgrade-000001", chat("gpt-4o", 10));
    assertThat(gw.row(first).servedModel()).isEqualTo("gpt-4o");
    HttpResponse<String> second = gw.post("/v1/chat/completions", "tg-budget-downgrade-000001", chat("gpt-4o", 10));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-tollgate-routed-model")).hasValue("gpt-4o-mini");
    UsageRecord row = gw.row(second);
    assertThat(row.requestedModel()).isEqualTo("gpt-4o");
    assertThat(row.servedModel()).isEqualTo("gpt-4o-mini");
    assertThat(row.routeReason()).isEqualTo("budget_downgrade");
  }

  @Test
  void aRequireApprovalBudgetAnswers403WithTheWayToAskForMore() throws Exception {
    assertThat(gw.post("/v1/chat/completions", "tg-budget-approval-000001", chat("gpt-4o-mini", 10)).statusCode()).isEqualTo(200);
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-budget-approval-000001", chat("gpt-4o-mini", 10));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("approval_required");
    assertThat(error(r).get("message").asText()).contains("needs approval").contains("cfg:key:approval:day:requests");
  }

  @Test
  void successfulAnswersCarryTheHeadroomOfTheTightestBudget() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-budget-streamer-000001", chat("gpt-4o-mini", 10));
    assertThat(r.statusCode()).isEqualTo(200);
    BigDecimal left = new BigDecimal(r.headers().firstValue("x-tollgate-budget-remaining-usd").orElseThrow());
    assertThat(left).isLessThan(new BigDecimal("1000")).isGreaterThan(new BigDecimal("999.99"));
  }

  @Test
  void clientsThatDisconnectMidStreamLeaveNoHoldBehind() throws Exception {
    int n = 20;
    String body = "{\"model\":\"slow-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"tell me a long story\"}]}";
    List<InputStream> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
          .header("authorization", "Bearer tg-budget-streamer-000001").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<InputStream> r = gw.http().send(req, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      r.body().read(new byte[64]); // the stream has started
      open.add(r.body());
    }
    for (InputStream in : open) in.close();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(gw.ledger().stream().filter(r -> "slow-model".equals(r.requestedModel()))).hasSize(n);
      assertThat(gw.gateway().counters().activeReservations(Instant.now())).isZero();
    });
    assertThat(gw.ledger().stream().filter(r -> "slow-model".equals(r.requestedModel())))
        .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("client_disconnected"));
  }

  @Test
  void aSalaryTemplateBecomesAMonthlyBudgetWithAReviewDate() throws Exception {
    HttpResponse<String> r = gw.post("/admin/v1/budgets/from-template", ADMIN,
        "{\"team\":\"research\",\"headcount\":12,\"annual_salary_usd\":85000,\"share\":0.03,\"since\":\"2026-11-01\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode b = JSON.readTree(r.body());
    assertThat(b.get("scope").asText()).isEqualTo("team:research");
    assertThat(b.get("window").asText()).isEqualTo("month");
    assertThat(b.get("limit").decimalValue()).isEqualByComparingTo("2550");
    assertThat(b.get("review_date").asText()).isEqualTo("2027-11-01");
    assertThat(gw.post("/admin/v1/budgets/from-template", ADMIN, "{\"team\":\"research\",\"headcount\":0}").statusCode()).isEqualTo(400);
  }

  static JsonNode statusOf(String budgetId) throws Exception {
    for (JsonNode n : JSON.readTree(gw.get("/admin/v1/budgets/status", ADMIN).body()).get("data")) {
      if (n.get("budget_id").asText().equals(budgetId)) return n;
    }
    throw new AssertionError("no status for " + budgetId);
  }
}
