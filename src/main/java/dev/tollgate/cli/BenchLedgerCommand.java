package dev.tollgate.cli;

import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageFilter.Granularity;
import dev.tollgate.store.sql.Database;
import dev.tollgate.store.sql.LedgerBulkLoad;
import dev.tollgate.store.sql.SqlUsageQuery;
import dev.tollgate.store.sql.StorageFootprint;
import dev.tollgate.synthetic.SyntheticLedger;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate bench-ledger --storage URL --rows 10000000}: fills a storage with a synthetic ledger
 * ({@link SyntheticLedger}, rollups kept as it writes) and times the reports that read it, from the
 * rollups and from the ledger itself. The figures in docs/performance.md come from bench/reports.sh,
 * which runs this. Exit codes: 0 done, 2 bad usage or storage, 3 the two paths disagreed.
 */
@Command(name = "bench-ledger", mixinStandardHelpOptions = true,
    description = "Generate a synthetic ledger and time month x team x model reports (rollup vs. ledger).")
public final class BenchLedgerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--storage", required = true, paramLabel = "URL", description = "sqlite:FILE or postgresql://…?schema=NAME")
  String storage;

  @Option(names = "--rows", defaultValue = "0", description = "Rows to generate first (0: only time the queries).")
  long rows;

  @Option(names = "--from", defaultValue = "2026-08-31", paramLabel = "DATE", description = "First day (local) of the ledger.")
  LocalDate from;

  @Option(names = "--days", defaultValue = "91", description = "Days the ledger spans.")
  int days;

  @Option(names = "--zone", defaultValue = "Europe/Berlin", description = "The org's time zone (cycles and report months).")
  ZoneId zone;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed.")
  long seed;

  @Option(names = "--batch", defaultValue = "20000", description = "Rows per transaction while generating.")
  int batch;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "The report month (default: the ledger's last whole month).")
  YearMonth month;

  @Option(names = "--runs", defaultValue = "7", description = "Timed runs of each query from the rollups.")
  int runs;

  @Option(names = "--ledger-runs", defaultValue = "3", description = "Timed runs of each query from the ledger itself.")
  int ledgerRuns;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Database database;
    try {
      database = Database.open(storage);
    } catch (RuntimeException e) {
      err.println("tollgate: " + e.getMessage());
      return ExportCommand.BAD;
    }
    try (database) {
      if (rows > 0) generate(database, out);
      Map<String, Long> counts = StorageFootprint.rows(database);
      counts.forEach((table, n) -> out.printf("rows.%s: %d%n", table, n));
      out.printf("bytes: %d%n", StorageFootprint.bytes(database, storage));
      YearMonth m = month != null ? month : YearMonth.from(from.plusDays(days)).minusMonths(1);
      UsageFilter monthByTeamAndModel = new UsageFilter(m.atDay(1).atStartOfDay(zone).toInstant(),
          m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant(), Map.of(), List.of("team", "model"), Granularity.MONTH, zone);
      UsageFilter monthByTeamAndAgent = new UsageFilter(monthByTeamAndModel.from(), monthByTeamAndModel.to(), Map.of(),
          List.of("team", "agent"), null, zone);
      UsageFilter dailySeriesOfATeam = new UsageFilter(monthByTeamAndModel.from(), monthByTeamAndModel.to(),
          Map.of("team", "support"), List.of(), Granularity.DAY, zone);
      boolean agree = time(database, "month_team_model", monthByTeamAndModel, out)
          & time(database, "month_team_agent", monthByTeamAndAgent, out)
          & time(database, "daily_team_series", dailySeriesOfATeam, out);
      if (!agree) {
        err.println("tollgate: the rollups and the ledger disagree");
        return 3;
      }
      return 0;
    } catch (RuntimeException e) {
      err.println("tollgate: " + e.getMessage());
      return ExportCommand.BAD;
    }
  }

  private void generate(Database database, PrintWriter out) {
    SyntheticLedger ledger = new SyntheticLedger(rows, from.atStartOfDay(zone).toInstant(), days, zone, seed);
    long started = System.nanoTime();
    long step = Math.max(rows / 20, 1);
    long[] nextReport = {step};
    long written = LedgerBulkLoad.load(database, ledger.iterator(), batch, total -> {
      if (total >= nextReport[0]) {
        nextReport[0] += step;
        out.printf("generated: %d rows, %.0f s%n", total, (System.nanoTime() - started) / 1e9);
        out.flush();
      }
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("generate.rows: %d%ngenerate.seconds: %.1f%ngenerate.rows_per_second: %.0f%n", written, seconds,
        written / seconds);
  }

  /** Times one query both ways; prints medians and the source; false if the answers differ. */
  private boolean time(Database database, String name, UsageFilter filter, PrintWriter out) {
    SqlUsageQuery fast = new SqlUsageQuery(database);
    SqlUsageQuery ledger = SqlUsageQuery.ledgerOnly(database);
    List<UsageAggregate> fromRollup = null;
    List<Double> fastMs = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      fromRollup = fast.aggregate(filter);
      fastMs.add((System.nanoTime() - t) / 1e6);
    }
    List<UsageAggregate> fromLedger = null;
    List<Double> ledgerMs = new ArrayList<>();
    for (int i = 0; i < ledgerRuns; i++) {
      long t = System.nanoTime();
      fromLedger = ledger.aggregate(filter);
      ledgerMs.add((System.nanoTime() - t) / 1e6);
    }
    out.printf("%s.source: %s%n%s.groups: %d%n%s.rollup_ms: median %.1f (runs %s)%n%s.ledger_ms: median %.1f (runs %s)%n",
        name, fast.sourceFor(filter), name, fromRollup == null ? 0 : fromRollup.size(), name, median(fastMs), format(fastMs),
        name, median(ledgerMs), format(ledgerMs));
    out.flush();
    return fromLedger == null || fromLedger.equals(fromRollup);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(List<Double> values) {
    return String.join(" ", values.stream().map(v -> String.format("%.1f", v)).toList());
  }
}
