package dev.tollgate.admin;

import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.TeamConfig;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.report.focus.FocusCsv;
import dev.tollgate.report.focus.FocusExporter;
import dev.tollgate.report.focus.FocusParquet;
import dev.tollgate.report.focus.FocusUsageSource;
import dev.tollgate.report.focus.ModelPricing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/export/focus?from=2026-11-01&to=2026-12-01&format=csv|parquet}: the ledger as a
 * FOCUS 1.2 Cost and Usage dataset, CSV (the default) or Parquet (see docs/focus.md). Charge periods are UTC days, so {@code from} and {@code to} are
 * UTC dates (or instants at UTC midnight); the default is the current UTC month.
 */
final class ExportHandler {

  private final Vertx vertx;
  private final FocusUsageSource source;
  private final dev.tollgate.report.ContractBook contracts;
  private final Supplier<GatewayConfig> config;
  private final Supplier<GatewayState> state;
  private final Clock clock;

  ExportHandler(Vertx vertx, FocusUsageSource source, dev.tollgate.report.ContractBook contracts,
      Supplier<GatewayConfig> config, Supplier<GatewayState> state, Clock clock) {
    this.vertx = vertx;
    this.source = source;
    this.contracts = contracts;
    this.config = config;
    this.state = state;
    this.clock = clock;
  }

  void focus(RoutingContext ctx) {
    var params = ctx.queryParams();
    ReportsHandler.Period period;
    boolean parquet;
    try {
      String format = params.contains("format") ? params.get("format") : "csv";
      if (!format.equals("csv") && !format.equals("parquet")) throw new IllegalArgumentException("'format' must be csv or parquet");
      parquet = format.equals("parquet");
      period = utcDays(params, clock);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    GatewayConfig cfg = config.get();
    ModelPricing pricing = ReportsHandler.pricing(state.get(), cfg);
    record Export(FocusExporter.Result result, Buffer body) {}
    ReportsHandler.blocking(vertx, ctx, () -> {
      var result = FocusExporter.export(source.usage(period.from(), period.to(), pricing.thresholds()), pricing,
          context(cfg, period, contracts.inForce(cfg)));
      // rendered here, off the event loop
      return new Export(result, parquet ? Buffer.buffer(FocusParquet.toBytes(result.rows()))
          : Buffer.buffer(FocusCsv.toString(result.rows()), "UTF-8"));
    }, export -> {
      String name = "tollgate-focus-" + period.from().toString().substring(0, 10) + "-" + period.to().toString().substring(0, 10);
      var response = ctx.response()
          .putHeader("content-type", parquet ? "application/vnd.apache.parquet" : "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"" + name + (parquet ? ".parquet" : ".csv") + "\"")
          .putHeader("x-tollgate-focus-rows", Integer.toString(export.result().rows().size()));
      if (!export.result().warnings().isEmpty()) {
        response.putHeader("x-tollgate-focus-warnings", String.join("; ", export.result().warnings()));
      }
      response.end(export.body());
    });
  }

  static FocusExporter.Context context(GatewayConfig cfg, ReportsHandler.Period period,
      java.util.List<dev.tollgate.domain.contract.Contract> contracts) {
    Map<String, String> centers = new HashMap<>();
    for (TeamConfig t : cfg.teams().values()) if (t.costCenter() != null) centers.put(t.name(), t.costCenter());
    return new FocusExporter.Context(cfg.org().name(), centers, contracts, utcDate(period.from()), utcDate(period.to()));
  }

  static LocalDate utcDate(Instant midnight) {
    return LocalDate.ofInstant(midnight, ZoneOffset.UTC);
  }

  /** {@code from} and {@code to} as whole UTC days; the current UTC month by default. */
  static ReportsHandler.Period utcDays(io.vertx.core.MultiMap params, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    Instant from = params.contains("from") ? utcDay(params.get("from"), "from") : today.withDayOfMonth(1).atStartOfDay()
        .toInstant(ZoneOffset.UTC);
    Instant to = params.contains("to") ? utcDay(params.get("to"), "to") : today.withDayOfMonth(1).plusMonths(1).atStartOfDay()
        .toInstant(ZoneOffset.UTC);
    if (!from.isBefore(to)) throw new IllegalArgumentException("'from' must be before 'to'");
    return new ReportsHandler.Period(from, to);
  }

  /** A UTC date, or an instant at UTC midnight: FOCUS charge periods here are whole UTC days. */
  private static Instant utcDay(String value, String name) {
    Instant t = ReportsHandler.time(value, ZoneOffset.UTC, name);
    if (t.getEpochSecond() % 86_400 != 0 || t.getNano() != 0) {
      throw new IllegalArgumentException("'" + name + "' must fall on a UTC day boundary (FOCUS charge periods are whole "
          + "UTC days); give a date such as 2026-11-01");
    }
    return t;
  }
}
