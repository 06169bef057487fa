package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.report.focus.CsvTable;
import dev.tollgate.report.focus.FocusValidator;
import dev.tollgate.report.focus.ParquetTable;
import dev.tollgate.store.sql.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export focus} and {@code report chargeback} on a ledger written beforehand, as an operator runs them. */
class ExportCommandTest {

  @TempDir Path dir;
  Path config;
  long ledgerNanos;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  static UsageRecord row(String id, Instant at, String team, String agent, String model, long in, long out, long nanos) {
    Attribution a = new Attribution("acme", team, null, "triage", agent, null, null, null, null, Map.of("env", "prod"));
    return new UsageRecord(id, at, at.plusMillis(50), "k", a, "openai", model, model, "economy", "requested",
        new TokenUsage(in, in / 5, 0, out, out / 4), Money.ofNanos(nanos), RequestStatus.OK, null, 50, null, null, false, false,
        false, 200);
  }

  @BeforeEach
  void ledger() throws Exception {
    String db = dir.resolve("ledger.db").toString();
    config = Files.writeString(dir.resolve("tollgate.yaml"), """
        storage: sqlite:%s
        org: { name: acme }
        providers:
          openai: { type: openai, api_key: sk-test }
        models:
          gpt-4o-mini: { provider: openai }
          house: { provider: openai, upstream: house-1, price: { input_per_mtok: 0.02, output_per_mtok: 0.04 } }
        teams:
          support: { cost_center: CC-100 }
          sales: { cost_center: CC-200 }
        """.formatted(db));
    try (Storage storage = Storage.open("sqlite:" + db, 100, Duration.ofMillis(20), 1_000)) {
      Instant t = Instant.parse("2026-11-02T10:00:00Z");
      for (int i = 0; i < 60; i++) {
        long nanos = 1_000_003L * (i + 1);
        ledgerNanos += nanos;
        storage.ledgerWriter().append(row("r" + i, t.plusSeconds(i * 40_000L), i % 2 == 0 ? "support" : "sales",
            i % 3 == 0 ? "kb" : null, i % 4 == 0 ? "house" : "gpt-4o-mini", 1_000 + i, 100 + i, nanos));
      }
      storage.ledgerWriter().append(row("december", Instant.parse("2026-12-01T00:00:00Z"), "support", null, "house", 1, 1, 99));
      storage.ledgerWriter().flush();
    }
  }

  @Test
  void exportFocusWritesAValidFileThatBillsExactlyTheLedger() throws Exception {
    Path out = dir.resolve("focus.csv");
    Run r = run("export", "focus", "--from", "2026-11-01", "--to", "2026-12-01", "--config", config.toString(), "--out",
        out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("billed").contains("written to " + out);
    CsvTable table = CsvTable.parse(Files.readString(out));
    assertThat(FocusValidator.load().validate(table, FocusValidator.TOLLGATE_CRITERIA).failures()).isEmpty();
    BigDecimal billed = table.rows().stream().map(row -> new BigDecimal(row.get("BilledCost"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed).isEqualByComparingTo(BigDecimal.valueOf(ledgerNanos, 9));
    assertThat(table.rows()).anySatisfy(row -> {
      assertThat(row.get("SkuId")).isEqualTo("house:output");
      assertThat(row.get("ListUnitPrice")).isEqualTo("0.04");
      assertThat(row.get("BillingAccountId")).isEqualTo("acme/openai");
    });
    assertThat(table.rows()).noneSatisfy(row -> assertThat(row.get("ChargePeriodStart")).startsWith("2026-12"));

    Run toStdout = run("export", "focus", "--from", "2026-11-02", "--to", "2026-11-03", "--config", config.toString());
    assertThat(toStdout.exitCode()).isZero();
    assertThat(toStdout.out()).startsWith("BilledCost,BillingAccountId,");
  }

  @Test
  void exportFocusWritesParquetWithTheSameRowsAsTheCsv() throws Exception {
    Path csv = dir.resolve("focus.csv");
    Path parquet = dir.resolve("focus.parquet");
    assertThat(run("export", "focus", "--from", "2026-11-01", "--to", "2026-12-01", "--config", config.toString(), "--out",
        csv.toString()).exitCode()).isZero();
    Run r = run("export", "focus", "--from", "2026-11-01", "--to", "2026-12-01", "--config", config.toString(), "--format",
        "parquet", "--out", parquet.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("written to " + parquet);
    CsvTable fromParquet = ParquetTable.read(parquet).table();
    assertThat(fromParquet.rows()).isNotEmpty().isEqualTo(CsvTable.parse(Files.readString(csv)).rows());
    assertThat(FocusValidator.load().validate(fromParquet, FocusValidator.TOLLGATE_CRITERIA).failures()).isEmpty();

    Run toTerminal = run("export", "focus", "--config", config.toString(), "--format", "parquet");
    assertThat(toTerminal.exitCode()).isEqualTo(2);
    assertThat(toTerminal.err()).contains("--out");
    assertThat(run("export", "focus", "--config", config.toString(), "--format", "xml").exitCode()).isEqualTo(2);
  }

  @Test
  void exportRefusesBadDatesAndABadConfigWithExitCode2() throws Exception {
    assertThat(run("export", "focus", "--from", "November", "--config", config.toString()).exitCode()).isEqualTo(2);
    assertThat(run("export", "focus", "--from", "2026-12-01", "--to", "2026-11-01", "--config", config.toString()).exitCode())
        .isEqualTo(2);
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "storage: [\n");
    Run r = run("export", "focus", "--config", bad.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isNotBlank();
  }

  @Test
  void reportChargebackPrintsAStatementThatReconcilesToTheLedger() {
    Run r = run("report", "chargeback", "--month", "2026-11", "--config", config.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo("month,cost_center,team,direct_usd,shared_agents_usd,total_usd,requests,effective_usd,savings_usd,"
        + "commitment_shortfall_usd");
    assertThat(r.out()).contains("2026-11,CC-100,support,").contains("2026-11,CC-200,sales,");
    BigDecimal teams = BigDecimal.ZERO;
    for (int i = 1; i < lines.length - 1; i++) teams = teams.add(new BigDecimal(lines[i].split(",")[5]));
    assertThat(teams).isEqualByComparingTo(BigDecimal.valueOf(ledgerNanos, 9));
    assertThat(lines[lines.length - 1]).startsWith("2026-11,,TOTAL,");
    assertThat(new BigDecimal(lines[lines.length - 1].split(",")[4])).as("kb is shared by both teams").isPositive();
    assertThat(run("report", "chargeback", "--month", "2026-13", "--config", config.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void reportChargebackPrintsEffectiveCostUnderTheContractsBesideTheListCost() throws Exception {
    Path withContract = Files.writeString(dir.resolve("contracted.yaml"), Files.readString(config) + """
        contracts:
          openai-2026: { provider: openai, valid_from: 2026-01-01, discount_percent: 50 }
        """);
    Run r = run("report", "chargeback", "--month", "2026-11", "--config", withContract.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    String[] total = lines[lines.length - 1].split(",");
    BigDecimal list = new BigDecimal(total[5]);
    BigDecimal effective = new BigDecimal(total[7]);
    assertThat(list).isEqualByComparingTo(BigDecimal.valueOf(ledgerNanos, 9));
    assertThat(effective.subtract(list.divide(BigDecimal.valueOf(2))).abs()).as("half of list, to the nano-dollar")
        .isLessThanOrEqualTo(new BigDecimal("0.000000001"));
    assertThat(new BigDecimal(total[8])).isEqualByComparingTo(list.subtract(effective));
    BigDecimal teams = BigDecimal.ZERO;
    for (int i = 1; i < lines.length - 1; i++) teams = teams.add(new BigDecimal(lines[i].split(",")[7]));
    assertThat(teams).isEqualByComparingTo(effective);
    assertThat(r.err()).contains("under openai-2026").contains("reconciles").doesNotContain("NOT");

    Run plain = run("report", "chargeback", "--month", "2026-11", "--config", config.toString());
    String[] plainTotal = plain.out().split("\n")[lines.length - 1].split(",");
    assertThat(new BigDecimal(plainTotal[7])).as("no contract: effective = list").isEqualByComparingTo(list);
    assertThat(plain.err()).contains("no contract");
  }
}
