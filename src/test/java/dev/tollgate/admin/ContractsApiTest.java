package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin/v1/contracts}: contracts made at run time, validated like the file's, applied by the reports. */
class ContractsApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dir;
  static TestGateway gw;

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
        contracts:
          sim-2025: { provider: sim, valid_from: 2025-01-01, valid_until: 2026-01-01, discount_percent: 5 }
        """, Map.of("DIR", dir.toString()), dir);
    gw = TestGateway.start(config, Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
    Attribution a = new Attribution("acme", "support", null, null, null, null, null, null, null, Map.of());
    Instant at = Instant.parse("2026-11-03T10:00:00Z");
    gw.gateway().storage().ledgerWriter().append(new UsageRecord("r1", at, at.plusMillis(5), "key", a, "simulator",
        "gpt-4o-mini", "gpt-4o-mini", "economy", "requested", new TokenUsage(1000, 0, 0, 100, 0), Money.ofNanos(10_000_000_000L),
        RequestStatus.OK, null, 5, null, null, false, false, false, 200));
    gw.gateway().storage().ledgerWriter().flush();
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static HttpResponse<String> send(String method, String path, String body) {
    return AdminTestSupport.call(gw, method, path, ADMIN, body);
  }

  @Test
  void aContractMadeThroughTheApiIsListedAndAppliedByTheReportsUntilDeleted() throws Exception {
    HttpResponse<String> made = send("POST", "/admin/v1/contracts", "{\"name\":\"sim-2026\",\"provider\":\"sim\","
        + "\"valid_from\":\"2026-01-01\",\"discount_percent\":30}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    assertThat(JSON.readTree(made.body()).get("source").asText()).isEqualTo("api");

    JsonNode list = JSON.readTree(send("GET", "/admin/v1/contracts", null).body()).get("data");
    assertThat(list).extracting(n -> n.get("name").asText() + ":" + n.get("source").asText())
        .containsExactly("sim-2025:config", "sim-2026:api");

    JsonNode report = JSON.readTree(send("GET", "/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01", null).body());
    assertThat(new BigDecimal(report.get("totals").get("effective_usd").asText())).isEqualByComparingTo("7"); // 10 at 30 % off

    HttpResponse<String> replaced = send("PUT", "/admin/v1/contracts/sim-2026", "{\"provider\":\"sim\","
        + "\"valid_from\":\"2026-01-01\",\"discount_percent\":50}");
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    report = JSON.readTree(send("GET", "/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01", null).body());
    assertThat(new BigDecimal(report.get("totals").get("effective_usd").asText())).isEqualByComparingTo("5");

    assertThat(send("DELETE", "/admin/v1/contracts/sim-2026", null).statusCode()).isEqualTo(204);
    report = JSON.readTree(send("GET", "/admin/v1/reports/effective-cost?from=2026-11-01&to=2026-12-01", null).body());
    assertThat(new BigDecimal(report.get("totals").get("effective_usd").asText())).isEqualByComparingTo("10");
    assertThat(send("GET", "/admin/v1/contracts/sim-2026", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aBadContractIsRefusedWithTheConfigValidatorsMessagesAndNothingIsStored() throws Exception {
    HttpResponse<String> r = send("POST", "/admin/v1/contracts", "{\"name\":\"bad\",\"provider\":\"azure\","
        + "\"valid_from\":\"2026-01-01\",\"discount_percent\":120}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("contracts.bad.provider: names no provider").contains("contracts.bad.discount_percent");
    HttpResponse<String> overlap = send("POST", "/admin/v1/contracts", "{\"name\":\"again\",\"provider\":\"sim\","
        + "\"valid_from\":\"2025-06-01\",\"valid_until\":\"2025-07-01\",\"discount_percent\":1}");
    assertThat(overlap.statusCode()).isEqualTo(400);
    assertThat(overlap.body()).contains("in force on the same days as contracts.sim-2025");
    assertThat(send("GET", "/admin/v1/contracts/bad", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theConfigsContractsAreChangedInTheFileOnly() {
    assertThat(send("DELETE", "/admin/v1/contracts/sim-2025", null).statusCode()).isEqualTo(409);
    assertThat(send("POST", "/admin/v1/contracts", "{\"name\":\"sim-2025\",\"provider\":\"sim\",\"valid_from\":\"2030-01-01\"}")
        .statusCode()).isEqualTo(409);
    assertThat(send("GET", "/admin/v1/contracts/sim-2025", null).statusCode()).isEqualTo(200);
  }
}
