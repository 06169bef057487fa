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
import dev.tollgate.report.focus.ParquetTable;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contracts through the real server: the effective-cost report (JSON and CSV) and the FOCUS export (CSV
 * and Parquet) on a ledger of known numbers, with a negotiated contract (included usage, discount,
 * commitment) and a self-hosted model priced from its hourly cost and measured throughput.
 */
class EffectiveCostApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final long USD = 1_000_000_000L;

  @TempDir static Path dir;
  static TestGateway gw;

  static UsageRecord row(String id, Instant at, String team, String provider, String model, String served, long in, long out,
      long nanos) {
    Attribution a = new Attribution("acme", team, null, null, null, null, null, null, null, Map.of());
    return new UsageRecord(id, at, at.plusMillis(300), "key", a, provider, model, served, "economy", "requested",
        new TokenUsage(in, in / 10, 0, out, 0), Money.ofNanos(nanos), RequestStatus.OK, null, 300, null, null, false, false,
        false, 200);
  }

  @BeforeAll
  static void start() {
    var config = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        org: { name: acme, time_zone: UTC }
        providers:
          sim: { type: simulator }
          local: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
          llama: { provider: local, upstream: llama-3.1-70b, price: { input_per_mtok: 0, output_per_mtok: 0 } }
        teams:
          support: { cost_center: CC-100 }
          sales: {}
          research: {}
        contracts:
          sim-2026:
            provider: sim
            valid_from: 2026-01-01
            discount_percent: 20
            commitment_usd_per_month: 100
            included_usd_per_month: 10
          gpu:
            provider: local
            model: llama
            valid_from: 2026-11-01
            self_hosted: { hourly_cost_usd: 2, tokens_per_hour: measured }
        """, Map.of("DIR", dir.toString()), dir);
    gw = TestGateway.start(config, Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
    var ledger = gw.gateway().storage().ledgerWriter();
    for (LocalDate d = LocalDate.of(2026, 11, 1); !d.isAfter(LocalDate.of(2026, 11, 20)); d = d.plusDays(1)) {
      Instant day = d.atStartOfDay(ZoneOffset.UTC).toInstant();
      ledger.append(row("s" + d, day.plusSeconds(3_600), "support", "simulator", "gpt-4o-mini", "gpt-4o-mini", 1_000, 200, 4 * USD));
      ledger.append(row("a" + d, day.plusSeconds(7_200), "sales", "simulator", "gpt-4o-mini", "gpt-4o-mini", 500, 100,
          3 * USD / 2));
      ledger.append(row("l" + d, day.plusSeconds(9_000), "research", "openai-compatible", "llama", "llama-3.1-70b", 40_000,
          10_000, 0));
    }
    ledger.append(row("odd", Instant.parse("2026-11-05T08:00:00Z"), null, "simulator", "gpt-4o-mini", "gpt-4o-mini", 1, 1, 7));
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

  static BigDecimal dec(JsonNode n) {
    return new BigDecimal(n.asText());
  }

  @Test
  void theReportShowsListAndEffectiveCostPerTeamAndEachContractsMonth() throws Exception {
    JsonNode r = get("/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01&group_by=team");
    JsonNode totals = r.get("totals");
    assertThat(totals.get("reconciles").asBoolean()).isTrue();
    // list: 20 days × (4 + 1.5) USD + 7 nano-dollars, as the ledger has it
    assertThat(dec(totals.get("list_usd"))).isEqualByComparingTo("110.000000007");
    // sim: 10 USD included, the remaining 100.000000007 at 20 % off = 80.0000000056 → 80.000000006, all drawn from the
    // 100 USD commitment (19.999999994 short); gpu: 2 USD/h for the 30 days of November = 1440 USD
    assertThat(dec(totals.get("effective_usd"))).isEqualByComparingTo("1520.000000006");
    assertThat(dec(totals.get("commitment_shortfall_usd"))).isEqualByComparingTo("19.999999994");
    assertThat(dec(totals.get("payable_usd"))).isEqualByComparingTo("1540");

    BigDecimal list = BigDecimal.ZERO;
    BigDecimal effective = BigDecimal.ZERO;
    BigDecimal shortfall = BigDecimal.ZERO;
    for (JsonNode g : r.get("groups")) {
      list = list.add(dec(g.get("list_usd")));
      effective = effective.add(dec(g.get("effective_usd")));
      shortfall = shortfall.add(dec(g.get("commitment_shortfall_usd")));
      assertThat(dec(g.get("savings_usd"))).isEqualByComparingTo(dec(g.get("list_usd")).subtract(dec(g.get("effective_usd"))));
    }
    assertThat(list).isEqualByComparingTo(dec(totals.get("list_usd")));
    assertThat(effective).isEqualByComparingTo(dec(totals.get("effective_usd")));
    assertThat(shortfall).isEqualByComparingTo(dec(totals.get("commitment_shortfall_usd")));

    JsonNode research = group(r, "team", "research");
    assertThat(dec(research.get("list_usd"))).isZero();
    assertThat(dec(research.get("effective_usd"))).as("the GPU box's month").isEqualByComparingTo("1440");
    // support used 80 of the 110.000000007 list: its share of sim's effective cost, by largest remainder
    JsonNode support = group(r, "team", "support");
    BigDecimal share = new BigDecimal("80.000000006").multiply(new BigDecimal("80")).divide(new BigDecimal("110.000000007"),
        9, java.math.RoundingMode.FLOOR);
    assertThat(dec(support.get("effective_usd")).subtract(share).abs()).isLessThanOrEqualTo(new BigDecimal("0.000000001"));

    JsonNode sim = contract(r, "sim-2026");
    assertThat(dec(sim.get("included_usd"))).isEqualByComparingTo("10");
    assertThat(dec(sim.get("drawdown_usd"))).isEqualByComparingTo("80.000000006");
    assertThat(dec(sim.get("commitment_balance_usd"))).isEqualByComparingTo("19.999999994");
    assertThat(dec(sim.get("overage_usd"))).isZero();
    JsonNode gpu = contract(r, "gpu");
    assertThat(gpu.get("terms").asText()).isEqualTo("self_hosted");
    assertThat(gpu.get("tokens").asLong()).isEqualTo(1_000_000);
    assertThat(dec(gpu.get("effective_usd_per_million_tokens"))).isEqualByComparingTo("1440");
  }

  @Test
  void theCsvCarriesTheSameGroupsAndTotals() throws Exception {
    HttpResponse<String> r = gw.get("/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01&group_by=contract,team"
        + "&format=csv", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
    String[] lines = r.body().split("\n");
    assertThat(lines[0]).isEqualTo("contract,team,list_usd,effective_usd,savings_usd,commitment_shortfall_usd,tokens");
    assertThat(r.body()).contains("\ngpu,research,0,1440,-1440,0,1000000\n");
    assertThat(lines[lines.length - 1]).isEqualTo("TOTAL,,110.000000007,1520.000000006,-1409.999999999,19.999999994,"
        + lines[lines.length - 1].split(",")[6]);
  }

  @Test
  void badParametersAreRefused() {
    assertThat(gw.get("/admin/v1/reports/effective-cost?group_by=user", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/effective-cost?format=xml", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/reports/effective-cost?from=2026-11-02T01:00:00Z", ADMIN).statusCode()).isEqualTo(400);
    assertThat(gw.get("/admin/v1/export/focus?format=xlsx", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theFocusExportCarriesContractedAndEffectiveCostInCsvAndParquetAlike() throws Exception {
    HttpResponse<String> csv = gw.get("/admin/v1/export/focus?from=2026-11-01&to=2026-12-01", ADMIN);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("x-tollgate-focus-warnings").orElseThrow()).contains("19.999999994 USD");
    CsvTable table = CsvTable.parse(csv.body());
    assertThat(FocusValidator.load().validate(table, FocusValidator.TOLLGATE_CRITERIA).failures()).isEmpty();
    BigDecimal effective = table.rows().stream().map(row -> new BigDecimal(row.get("EffectiveCost")))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(effective).isEqualByComparingTo("1520.000000006");
    assertThat(table.rows()).anySatisfy(row -> {
      assertThat(row.get("SkuId")).isEqualTo("gpt-4o-mini:input");
      assertThat(new BigDecimal(row.get("ContractedUnitPrice")))
          .isEqualByComparingTo(new BigDecimal(row.get("ListUnitPrice")).multiply(new BigDecimal("0.8")));
    });

    HttpResponse<byte[]> parquet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gw.baseUrl() + "/admin/v1/export/focus?from=2026-11-01&to=2026-12-01&format=parquet"))
        .header("authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(parquet.statusCode()).isEqualTo(200);
    assertThat(parquet.headers().firstValue("content-type").orElseThrow()).isEqualTo("application/vnd.apache.parquet");
    assertThat(parquet.headers().firstValue("content-disposition").orElseThrow()).contains(".parquet");
    assertThat(ParquetTable.read(parquet.body()).table().rows()).isEqualTo(table.rows());
  }

  private static JsonNode group(JsonNode report, String key, String value) {
    for (JsonNode g : report.get("groups")) if (value.equals(g.get(key).asText(null))) return g;
    throw new AssertionError("no group " + key + "=" + value + " in " + report);
  }

  private static JsonNode contract(JsonNode report, String name) {
    for (JsonNode c : report.get("contracts")) if (name.equals(c.get("contract").asText())) return c;
    throw new AssertionError("no contract " + name + " in " + report);
  }
}
