package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.TeamConfig;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.report.Chargeback;
import dev.tollgate.report.ContractBook;
import dev.tollgate.report.ContractedCosts;
import dev.tollgate.report.focus.ModelPricing;
import dev.tollgate.store.sql.Database;
import dev.tollgate.store.sql.SqlUsageQuery;
import dev.tollgate.store.sql.report.SqlContractStore;
import dev.tollgate.store.sql.report.SqlFocusUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate report chargeback --month 2026-11 [--basis tokens] [--config FILE]}: the monthly
 * chargeback statement as CSV, list and effective cost (under the config's and the admin API's
 * contracts) side by side, read straight from the config's storage (the same numbers as
 * {@code GET /admin/v1/reports/chargeback?format=csv}); a summary of the reconciliation goes to
 * stderr. Exit codes: 0 written, 2 bad usage, config or storage, 3 the statement would not reconcile
 * (never expected; a guard, not a feature).
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
      description = "Print the month's chargeback per team and cost center as CSV, at list and effective cost; shared agents split by use.")
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
      Instant from = m.atDay(1).atStartOfDay(zone).toInstant();
      Instant to = m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
      Chargeback.Statement s;
      try (Database database = Database.open(cfg.storage())) {
        List<Contract> contracts = new ContractBook(new SqlContractStore(database), Clock.systemUTC()).inForce(cfg);
        if (contracts.isEmpty()) {
          s = Chargeback.fromLedger(new SqlUsageQuery(database), from, to, zone, centers, b);
        } else {
          ModelPricing pricing;
          try {
            pricing = ExportCommand.pricing(cfg, ExportCommand.catalog(cfg));
          } catch (IOException e) {
            err.println("cannot read the price file " + cfg.pricing().catalog() + ": " + PricesCommand.describe(e));
            return ExportCommand.BAD;
          }
          ContractedCosts.Applied applied = ContractedCosts.ofLedger(new SqlFocusUsage(database), pricing, contracts, from, to);
          s = Chargeback.fromLedger(new SqlUsageQuery(database), applied, from, to, zone, centers, b);
        }
      } catch (RuntimeException e) {
        err.println("cannot make the statement from " + cfg.storage() + ": " + e.getMessage());
        return e instanceof IllegalStateException && e.getMessage() != null
            && e.getMessage().startsWith("chargeback does not reconcile") ? 3 : ExportCommand.BAD;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(Chargeback.csv(s, m.toString()));
      out.flush();
      String contracts = s.contracts().isEmpty() ? "no contract" : String.join(", ", s.contracts());
      err.printf("chargeback %s (%s): list %s USD = the ledger's %s USD; effective under %s %s USD = the effective-cost"
          + " report's %s USD; commitment shortfall %s USD, %s USD of it on no team's usage; %s%n", m, zone.getId(),
          s.total().toUsdString(), s.ledgerTotal().toUsdString(), contracts, s.effective().toUsdString(),
          s.contractedEffective().toUsdString(), s.shortfall().toUsdString(), s.unallocatedShortfall().toUsdString(),
          s.reconciles() ? "reconciles" : "DOES NOT RECONCILE");
      err.flush();
      return 0;
    }
  }
}
