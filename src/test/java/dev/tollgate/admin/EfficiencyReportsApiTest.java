package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The efficiency, prompt-caching and savings reports through the real server, on a ledger made by real
 * calls: a cache miss and hit, a duplicate, a downgrade-free month — reconciled with the ledger to the
 * nano-dollar, and narrowed to a team lead's own team.
 */
class EfficiencyReportsApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String SUPPORT = "tg-efficiency-support-01";
  static final String RESEARCH = "tg-efficiency-research-1";
  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme, time_zone: UTC }
      providers:
        fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
      models:
        ok-model:  { provider: fake, upstream: ok, tier: economy,
                     price: { input_per_mtok: 2.50, cached_input_per_mtok: 1.25, output_per_mtok: 10 } }
        cheap:     { provider: fake, upstream: cheap-up, tier: economy, price: { input_per_mtok: 0.10, output_per_mtok: 0.20 } }
      workload_classes:
        cached: { cache: { ttl_s: 600 } }
        plain:  { pii: allow }
      teams:
        support: {}
        research: {}
      keys:
        - { name: support-bot, secret: tg-efficiency-support-01, team: support, workflow: triage }
        - { name: research-bot, secret: tg-efficiency-research-1, team: research, workflow: scan }
      """;

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gw = TestGateway.start(TestGateway.parse(YAML, Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir), clock);
    String prompt = "{\"model\":\"ok-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
    call(SUPPORT, "cached", prompt);                // miss
    call(SUPPORT, "cached", prompt);                // hit
    String dup = "{\"model\":\"ok-model\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":\"Same question\"}]}";
    call(SUPPORT, "plain", dup);
    call(SUPPORT, "plain", dup);                    // a duplicate, not cached
    call(RESEARCH, "plain", "{\"model\":\"ok-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Market scan\"}]}");
    gw.gateway().storage().ledgerWriter().flush(); // the reports read the database: every row must be in it
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static void call(String key, String cls, String body) {
    HttpResponse<String> r = gw.post("/v1/chat/completions", key, body, "X-Tollgate-Workload-Class", cls);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> r = gw.get(path, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static BigDecimal usd(Money m) {
    return m.toUsd();
  }

  @Test
  void savingsReconcileWithTheLedgerToTheNanoDollar() throws Exception {
    List<UsageRecord> ledger = gw.ledger();
    Money spent = ledger.stream().map(UsageRecord::cost).reduce(Money.ZERO, Money::plus);
    Money saved = ledger.stream().map(r -> r.efficiency().costSaved()).reduce(Money.ZERO, Money::plus);

    JsonNode s = get("/admin/v1/reports/savings?month=2026-11", ADMIN);

    assertThat(s.get("requests").asLong()).isEqualTo(ledger.size());
    assertThat(s.get("spent_usd").decimalValue()).isEqualByComparingTo(usd(spent));
    assertThat(s.at("/cache/hits").asLong()).isEqualTo(1);
    assertThat(s.at("/cache/saved_usd").decimalValue()).isEqualByComparingTo(usd(saved)).isEqualByComparingTo("0.000075");
    assertThat(s.at("/routing/saved_usd").decimalValue()).isZero();
    // ok-model's usage (12 in, 4 cached, 5 out) on cheap: 12 × 0.10 + 5 × 0.20 per million = $0.0000022
    JsonNode triage = s.at("/switching/workflows/0");
    assertThat(triage.get("cheapest_model").asText()).isEqualTo("cheap");
    assertThat(triage.get("saving_usd").decimalValue())
        .isEqualByComparingTo(triage.get("cost_usd").decimalValue().subtract(triage.get("cost_on_cheapest_usd").decimalValue()));
    assertThat(get("/admin/v1/reports/savings?month=2026-10", ADMIN).get("requests").asLong()).as("another month").isZero();
  }

  @Test
  void theEfficiencyReportFindsTheDuplicateAndTheOversizedMaxTokens() throws Exception {
    JsonNode e = get("/admin/v1/reports/efficiency?from=2026-11-01&to=2026-12-01&team=support", ADMIN);
    JsonNode triage = e.at("/data/0");
    assertThat(triage.get("workflow").asText()).isEqualTo("triage");
    assertThat(triage.get("duplicates").asLong()).isEqualTo(1);
    assertThat(triage.get("waste_usd").decimalValue()).isEqualByComparingTo("0.000075");
    assertThat(triage.get("oversized_max_tokens").asLong()).isEqualTo(2);
    assertThat(triage.get("score").asInt()).isBetween(0, 99);
    assertThat(get("/admin/v1/reports/efficiency?by=agent", ADMIN).get("by").asText()).isEqualTo("agent");
  }

  @Test
  void thePromptCachingReportShowsTheProvidersCachedInput() throws Exception {
    JsonNode p = get("/admin/v1/reports/prompt-caching?team=support", ADMIN);
    JsonNode triage = p.at("/data/0");
    assertThat(triage.get("workflow").asText()).isEqualTo("triage");
    assertThat(triage.get("cached_input_tokens").asLong()).isEqualTo(12);  // 3 upstream calls × 4 cached
    // 4 cached tokens × ($2.50 − $1.25) per million, three times
    assertThat(triage.get("saved_usd").decimalValue()).isEqualByComparingTo("0.000015");
  }

  @Test
  void aTeamLeadSeesOnlyTheirTeam() throws Exception {
    String lead = AdminTestSupport.token(gw, "{\"name\":\"lead\",\"role\":\"team-lead\",\"teams\":[\"support\"]}");
    JsonNode s = get("/admin/v1/reports/savings?month=2026-11", lead);
    assertThat(s.get("team").asText()).isEqualTo("support");
    assertThat(s.get("requests").asLong()).isEqualTo(4);
    assertThat(gw.get("/admin/v1/reports/efficiency?team=research", lead).statusCode()).isEqualTo(403);
  }

  @Test
  void badParametersAreRefused() {
    assertThat(gw.get("/admin/v1/reports/savings?month=November", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/efficiency?by=colour", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/prompt-caching?from=2026-12-01&to=2026-11-01", ADMIN).statusCode()).isEqualTo(400);
  }
}
