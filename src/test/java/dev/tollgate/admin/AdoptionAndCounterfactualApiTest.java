package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.Efficiency;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counterfactual and adoption reports through the real server, on a seeded November: two teams,
 * three people, registered workflows, streaming, templates, prompt caching, reasoning and a cache hit.
 */
class AdoptionAndCounterfactualApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme, time_zone: UTC }
      providers:
        sim: { type: simulator }
      models:
        mini:  { provider: sim, tier: economy, price: { input_per_mtok: 1, cached_input_per_mtok: 0.5, output_per_mtok: 2 } }
        big:   { provider: sim, tier: premium, price: { input_per_mtok: 10, output_per_mtok: 30 } }
      workload_classes:
        chat: { pii: allow }
        premium-only: { allow: [ "tier:premium" ] }
      teams:
        support: {}
        research: {}
      keys:
        - { name: support-bot, secret: tg-adoption-support-key1, team: support }
      """;
  static final String PERIOD = "from=2026-11-01&to=2026-12-01";

  @TempDir static Path dir;
  static TestGateway gw;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
  static final List<UsageRecord> seeded = new ArrayList<>();
  static int seq;

  /** big: 1,000 in and 1,000 out = $0.04; on mini = $0.003. */
  static final TokenUsage THOUSANDS = TokenUsage.of(1000, 1000);

  @BeforeAll
  static void start() {
    gw = TestGateway.start(TestGateway.parse(YAML, Map.of("DIR", dir.toString()), dir), clock);
    // support: ana streams twice on big in one conversation, then uses a template with prompt caching on mini
    seed("2026-11-02T09:00:00Z", "support", "ana", "triage", "chat", "big", THOUSANDS, 40_000_000L, true, "c1", null, false, RequestStatus.OK);
    seed("2026-11-02T09:05:00Z", "support", "ana", "triage", "chat", "big", THOUSANDS, 40_000_000L, false, "c1", null, false, RequestStatus.OK);
    seed("2026-11-20T10:00:00Z", "support", "ana", "triage", "chat", "mini", new TokenUsage(2000, 500, 0, 100, 0), 1_950_000L,
        false, null, "ticket-summary", false, RequestStatus.OK);
    // bo uses ana's workflow with a reasoning model, in a class that allows only premium models; then fails once
    seed("2026-11-20T11:00:00Z", "support", "bo", "triage", "premium-only", "big", new TokenUsage(1000, 0, 0, 1000, 200),
        40_000_000L, false, null, null, false, RequestStatus.OK);
    seed("2026-11-21T11:00:00Z", "support", "bo", "triage", "chat", "big", THOUSANDS, 0, false, null, null, false, RequestStatus.ERROR);
    // a request of support that names no user, no class
    seed("2026-11-05T08:00:00Z", "support", null, null, null, "mini", THOUSANDS, 3_000_000L, false, null, null, false, RequestStatus.OK);
    // research: cy's cache hit on their own workflow
    seed("2026-11-25T12:00:00Z", "research", "cy", "scan", "chat", "mini", TokenUsage.NONE, 0, false, null, null, true, RequestStatus.OK);
    // October: outside the period
    seed("2026-10-25T12:00:00Z", "support", "dee", "triage", "chat", "big", THOUSANDS, 40_000_000L, false, null, null, false, RequestStatus.OK);
    gw.gateway().storage().ledgerWriter().flush();
    register("triage", "ana", "support");
    register("digest", "bo", "support");
    register("scan", "cy", "research");
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static void seed(String at, String team, String user, String workflow, String cls, String model, TokenUsage usage, long nanos,
      boolean stream, String conversation, String template, boolean hit, RequestStatus status) {
    Instant t = Instant.parse(at);
    Attribution a = new Attribution("acme", team, null, workflow, null, user, null, conversation, cls, Map.of());
    UsageRecord r = new UsageRecord("seed-" + (++seq), t, t.plusMillis(200), "support-bot", a, "simulator", model, model,
        model.equals("big") ? "premium" : "economy", "requested", usage, Money.ofNanos(nanos), status,
        status == RequestStatus.ERROR ? "upstream_error" : null, 200, null, null, hit, false, stream, status == RequestStatus.OK ? 200 : 502,
        "header", Map.of(), hit ? 0 : 1, new Efficiency(Money.ZERO, template, null, null, null));
    gw.gateway().storage().ledgerWriter().append(r);
    seeded.add(r);
  }

  static void register(String name, String owner, String team) {
    HttpResponse<String> r = gw.post("/admin/v1/workflows", ADMIN,
        "{\"name\":\"" + name + "\",\"owner\":\"" + owner + "\",\"team\":\"" + team + "\",\"stage\":\"production\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  static JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> r = gw.get(path, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static BigDecimal novemberCost(String team) {
    return seeded.stream().filter(r -> r.startedAt().isAfter(Instant.parse("2026-11-01T00:00:00Z")))
        .filter(r -> team == null || team.equals(r.attribution().team())).map(UsageRecord::cost).reduce(Money.ZERO, Money::plus).toUsd();
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) if (value.equals(n.path(field).asText())) return n;
    throw new AssertionError(field + "=" + value + " not in " + array);
  }

  // ---- counterfactual

  @Test
  void theCounterfactualByTeamReconcilesWithTheLedger() throws Exception {
    JsonNode c = get("/admin/v1/reports/counterfactual?" + PERIOD + "&group_by=team", ADMIN);

    assertThat(c.get("ledger_usd").decimalValue()).isEqualByComparingTo(novemberCost(null));
    assertThat(c.at("/total/actual_usd").decimalValue()).isEqualByComparingTo(novemberCost(null));
    assertThat(c.get("reconciles").asBoolean()).isTrue();
    JsonNode support = find(c.get("data"), "team", "support");
    // ana's two calls on big would have cost $0.003 each on mini; bo's premium-only call stays on big;
    // ana's mini call and the classless one stay as they are; the failed call cost nothing
    assertThat(support.get("difference_usd").decimalValue()).isEqualByComparingTo("0.074");
    assertThat(support.get("counterfactual_usd").decimalValue())
        .isEqualByComparingTo(novemberCost("support").subtract(new BigDecimal("0.074")));
    assertThat(support.at("/cheapest_models/mini").asLong()).isEqualTo(3);
    assertThat(support.at("/cheapest_models/big").asLong()).isEqualTo(1);
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode line : c.get("data")) sum = sum.add(line.get("counterfactual_usd").decimalValue());
    assertThat(sum).isEqualByComparingTo(c.at("/total/counterfactual_usd").decimalValue());
  }

  @Test
  void theCounterfactualGroupsByAnyDimensionAndFilters() throws Exception {
    JsonNode byUserAndModel = get("/admin/v1/reports/counterfactual?" + PERIOD + "&group_by=user,model&team=support", ADMIN);
    JsonNode anaOnBig = null;
    for (JsonNode l : byUserAndModel.get("data")) {
      if ("ana".equals(l.path("user").asText()) && "big".equals(l.path("model").asText())) anaOnBig = l;
    }
    assertThat(anaOnBig).as(byUserAndModel.toString()).isNotNull();
    assertThat(anaOnBig.get("requests").asLong()).isEqualTo(2);
    assertThat(anaOnBig.get("actual_usd").decimalValue()).isEqualByComparingTo("0.08");
    assertThat(anaOnBig.get("counterfactual_usd").decimalValue()).isEqualByComparingTo("0.006");
    assertThat(byUserAndModel.at("/total/actual_usd").decimalValue()).isEqualByComparingTo(novemberCost("support"));
    assertThat(byUserAndModel.get("data").get(0).get("user").asText()).as("largest difference first").isEqualTo("ana");
  }

  @Test
  void theCounterfactualComesAsCsvWithATotalLine() {
    HttpResponse<String> r = gw.get("/admin/v1/reports/counterfactual?" + PERIOD + "&group_by=workload_class&format=csv", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
    List<String> lines = r.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("workload_class,requests,repriced_requests,actual_usd,counterfactual_usd,difference_usd");
    assertThat(lines).contains("chat,5,3,0.08195,0.00795,0.074");
    assertThat(lines.get(lines.size() - 1)).startsWith("TOTAL,7,");
  }

  @Test
  void aTeamLeadAndAMemberSeeOnlyTheirOwn() throws Exception {
    String lead = AdminTestSupport.token(gw, "{\"name\":\"lead\",\"role\":\"team-lead\",\"teams\":[\"research\"]}");
    JsonNode c = get("/admin/v1/reports/counterfactual?" + PERIOD, lead);
    assertThat(c.at("/filters/team").asText()).isEqualTo("research");
    assertThat(c.at("/total/requests").asLong()).isEqualTo(1);
    assertThat(gw.get("/admin/v1/reports/counterfactual?" + PERIOD + "&team=support", lead).statusCode()).isEqualTo(403);

    String member = AdminTestSupport.token(gw, "{\"name\":\"bo\",\"role\":\"member\",\"user\":\"bo\"}");
    JsonNode mine = get("/admin/v1/reports/counterfactual?" + PERIOD + "&group_by=user", member);
    assertThat(mine.get("data")).singleElement().satisfies(l -> assertThat(l.get("user").asText()).isEqualTo("bo"));
    assertThat(mine.at("/total/requests").asLong()).isEqualTo(2);

    JsonNode adoption = get("/admin/v1/reports/adoption?" + PERIOD, lead);
    assertThat(adoption.get("team").asText()).isEqualTo("research");
    assertThat(adoption.get("teams")).singleElement().satisfies(t -> assertThat(t.get("team").asText()).isEqualTo("research"));
    assertThat(gw.get("/admin/v1/reports/adoption?" + PERIOD, member).statusCode()).isEqualTo(403);
  }

  @Test
  void badCounterfactualParametersAreRefused() {
    assertThat(gw.get("/admin/v1/reports/counterfactual?group_by=colour", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/counterfactual?format=xml", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/adoption?from=2026-12-01&to=2026-11-01", ADMIN).statusCode()).isEqualTo(400);
  }

  // ---- adoption

  @Test
  void activeUsersAreCountedPerDayWeekAndMonth() throws Exception {
    JsonNode a = get("/admin/v1/reports/adoption?" + PERIOD, ADMIN);
    JsonNode total = a.get("total");
    assertThat(total.get("active_users").asLong()).as("ana, bo, cy; dee was active in October only").isEqualTo(3);
    // Nov 2: ana; Nov 20: ana and bo; Nov 25: cy — 4 user-days over 30 days
    assertThat(total.get("daily_active_avg").decimalValue()).isEqualByComparingTo("0.13");
    assertThat(total.get("weekly_active").asLong()).as("Nov 24 – Dec 1: cy").isEqualTo(1);
    assertThat(total.get("monthly_active").asLong()).isEqualTo(3);
    assertThat(find(a.get("daily_active"), "day", "2026-11-20").get("users").asLong()).isEqualTo(2);
    assertThat(a.get("daily_active")).hasSize(30);
    assertThat(total.get("cost_usd").decimalValue()).isEqualByComparingTo(novemberCost(null));
  }

  @Test
  void aTeamsDepthFeaturesAndSpendAreWhatItsRowsSay() throws Exception {
    JsonNode support = find(get("/admin/v1/reports/adoption?" + PERIOD, ADMIN).get("teams"), "team", "support");
    assertThat(support.get("active_users").asLong()).isEqualTo(2);
    assertThat(support.get("requests").asLong()).as("every row, the failed and the userless one too").isEqualTo(6);
    assertThat(support.get("active_requests").asLong()).isEqualTo(4);
    assertThat(support.get("requests_per_active_user").decimalValue()).isEqualByComparingTo("2.00");
    // successful requests' prompt tokens: 1000 + 1000 + 2000 + 1000 + 1000 (the userless one) over 5
    assertThat(support.get("mean_prompt_tokens").decimalValue()).isEqualByComparingTo("1200");
    assertThat(support.get("conversations").asLong()).isEqualTo(1);
    assertThat(support.get("requests_per_conversation").decimalValue()).isEqualByComparingTo("2");
    assertThat(support.at("/features/streaming/requests").asLong()).isEqualTo(1);
    assertThat(support.at("/features/templates/users").asLong()).isEqualTo(1);
    assertThat(support.at("/features/prompt_caching/requests").asLong()).isEqualTo(1);
    assertThat(support.at("/features/reasoning/users").asLong()).isEqualTo(1);
    assertThat(support.at("/features/response_cache/requests").asLong()).isZero();
    assertThat(support.get("workflows_built").asLong()).as("triage and digest").isEqualTo(2);
    assertThat(support.get("workflows_shared").asLong()).as("triage, used by bo as well as its owner ana").isEqualTo(1);
    assertThat(support.get("cost_usd").decimalValue()).isEqualByComparingTo(novemberCost("support"));
    assertThat(support.get("cost_per_active_user_usd").decimalValue())
        .isEqualByComparingTo(novemberCost("support").divide(BigDecimal.valueOf(2)));

    JsonNode research = find(get("/admin/v1/reports/adoption?" + PERIOD, ADMIN).get("teams"), "team", "research");
    assertThat(research.at("/features/response_cache/users").asLong()).isEqualTo(1);
    assertThat(research.get("workflows_shared").asLong()).as("scan is used by its owner only").isZero();
  }

  @Test
  void eachPersonShowsWhatTheyUsedAndBuilt() throws Exception {
    JsonNode people = get("/admin/v1/reports/adoption?" + PERIOD + "&team=support", ADMIN).get("people");
    assertThat(people).extracting(p -> p.get("user").asText()).containsExactly("ana", "bo");
    JsonNode ana = people.get(0);
    assertThat(ana.get("active_days").asLong()).isEqualTo(2);
    assertThat(ana.get("active_requests").asLong()).isEqualTo(3);
    assertThat(ana.get("teams")).extracting(JsonNode::asText).containsExactly("support");
    assertThat(ana.get("workflows_built").asLong()).isEqualTo(1);
    assertThat(ana.get("workflows_shared").asLong()).isEqualTo(1);
    assertThat(ana.get("cost_usd").decimalValue()).isEqualByComparingTo("0.08195");
    JsonNode bo = people.get(1);
    assertThat(bo.get("requests").asLong()).isEqualTo(2);
    assertThat(bo.get("active_requests").asLong()).isEqualTo(1);
    assertThat(bo.get("workflows_shared").asLong()).as("digest is not used").isZero();
  }
}
