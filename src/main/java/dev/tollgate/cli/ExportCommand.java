package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ModelConfig;
import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.TeamConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.report.focus.FocusCsv;
import dev.tollgate.report.focus.FocusExporter;
import dev.tollgate.report.focus.FocusParquet;
import dev.tollgate.report.focus.ModelPricing;
import dev.tollgate.store.sql.Database;
import dev.tollgate.store.sql.report.SqlFocusUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate export focus --from 2026-11-01 --to 2026-12-01 [--config FILE] [--out FILE] [--format parquet]}:
 * the ledger of the config's storage as a FOCUS 1.2 CSV or Parquet file, the same file
 * {@code GET /admin/v1/export/focus} answers. Exit codes: 0 written, 2 bad usage, config or storage.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export the ledger in standard formats.",
    subcommands = ExportCommand.Focus.class)
public final class ExportCommand implements Callable<Integer> {

  static final int BAD = 2;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return BAD;
  }

  @Command(name = "focus", mixinStandardHelpOptions = true,
      description = "Write a FOCUS 1.2 Cost and Usage CSV or Parquet file: one row per SKU price (model × token kind) per UTC day.")
  public static final class Focus implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--from", paramLabel = "DATE", description = "First UTC day, e.g. 2026-11-01 (default: this month's first).")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "The UTC day after the last, e.g. 2026-12-01 (default: next month's first).")
    String to;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "YAML config file: its storage is read, its models price the rows (default: $TOLLGATE_CONFIG, then tollgate.yaml).")
    String config;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
        description = "csv (default) or parquet (needs --out).")
    String format;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      LocalDate first;
      LocalDate end;
      try {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        first = from == null ? today.withDayOfMonth(1) : LocalDate.parse(from);
        end = to == null ? today.withDayOfMonth(1).plusMonths(1) : LocalDate.parse(to);
      } catch (DateTimeParseException e) {
        err.println("--from and --to are UTC dates such as 2026-11-01");
        return BAD;
      }
      if (!first.isBefore(end)) {
        err.println("--from must be before --to");
        return BAD;
      }
      if (!format.equals("csv") && !format.equals("parquet")) {
        err.println("--format must be csv or parquet");
        return BAD;
      }
      boolean parquet = format.equals("parquet");
      if (parquet && out == null) {
        err.println("--format parquet writes a binary file: give it with --out FILE");
        return BAD;
      }
      GatewayConfig cfg;
      try {
        cfg = ConfigLoader.load(ConfigLoader.resolvePath(config));
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return BAD;
      }
      ModelPricing pricing;
      try {
        pricing = pricing(cfg, catalog(cfg));
      } catch (IOException e) {
        err.println("cannot read the price file " + cfg.pricing().catalog() + ": " + PricesCommand.describe(e));
        return BAD;
      }
      FocusExporter.Result result;
      try (Database database = Database.open(cfg.storage())) {
        Instant start = first.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant stop = end.atStartOfDay().toInstant(ZoneOffset.UTC);
        result = FocusExporter.export(new SqlFocusUsage(database).usage(start, stop, pricing.thresholds()), pricing,
            context(cfg, first, end, new dev.tollgate.report.ContractBook(
                new dev.tollgate.store.sql.report.SqlContractStore(database), java.time.Clock.systemUTC()).inForce(cfg)));
      } catch (RuntimeException e) {
        err.println("cannot read the ledger from " + cfg.storage() + ": " + e.getMessage());
        return BAD;
      }
      try {
        if (out == null) {
          PrintWriter stdout = spec.commandLine().getOut();
          FocusCsv.write(result.rows(), stdout);
          stdout.flush();
        } else if (parquet) {
          try (var o = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
            FocusParquet.write(result.rows(), o);
          }
        } else {
          try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            FocusCsv.write(result.rows(), w);
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        err.println("cannot write " + (out == null ? "the output" : out) + ": " + e.getMessage());
        return BAD;
      }
      result.warnings().forEach(w -> err.println("warning: " + w));
      String where = out == null ? "" : ", written to " + out;
      if (result.billedCostNanos() == result.ledgerCostNanos() && result.shortfallNanos() == 0) {
        err.printf("%d FOCUS rows for %s to %s (UTC), billed %s USD = the ledger's %s USD%s%n", result.rows().size(), first, end,
            Money.ofNanos(result.billedCostNanos()).toUsdString(), Money.ofNanos(result.ledgerCostNanos()).toUsdString(), where);
      } else {
        err.printf("%d FOCUS rows for %s to %s (UTC), billed (effective, under contracts) %s USD; the ledger's list cost %s USD%s%n",
            result.rows().size(), first, end, Money.ofNanos(result.billedCostNanos()).toUsdString(),
            Money.ofNanos(result.ledgerCostNanos()).toUsdString(), where);
      }
      return 0;
    }
  }

  /** The bundled catalog under the config's {@code pricing.catalog} file, as the gateway builds it. */
  static PriceCatalog catalog(GatewayConfig cfg) throws IOException {
    PriceCatalog catalog = BundledCatalog.load();
    if (cfg.pricing() != null && cfg.pricing().catalog() != null) {
      catalog = BundledCatalog.loadFile(cfg.pricing().catalog()).layeredOver(catalog);
    }
    return catalog;
  }

  /** Each configured model's price (its own, else the catalog's, as the gateway resolves it) and placements. */
  static ModelPricing pricing(GatewayConfig cfg, PriceCatalog catalog) {
    List<ModelPricing.Configured> configured = new ArrayList<>();
    for (ModelConfig m : cfg.models().values()) {
      Optional<CatalogEntry> entry = catalog.find(m.upstream());
      if (entry.isEmpty()) entry = catalog.find(m.name());
      Price price = m.price() != null ? m.price() : entry.map(CatalogEntry::price).orElse(null);
      if (price == null) continue; // the gateway refuses such a config; its rows are priced from the catalog or not at all
      List<ModelPricing.Placement> placements = new ArrayList<>();
      for (ModelConfig.Deployment d : m.deployments()) {
        ProviderConfig p = cfg.providers().get(d.provider());
        placements.add(new ModelPricing.Placement(d.provider(), p == null ? null : p.type().wire(), d.upstream()));
      }
      configured.add(new ModelPricing.Configured(m.name(), price, placements));
    }
    return new ModelPricing(configured, catalog);
  }

  /** Who the export is for, with the contracts in force (the config's and those made through the admin API). */
  static FocusExporter.Context context(GatewayConfig cfg, LocalDate first, LocalDate end,
      List<dev.tollgate.domain.contract.Contract> contracts) {
    Map<String, String> centers = new HashMap<>();
    for (TeamConfig t : cfg.teams().values()) if (t.costCenter() != null) centers.put(t.name(), t.costCenter());
    return new FocusExporter.Context(cfg.org().name(), centers, contracts, first, end);
  }
}
