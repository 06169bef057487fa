package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.report.focus.CsvTable;
import dev.tollgate.report.focus.FocusValidator;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics API through the real server, on a ledger written with known numbers: registry,
 * reports, outcomes and ROI, chargeback, forecast, what-if and the FOCUS export. Every breakdown is
 * checked against the ledger's own total from {@code /admin/v1/usage}, to the nano-dollar. Contracts
 * apply to October only (a gpt-4o-mini deal and a provider minimum nothing draws on), so November is
 * at list price.
 */
class ReportsApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final LocalDate FIRST = LocalDate.of(2026, 9, 1);
  static final long USD = 1_000_000_000L;

  @TempDir static Path dir;
  static TestGateway gw;

  /** Support's triage spend on a day: a weekly pattern, no trend (so the forecast is exact). */
  static long triage(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case SATURDAY, SUNDAY -> USD;
      case MONDAY -> 4 * USD;
      default -> 3 * USD;
    };
  }

  static UsageRecord row(String id, Instant at, String team, String workflow, String agent, long in, long out, long nanos) {
    Attribution a = new Attribution("acme", team, null, workflow, agent, null, null, null, null, Map.of());
    return new UsageRecord(id, at, at.plusMillis(300), "key", a, "simulator", "gpt-4o-mini", "gpt-4o-mini", "economy",
        "requested", new TokenUsage(in, in / 10, 0, out, 0), Money.ofNanos(nanos), RequestStatus.OK, null, 300, null, null,
        false, false, false, 200);
  }

  @BeforeAll
  static void start() {
    var config = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        org: { name: acme, time_zone: UTC }
        providers:
          sim: { type: simulator }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
        teams:
          support: { cost_center: CC-100, budgets: [ { window: month, usd: 60 } ] }
          sales: { cost_center: CC-200 }
          research: {}
        contracts:
          mini-october:
            provider: sim
            model: gpt-4o-mini
            valid_from: 2026-10-01
            valid_until: 2026-11-01
            discount_percent: 20
            commitment_usd_per_month: 150
          sim-minimum:
            provider: sim
            valid_from: 2026-10-01
            valid_until: 2026-11-01
            commitment_usd_per_month: 25
        """, Map.of("DIR", dir.toString()), dir);
    gw = TestGateway.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    var ledger = gw.gateway().storage().ledgerWriter();
    for (LocalDate d = FIRST; !d.isAfter(LocalDate.of(2026, 11, 20)); d = d.plusDays(1)) {
      Instant day = d.atStartOfDay(ZoneOffset.UTC).toInstant();
      boolean today = d.equals(LocalDate.of(2026, 11, 20));
      for (int i = 0; i < 4; i++) { // four calls a day at 01, 07, 13, 19 h; today only those before noon
        if (today && i >= 2) continue;
        ledger.append(row("t" + d + i, day.plusSeconds(3_600 + i * 6 * 3_600L), "support", "triage", "triage-bot", 1_000, 200,
            triage(d) / 4));
      }
      ledger.append(row("k" + d, day.plusSeconds(9 * 3_600), "support", "triage", "kb-search", 3_000, 100, USD / 4));
      boolean november = d.getMonthValue() == 11;
      ledger.append(row("s" + d, day.plusSeconds(10 * 3_600), "sales", "drafts", "kb-search", 1_000, 500,
          november ? 3 * USD / 2 : USD / 2));
      if (november) ledger.append(row("r" + d, day.plusSeconds(11 * 3_600), "research", null, null, 10, 10, USD / 10));
    }
    ledger.append(row("odd1", Instant.parse("2026-11-05T08:00:00Z"), null, null, "kb-search", 1, 1, 7));
    ledger.append(row("odd2", Instant.parse("2026-11-05T08:00:01Z"), null, null, null, 1, 1, 3));
    ledger.flush();
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = gw.get(path, ADMIN);
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static BigDecimal usageTotal(String from, String to) throws Exception {
    return get("/admin/v1/usage?from=" + from + "&to=" + to).at("/totals/cost_usd").decimalValue();
  }

  static BigDecimal dec(JsonNode n) {
    return n.decimalValue();
  }

  @Test
  void theRegistryIsCreatedChangedAndDeletedAndRefusesNonsense() throws Exception {
    HttpResponse<String> created = gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"onboarding\",\"owner\":\"bo\","
        + "\"purpose\":\"welcome mails\",\"kpi\":\"activation rate\",\"expected_value_usd\":\"2500.50\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(created.body()).get("stage").asText()).isEqualTo("experiment");
    assertThat(gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"onboarding\"}").statusCode()).isEqualTo(409);
    assertThat(gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"x\",\"stage\":\"pilot\"}").body()).contains("experiment, production, retired");
    assertThat(gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"x\",\"colour\":\"red\"}").statusCode()).isEqualTo(400);
    assertThat(gw.post("/admin/v1/workflows", ADMIN, "{\"owner\":\"x\"}").statusCode()).isEqualTo(400);

    HttpResponse<String> changed = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/admin/v1/workflows/onboarding"))
        .header("authorization", "Bearer " + ADMIN).PUT(HttpRequest.BodyPublishers.ofString("{\"stage\":\"retired\"}")).build());
    assertThat(changed.statusCode()).isEqualTo(200);
    JsonNode w = JSON.readTree(changed.body());
    assertThat(w.get("stage").asText()).isEqualTo("retired");
    assertThat(dec(w.get("expected_value_usd"))).isEqualByComparingTo("2500.5");
    assertThat(get("/admin/v1/workflows/onboarding").get("owner").asText()).isEqualTo("bo");
    HttpResponse<String> deleted = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/admin/v1/workflows/onboarding"))
        .header("authorization", "Bearer " + ADMIN).DELETE().build());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(gw.get("/admin/v1/workflows/onboarding", ADMIN).statusCode()).isEqualTo(404);
  }

  static void registerTriage() {
    gw.post("/admin/v1/workflows", ADMIN, "{\"name\":\"triage\",\"owner\":\"ana\",\"purpose\":\"route tickets\","
        + "\"kpi\":\"tickets resolved\",\"expected_value_usd\":5000,\"stage\":\"production\",\"team\":\"support\"}");
  }

  @Test
  void trafficOfUnregisteredWorkflowsIsReportedAsSuchAndTheSplitReconciles() throws Exception {
    registerTriage();
    JsonNode r = get("/admin/v1/reports/workflows?from=2026-11-01&to=2026-12-01");
    JsonNode triage = null;
    JsonNode drafts = null;
    for (JsonNode row : r.get("rows")) {
      if (row.get("workflow").asText().equals("triage")) triage = row;
      if (row.get("workflow").asText().equals("drafts")) drafts = row;
    }
    assertThat(triage.get("registered").asBoolean()).isTrue();
    assertThat(triage.get("stage").asText()).isEqualTo("production");
    assertThat(drafts.get("registered").asBoolean()).isFalse();
    assertThat(drafts.get("note").asText()).contains("unregistered");
    JsonNode t = r.get("totals");
    assertThat(dec(t.get("registered_usd")).add(dec(t.get("unregistered_usd"))).add(dec(t.get("no_workflow_usd"))))
        .isEqualByComparingTo(dec(t.get("total_usd")))
        .isEqualByComparingTo(usageTotal("2026-11-01", "2026-12-01"));
    assertThat(dec(t.get("no_workflow_usd"))).isEqualByComparingTo("2.000000010"); // research 20 × 0.1 + 7 + 3 nanos
  }

  @Test
  void topNShowsTheLargestAndTheRestSoEveryRowAddsUpToTheLedger() throws Exception {
    registerTriage();
    JsonNode r = get("/admin/v1/reports/top?dimension=workflow&n=1&from=2026-11-01&to=2026-12-01");
    assertThat(r.get("rows")).hasSize(1);
    assertThat(r.at("/rows/0/value").asText()).isEqualTo("triage");
    assertThat(r.at("/rows/0/registered").asBoolean()).isTrue();
    assertThat(r.at("/others/values").asInt()).isEqualTo(2);
    assertThat(dec(r.at("/rows/0/cost_usd")).add(dec(r.at("/others/cost_usd")))).isEqualByComparingTo(dec(r.at("/total/cost_usd")))
        .isEqualByComparingTo(usageTotal("2026-11-01", "2026-12-01"));
    JsonNode byTeam = get("/admin/v1/reports/top?dimension=team&n=10&metric=requests&from=2026-11-01&to=2026-12-01&agent=kb-search");
    assertThat(byTeam.get("rows")).extracting(n -> n.get("value").isNull() ? null : n.get("value").asText())
        .containsExactlyInAnyOrder("support", "sales", null);
    assertThat(gw.get("/admin/v1/reports/top?dimension=department", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void monthOverMonthGrowthAndTheFastestGrowingWorkflows() throws Exception {
    JsonNode october = get("/admin/v1/reports/growth?dimension=team&month=2026-10");
    assertThat(october.get("like_for_like").asBoolean()).isFalse();
    JsonNode sales = october.at("/rows").findParents("value").stream().filter(n -> n.get("value").asText().equals("sales"))
        .findFirst().orElseThrow();
    assertThat(dec(sales.get("current_usd"))).isEqualByComparingTo("15.5");  // 31 × 0.5
    assertThat(dec(sales.get("previous_usd"))).isEqualByComparingTo("15");   // 30 × 0.5
    assertThat(dec(sales.get("change_pct"))).isEqualByComparingTo("3.33");

    JsonNode fastest = get("/admin/v1/reports/fastest-growing?month=2026-11&n=5");
    assertThat(fastest.get("like_for_like").asBoolean()).as("November is in progress: like for like").isTrue();
    assertThat(fastest.at("/current/to").asText()).isEqualTo("2026-11-20T12:00:00Z");
    assertThat(fastest.at("/previous/to").asText()).isEqualTo("2026-10-20T12:00:00Z");
    assertThat(fastest.at("/rows/0/value").asText()).isEqualTo("drafts");
    // 1 Nov – 20 Nov noon: 20 sales rows at 10:00 at $1.50; 1 Oct – 20 Oct noon: 20 at $0.50
    assertThat(dec(fastest.at("/rows/0/change_usd"))).isEqualByComparingTo("20");
    assertThat(fastest.get("rows")).allSatisfy(row -> assertThat(dec(row.get("change_usd"))).isPositive());
  }

  @Test
  void outcomesGiveCostPerOutcomeRoiAndABeforeAfterComparison() throws Exception {
    registerTriage();
    assertThat(gw.post("/admin/v1/outcomes", ADMIN, "{\"type\":\"ticket_resolved\",\"count\":400,\"value_usd\":2000,"
        + "\"workflow\":\"triage\",\"at\":\"2026-10-15T12:00:00Z\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> nov = gw.post("/admin/v1/outcomes", ADMIN, "{\"id\":\"crm-77\",\"type\":\"ticket_resolved\","
        + "\"count\":500,\"value_usd\":2500,\"workflow\":\"triage\",\"team\":\"support\",\"at\":\"2026-11-10T12:00:00Z\"}");
    assertThat(nov.statusCode()).isEqualTo(201);
    assertThat(gw.post("/admin/v1/outcomes", ADMIN, "{\"id\":\"crm-77\",\"type\":\"ticket_resolved\",\"workflow\":\"triage\"}")
        .statusCode()).as("a retried id records nothing twice").isEqualTo(409);
    assertThat(gw.post("/admin/v1/outcomes", ADMIN, "{\"type\":\"deal_closed\"}").body()).contains("workflow");
    assertThat(gw.post("/admin/v1/outcomes", ADMIN, "{\"type\":\"x\",\"workflow\":\"w\",\"count\":0}").statusCode()).isEqualTo(400);
    assertThat(get("/admin/v1/outcomes?from=2026-11-01&to=2026-12-01&workflow=triage").get("data")).hasSize(1);

    JsonNode roi = get("/admin/v1/reports/roi?from=2026-11-01&to=2026-12-01");
    JsonNode triage = roi.get("rows").findParents("workflow").stream().filter(n -> "triage".equals(n.get("workflow").asText()))
        .findFirst().orElseThrow();
    BigDecimal cost = dec(triage.get("cost_usd"));
    assertThat(triage.get("outcome_count").asLong()).isEqualTo(500);
    assertThat(dec(triage.get("cost_per_outcome_usd"))).isEqualByComparingTo(cost.divide(BigDecimal.valueOf(500)));
    assertThat(dec(triage.get("roi"))).isEqualByComparingTo(
        BigDecimal.valueOf(2500).subtract(cost).divide(cost, 4, java.math.RoundingMode.HALF_EVEN));
    assertThat(dec(triage.get("expected_value_usd"))).isEqualByComparingTo("5000");
    assertThat(dec(roi.at("/totals/cost_usd"))).isEqualByComparingTo(usageTotal("2026-11-01", "2026-12-01"));

    JsonNode c = get("/admin/v1/reports/compare?baseline_from=2026-10-01&baseline_to=2026-11-01&from=2026-11-01&to=2026-11-20"
        + "&workflow=triage");
    assertThat(dec(c.at("/baseline/days"))).isEqualByComparingTo("31");
    assertThat(dec(c.at("/after/days"))).isEqualByComparingTo("19");
    assertThat(c.at("/baseline/outcomes").asLong()).isEqualTo(400);
    assertThat(dec(c.at("/baseline/cost_usd"))).isEqualByComparingTo(usageTotal("2026-10-01", "2026-11-01").subtract(new BigDecimal("15.5")));
    assertThat(c.at("/change/cost_per_outcome_pct").isNull()).isFalse();
    assertThat(gw.get("/admin/v1/reports/compare?from=2026-11-01&to=2026-11-20", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theChargebackStatementSplitsTheSharedAgentAndReconcilesExactlyToTheLedger() throws Exception {
    JsonNode s = get("/admin/v1/reports/chargeback?month=2026-11");
    BigDecimal ledger = usageTotal("2026-11-01", "2026-12-01");
    assertThat(dec(s.at("/totals/ledger_usd"))).isEqualByComparingTo(ledger);
    assertThat(dec(s.at("/totals/statement_usd"))).isEqualByComparingTo(ledger);
    assertThat(s.at("/totals/reconciles").asBoolean()).isTrue();
    BigDecimal teams = BigDecimal.ZERO;
    for (JsonNode t : s.get("teams")) teams = teams.add(dec(t.get("total_usd")));
    assertThat(teams).isEqualByComparingTo(ledger);
    BigDecimal centers = BigDecimal.ZERO;
    for (JsonNode c : s.get("cost_centers")) centers = centers.add(dec(c.get("total_usd")));
    assertThat(centers).isEqualByComparingTo(ledger);

    JsonNode kb = s.at("/shared_agents/0");
    assertThat(kb.get("agent").asText()).isEqualTo("kb-search");
    // 20 days × ($0.25 support + $1.50 sales) + 7 nanos with no team, split by tokens 3100 : 1500
    assertThat(dec(kb.get("pool_usd"))).isEqualByComparingTo("35.000000007");
    BigDecimal allocated = BigDecimal.ZERO;
    for (JsonNode a : kb.get("allocations")) allocated = allocated.add(dec(a.get("allocated_usd")));
    assertThat(allocated).isEqualByComparingTo("35.000000007");
    assertThat(kb.at("/allocations/0/team").asText()).isEqualTo("sales");
    assertThat(dec(kb.at("/allocations/0/share_pct"))).isEqualByComparingTo("32.61");

    HttpResponse<String> csv = gw.get("/admin/v1/reports/chargeback?month=2026-11&format=csv", ADMIN);
    assertThat(csv.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
    String[] lines = csv.body().split("\n");
    assertThat(lines[0]).isEqualTo("month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests,effective_usd,savings_usd,"
        + "commitment_shortfall_usd");
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 1; i < lines.length - 1; i++) sum = sum.add(new BigDecimal(lines[i].split(",")[5]));
    assertThat(lines[lines.length - 1]).startsWith("2026-11,,TOTAL,");
    assertThat(new BigDecimal(lines[lines.length - 1].split(",")[5])).isEqualByComparingTo(sum).isEqualByComparingTo(ledger);
    assertThat(csv.body()).contains("2026-11,CC-100,support,").contains("(unattributed)");
    assertThat(gw.get("/admin/v1/reports/chargeback?month=Nov", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void withNoContractInForceTheStatementsEffectiveCostIsItsListCostOnEveryLine() throws Exception {
    JsonNode s = get("/admin/v1/reports/chargeback?month=2026-11");
    assertThat(s.get("contracts")).isEmpty();
    for (JsonNode t : s.get("teams")) {
      assertThat(dec(t.get("effective_usd"))).as("team %s", t.get("team")).isEqualByComparingTo(dec(t.get("total_usd")));
      assertThat(dec(t.get("savings_usd"))).isZero();
      assertThat(dec(t.get("commitment_shortfall_usd"))).isZero();
    }
    for (JsonNode c : s.get("cost_centers")) assertThat(dec(c.get("effective_usd"))).isEqualByComparingTo(dec(c.get("total_usd")));
    for (JsonNode a : s.at("/shared_agents/0/allocations")) {
      assertThat(dec(a.get("effective_usd"))).isEqualByComparingTo(dec(a.get("allocated_usd")));
    }
    BigDecimal ledger = usageTotal("2026-11-01", "2026-12-01");
    JsonNode totals = s.get("totals");
    assertThat(dec(totals.get("effective_usd"))).isEqualByComparingTo(ledger);
    assertThat(dec(totals.get("payable_usd"))).isEqualByComparingTo(ledger);
    assertThat(dec(totals.get("commitment_shortfall_usd"))).isZero();
    assertThat(dec(totals.get("effective_usd")))
        .isEqualByComparingTo(dec(get("/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01").at("/totals/effective_usd")));
    assertThat(totals.get("reconciles").asBoolean()).isTrue();

    String[] lines = gw.get("/admin/v1/reports/chargeback?month=2026-11&format=csv", ADMIN).body().split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      assertThat(new BigDecimal(f[7])).as(lines[i]).isEqualByComparingTo(new BigDecimal(f[5]));
      assertThat(new BigDecimal(f[9])).as(lines[i]).isZero();
    }
  }

  @Test
  void theStatementShowsEffectiveCostUnderTheContractsAndReconcilesToTheEffectiveCostReport() throws Exception {
    JsonNode s = get("/admin/v1/reports/chargeback?month=2026-10");
    JsonNode byTeam = get("/admin/v1/reports/effective-cost?from=2026-10-01&to=2026-11-01&group_by=team");
    JsonNode byAgent = get("/admin/v1/reports/effective-cost?from=2026-10-01&to=2026-11-01&group_by=agent");
    BigDecimal ledger = usageTotal("2026-10-01", "2026-11-01");
    JsonNode totals = s.get("totals");
    JsonNode report = byTeam.get("totals");
    assertThat(s.get("contracts")).extracting(c -> c.get("contract").asText()).containsExactlyInAnyOrder("mini-october", "sim-minimum");

    // the same month, to the nano-dollar: list = the ledger, effective and shortfall = the effective-cost report
    assertThat(dec(totals.get("statement_usd"))).isEqualByComparingTo(ledger).isEqualByComparingTo(dec(report.get("list_usd")));
    assertThat(dec(totals.get("effective_usd"))).isEqualByComparingTo(dec(report.get("effective_usd")))
        .isEqualByComparingTo(dec(totals.get("effective_report_usd")))
        .isEqualByComparingTo(ledger.multiply(new BigDecimal("0.8"))); // 20 % off, all of it drawn from the commitment
    assertThat(dec(totals.get("commitment_shortfall_usd"))).isEqualByComparingTo(dec(report.get("commitment_shortfall_usd")))
        .isEqualByComparingTo(new BigDecimal(150 + 25).subtract(ledger.multiply(new BigDecimal("0.8"))));
    assertThat(dec(totals.get("unallocated_shortfall_usd"))).isEqualByComparingTo(dec(report.get("unallocated_shortfall_usd")))
        .isEqualByComparingTo("25");
    assertThat(dec(s.at("/unallocated_shortfall/commitment_shortfall_usd"))).isEqualByComparingTo("25");
    assertThat(dec(totals.get("payable_usd"))).isEqualByComparingTo(dec(report.get("payable_usd"))).isEqualByComparingTo("175");
    assertThat(dec(totals.get("savings_usd"))).isEqualByComparingTo(dec(report.get("savings_usd")));
    assertThat(totals.get("reconciles").asBoolean()).isTrue();
    assertThat(totals.at("/reconciliation/effective").asBoolean()).isTrue();
    assertThat(totals.at("/reconciliation/shortfall").asBoolean()).isTrue();

    BigDecimal effective = BigDecimal.ZERO;
    BigDecimal shortfall = BigDecimal.ZERO;
    for (JsonNode t : s.get("teams")) {
      effective = effective.add(dec(t.get("effective_usd")));
      shortfall = shortfall.add(dec(t.get("commitment_shortfall_usd")));
      assertThat(dec(t.get("savings_usd"))).isEqualByComparingTo(dec(t.get("total_usd")).subtract(dec(t.get("effective_usd"))));
    }
    assertThat(effective).isEqualByComparingTo(dec(report.get("effective_usd")));
    assertThat(shortfall.add(dec(totals.get("unallocated_shortfall_usd")))).isEqualByComparingTo(dec(report.get("commitment_shortfall_usd")));
    BigDecimal centers = BigDecimal.ZERO;
    for (JsonNode c : s.get("cost_centers")) centers = centers.add(dec(c.get("effective_usd")));
    assertThat(centers).isEqualByComparingTo(effective);

    // kb-search (support and sales) at effective cost: its pool is the report's kb-search group, split by the list shares
    JsonNode kb = s.at("/shared_agents/0");
    assertThat(kb.get("agent").asText()).isEqualTo("kb-search");
    JsonNode kbReport = group(byAgent, "agent", "kb-search");
    assertThat(dec(kb.get("pool_usd"))).isEqualByComparingTo(dec(kbReport.get("list_usd")));
    assertThat(dec(kb.get("effective_usd"))).isEqualByComparingTo(dec(kbReport.get("effective_usd")));
    assertThat(dec(kb.get("commitment_shortfall_usd"))).isEqualByComparingTo(dec(kbReport.get("commitment_shortfall_usd")));
    long usage = 0;
    for (JsonNode a : kb.get("allocations")) usage += a.get("usage").asLong();
    BigDecimal allocated = BigDecimal.ZERO;
    for (JsonNode a : kb.get("allocations")) {
      BigDecimal share = BigDecimal.valueOf(a.get("usage").asLong()).divide(BigDecimal.valueOf(usage), 20, java.math.RoundingMode.HALF_EVEN);
      assertThat(dec(a.get("effective_usd")).subtract(dec(kb.get("effective_usd")).multiply(share)).abs())
          .as("%s's part of the effective pool", a.get("team")).isLessThan(new BigDecimal("0.000000001"));
      allocated = allocated.add(dec(a.get("effective_usd")));
    }
    assertThat(allocated).isEqualByComparingTo(dec(kb.get("effective_usd")));
    // support: triage-bot (its own) at effective cost plus its part of kb-search
    JsonNode support = team(s, "support");
    JsonNode supportKb = null;
    for (JsonNode a : kb.get("allocations")) if (a.get("team").asText().equals("support")) supportKb = a;
    assertThat(dec(support.get("effective_usd"))).isEqualByComparingTo(
        dec(group(byAgent, "agent", "triage-bot").get("effective_usd")).add(dec(supportKb.get("effective_usd"))));
    assertThat(dec(team(s, "research").get("effective_usd"))).isZero();

    String[] lines = gw.get("/admin/v1/reports/chargeback?month=2026-10&format=csv", ADMIN).body().split("\n");
    assertThat(lines).contains("2026-10,,(contracts without usage),0,0,0,0,0,0,25");
    String[] total = lines[lines.length - 1].split(",");
    assertThat(total[2]).isEqualTo("TOTAL");
    assertThat(new BigDecimal(total[5])).isEqualByComparingTo(ledger);
    assertThat(new BigDecimal(total[7])).isEqualByComparingTo(dec(report.get("effective_usd")));
    assertThat(new BigDecimal(total[9])).isEqualByComparingTo(dec(report.get("commitment_shortfall_usd")));
  }

  static JsonNode team(JsonNode statement, String name) {
    for (JsonNode t : statement.get("teams")) if (name.equals(t.get("team").asText(null))) return t;
    throw new AssertionError("no team " + name + " in " + statement);
  }

  static JsonNode group(JsonNode report, String key, String value) {
    for (JsonNode g : report.get("groups")) if (value.equals(g.get(key).asText(null))) return g;
    throw new AssertionError("no group " + key + "=" + value + " in " + report);
  }

  @Test
  void theForecastProjectsTheMonthAndTheQuarterAndNamesTheDayTheBudgetRunsOut() throws Exception {
    JsonNode f = get("/admin/v1/forecast?scope=team:support");
    assertThat(f.at("/method/name").asText()).isEqualTo("holt_winters_weekly");
    assertThat(f.at("/method/history_days").asInt()).isEqualTo(80); // 1 Sep to 19 Nov
    assertThat(f.at("/backtest/days").asInt()).isEqualTo(7);
    assertThat(f.at("/backtest/mape_pct").asDouble()).isLessThan(0.01);
    // The truth: triage's weekly pattern plus $0.25 of kb-search a day.
    BigDecimal monthEnd = BigDecimal.ZERO;
    BigDecimal cumulative = BigDecimal.ZERO;
    LocalDate exhausted = null;
    for (LocalDate d = LocalDate.of(2026, 11, 1); d.getMonthValue() == 11; d = d.plusDays(1)) {
      BigDecimal day = BigDecimal.valueOf(triage(d) + USD / 4, 9);
      monthEnd = monthEnd.add(day);
      cumulative = cumulative.add(day);
      if (exhausted == null && cumulative.compareTo(BigDecimal.valueOf(60)) >= 0) exhausted = d;
    }
    assertThat(dec(f.at("/month/projected_usd"))).isCloseTo(monthEnd, org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
    assertThat(dec(f.at("/budget/monthly_limit_usd"))).isEqualByComparingTo("60");
    assertThat(exhausted).as("the test data runs out on the 22nd, after today").isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(f.at("/budget/exhausted_on").asText()).isEqualTo(exhausted.toString());
    assertThat(f.at("/budget/message").asText()).contains("team:support is projected to exhaust its monthly budget on " + exhausted);
    assertThat(f.at("/next_quarter/start").asText()).isEqualTo("2027-01-01");
    long weekdays = 0;
    long weekends = 0;
    long mondays = 0;
    for (LocalDate d = LocalDate.of(2027, 1, 1); d.getYear() == 2027 && d.getMonthValue() <= 3; d = d.plusDays(1)) {
      if (d.getDayOfWeek() == DayOfWeek.MONDAY) mondays++;
      else if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) weekends++;
      else weekdays++;
    }
    BigDecimal quarter = BigDecimal.valueOf(4 * mondays + 3 * weekdays + weekends).add(new BigDecimal("0.25").multiply(
        BigDecimal.valueOf(mondays + weekdays + weekends)));
    assertThat(dec(f.at("/next_quarter/projected_usd"))).isCloseTo(quarter, org.assertj.core.data.Offset.offset(new BigDecimal("0.0001")));

    JsonNode sales = get("/admin/v1/forecast?scope=team:sales&budget_usd=20");
    assertThat(sales.at("/budget/exhausted_on").asText()).as("$1.50 a day from the 1st passes $20 on the 14th").isEqualTo("2026-11-14");
    assertThat(sales.at("/budget/message").asText()).contains("exhausted its monthly budget on 2026-11-14");
    assertThat(get("/admin/v1/forecast?scope=team:research").at("/budget/monthly_limit_usd").isNull()).isTrue();
    assertThat(gw.get("/admin/v1/forecast?scope=user:*", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void whatIfPricesAPlannedWorkloadFromThePriceCatalog() throws Exception {
    HttpResponse<String> r = gw.post("/admin/v1/forecast/what-if", ADMIN,
        "{\"model\":\"gpt-4o-mini\",\"calls_per_day\":1000,\"input_tokens\":1200,\"output_tokens\":300}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode e = JSON.readTree(r.body());
    assertThat(dec(e.get("per_call_usd"))).isEqualByComparingTo("0.00036");
    assertThat(dec(e.get("total_usd"))).isEqualByComparingTo("10.8");
    assertThat(e.get("days").asInt()).isEqualTo(30);
    HttpResponse<String> catalogOnly = gw.post("/admin/v1/forecast/what-if", ADMIN,
        "{\"model\":\"gpt-4o\",\"calls_per_day\":10,\"input_tokens\":1000,\"output_tokens\":100,\"days\":7}");
    assertThat(catalogOnly.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(catalogOnly.body()).get("price_source").asText()).startsWith("catalog");
    assertThat(gw.post("/admin/v1/forecast/what-if", ADMIN,
        "{\"model\":\"gpt-9-ultra\",\"calls_per_day\":1,\"input_tokens\":1,\"output_tokens\":1}").statusCode()).isEqualTo(404);
    assertThat(gw.post("/admin/v1/forecast/what-if", ADMIN, "{\"model\":\"gpt-4o-mini\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void theFocusExportPassesTheValidatorRulesAndBillsExactlyTheLedger() throws Exception {
    HttpResponse<String> r = gw.get("/admin/v1/export/focus?from=2026-11-01&to=2026-12-01", ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
    CsvTable table = CsvTable.parse(r.body());
    assertThat(table.rows()).isNotEmpty();
    var report = FocusValidator.load().validate(table, FocusValidator.TOLLGATE_CRITERIA);
    assertThat(report.failures()).isEmpty();
    BigDecimal billed = table.rows().stream().map(row -> new BigDecimal(row.get("BilledCost"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed).isEqualByComparingTo(usageTotal("2026-11-01", "2026-12-01"));
    assertThat(table.rows()).allSatisfy(row -> {
      assertThat(row.get("ProviderName")).isEqualTo("Tollgate Simulator");
      assertThat(row.get("BillingAccountId")).isEqualTo("acme/sim");
    });
    assertThat(gw.get("/admin/v1/export/focus?from=2026-11-01T05:00:00Z&to=2026-12-01", ADMIN).statusCode()).isEqualTo(400);
  }
}
