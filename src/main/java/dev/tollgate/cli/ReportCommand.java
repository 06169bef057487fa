package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.TeamConfig;
import dev.tollgate.report.Chargeback;
import dev.tollgate.store.sql.Database;
import dev.tollgate.store.sql.SqlUsageQuery;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate report chargeback --month 2026-11 [--basis tokens] [--config FILE]}: the monthly
 * chargeback statement as CSV, read straight from the config's storage (the same numbers as
 * {@code GET /admin/v1/reports/chargeback?format=csv}). Exit codes: 0 written, 2 bad usage, config or
 * storage, 3 the statement would not reconcile (never expected; a guard, not a feature).
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports from the ledger.",
    subcommands = ReportCommand.ChargebackReport.class)
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExportCommand.BAD;
  }

  @Command(name = "chargeback", mixinStandardHelpOptions = true,
      description = "Print the month's chargeback per team and cost center as CSV; shared agents split by use.")
  public static final class ChargebackReport implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The month, in the org's time zone (default: this month).")
    String month;

    @Option(names = "--basis", paramLabel = "BASIS", defaultValue = "tokens",
        description = "How shared agents are split: tokens, requests or cost (default: ${DEFAULT-VALUE}).")
    String basis;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (default: $TOLLGATE_CONFIG, then tollgate.yaml).")
    String config;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig cfg;
      try {
        cfg = ConfigLoader.load(ConfigLoader.resolvePath(config));
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return ExportCommand.BAD;
      }
      ZoneId zone = cfg.org().timeZone();
      YearMonth m;
      Chargeback.Basis b;
      try {
        m = month == null ? YearMonth.now(zone) : YearMonth.parse(month);
        b = Chargeback.Basis.fromWire(basis);
      } catch (DateTimeParseException e) {
        err.println("--month is a month such as 2026-11");
        return ExportCommand.BAD;
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage().replace("'basis'", "--basis"));
        return ExportCommand.BAD;
      }
      Map<String, String> centers = new HashMap<>();
      for (TeamConfig t : cfg.teams().values()) centers.put(t.name(), t.costCenter());
      Chargeback.Statement s;
      try (Database database = Database.open(cfg.storage())) {
        s = Chargeback.fromLedger(new SqlUsageQuery(database), m.atDay(1).atStartOfDay(zone).toInstant(),
            m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant(), zone, centers, b);
      } catch (IllegalStateException e) {
        err.println("cannot make the statement from " + cfg.storage() + ": " + e.getMessage());
        return e.getMessage() != null && e.getMessage().startsWith("chargeback does not reconcile") ? 3 : ExportCommand.BAD;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(Chargeback.csv(s, m.toString()));
      out.flush();
      return 0;
    }
  }
}
