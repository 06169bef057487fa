package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator scrapes from /metrics: traffic, tokens, cost, budgets, latency, the ledger and alerts. */
class MetricsScrapeTest {

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    var cfg = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim:   { type: simulator, output_tokens: 5 }
          flaky: { type: simulator, error_rate: 1.0 }
        models:
          gpt-4o-mini:  { provider: sim }
          broken-model: { provider: flaky, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        teams:
          support: {}
        keys:
          - { name: desk, secret: tg-metrics-desk-key-00001, team: support }
          - { name: ops, secret: tg-metrics-ops-key-000001 }
        budgets:
          - { scope: "team:support", window: day, requests: 4 }
        alerts:
          error_rate: { window_minutes: 5, min_calls: 3, threshold: 0.5 }
        """, Map.of("DIR", dir.toString()), dir);
    gw = TestGateway.start(cfg, new MutableClock(Instant.parse("2026-11-25T10:00:00Z")));
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static void chat(String key, String model, boolean stream) {
    gw.post("/v1/chat/completions", key, "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  static double value(String scrape, String seriesStart) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(seriesStart) + "[^\\n]* ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as(seriesStart + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theIssuesMetricsAreAllScrapeable() {
    chat("tg-metrics-desk-key-00001", "gpt-4o-mini", false);
    chat("tg-metrics-desk-key-00001", "gpt-4o-mini", true);
    for (int i = 0; i < 3; i++) chat("tg-metrics-ops-key-000001", "broken-model", false);

    HttpResponse<String> r = gw.get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    String m = r.body();

    assertThat(value(m, "tollgate_requests_total{model=\"gpt-4o-mini\",status=\"ok\",team=\"support\"")).isEqualTo(2);
    assertThat(value(m, "tollgate_tokens_total{model=\"gpt-4o-mini\",team=\"support\",type=\"output\"")).isEqualTo(10);
    assertThat(m).contains("tollgate_cost_usd_total{model=\"gpt-4o-mini\",team=\"support\"");
    assertThat(value(m, "tollgate_budget_utilisation{budget=")).as("2 of 4 requests").isEqualTo(0.5);
    assertThat(m).contains("tollgate_budget_utilisation{budget=\"").contains("subject=\"team:support\"").contains("window=\"day\"");
    assertThat(value(m, "tollgate_upstream_duration_seconds_count{provider=\"simulator\"")).isEqualTo(5);
    assertThat(m).contains("tollgate_upstream_duration_seconds_bucket{provider=\"simulator\",le=\"");
    assertThat(m).contains("tollgate_time_to_first_token_seconds_bucket{provider=\"simulator\",le=\"");
    assertThat(m).contains("tollgate_ledger_pending_records ");
    assertThat(m).contains("tollgate_ledger_commit_lag_seconds ");
    assertThat(value(m, "tollgate_alert_notices_total{kind=\"error_rate\",severity=\"critical\"")).as("one incident, one notice").isEqualTo(1);
  }
}
