package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.report.focus.ModelPricing;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the report, outcome, workflow and export handlers share: reading periods and filters from
 * the query string the way {@code /admin/v1/usage} does (dates are days in the org's time zone,
 * instants are accepted), running database work on a worker thread, and the price list in force.
 */
final class ReportsHandler {

  private ReportsHandler() {}

  /** A half-open span of time, {@code from <= t < to}. */
  record Period(Instant from, Instant to) {}

  /** {@code from}/{@code to} (any names) from the query; both default to the current month in the org's zone. */
  static Period period(MultiMap params, String fromName, String toName, ZoneId zone, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(zone));
    Instant from = params.contains(fromName) ? time(params.get(fromName), zone, fromName)
        : today.withDayOfMonth(1).atStartOfDay(zone).toInstant();
    Instant to = params.contains(toName) ? time(params.get(toName), zone, toName)
        : today.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    if (!from.isBefore(to)) throw new IllegalArgumentException("'" + fromName + "' must be before '" + toName + "'");
    return new Period(from, to);
  }

  /** Both bounds required. */
  static Period requiredPeriod(MultiMap params, String fromName, String toName, ZoneId zone) {
    for (String name : List.of(fromName, toName)) {
      if (!params.contains(name)) throw new IllegalArgumentException("'" + name + "' is required (a date such as 2026-11-01)");
    }
    Instant from = time(params.get(fromName), zone, fromName);
    Instant to = time(params.get(toName), zone, toName);
    if (!from.isBefore(to)) throw new IllegalArgumentException("'" + fromName + "' must be before '" + toName + "'");
    return new Period(from, to);
  }

  static Instant time(String value, ZoneId zone, String name) {
    try {
      if (value.length() == 10) return LocalDate.parse(value).atStartOfDay(zone).toInstant();
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + name + "' must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
    }
  }

  /** {@code month=2026-11}, default the current month in the org's zone. */
  static YearMonth month(MultiMap params, ZoneId zone, Clock clock) {
    if (!params.contains("month")) return YearMonth.now(clock.withZone(zone));
    try {
      return YearMonth.parse(params.get("month"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'month' must be a month such as 2026-11");
    }
  }

  static Period of(YearMonth month, ZoneId zone) {
    return new Period(month.atDay(1).atStartOfDay(zone).toInstant(), month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
  }

  /** A whole number from the query, with a default and bounds. */
  static int integer(MultiMap params, String name, int fallback, int min, int max) {
    if (!params.contains(name)) return fallback;
    try {
      int v = Integer.parseInt(params.get(name));
      if (v < min || v > max) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + name + "' must be a whole number from " + min + " to " + max);
    }
  }

  /** A ledger dimension as {@code /usage} knows them ({@code team}, {@code model}, {@code tag:env}…). */
  static String dimension(String name) {
    if (name == null || !(UsageFilter.DIMENSIONS.contains(name) || (name.startsWith("tag:") && name.length() > 4))) {
      throw new IllegalArgumentException("Unknown dimension '" + name + "'; use one of "
          + String.join(", ", UsageFilter.DIMENSIONS) + ", or tag:<key>");
    }
    return name;
  }

  /** Every query parameter not in {@code reserved}, each a ledger dimension to filter on. */
  static Map<String, String> filters(MultiMap params, Collection<String> reserved) {
    Map<String, String> equals = new LinkedHashMap<>();
    for (String name : params.names()) {
      if (reserved.contains(name)) continue;
      equals.put(dimension(name), params.get(name));
    }
    return equals;
  }

  static UsageFilter filter(Period p, Map<String, String> equals, List<String> groupBy, ZoneId zone) {
    return new UsageFilter(p.from(), p.to(), equals, groupBy, null, zone);
  }

  /** The JSON body as an object, or null after answering 400. */
  static ObjectNode body(RoutingContext ctx, String example) {
    JsonNode body;
    try {
      String text = ctx.body() == null ? null : ctx.body().asString();
      body = AdminJson.JSON.readTree(text == null ? "" : text);
    } catch (Exception e) {
      AdminJson.error(ctx, 400, "invalid_request", "The body is not valid JSON: " + e.getMessage());
      return null;
    }
    if (body == null || !body.isObject()) {
      AdminJson.error(ctx, 400, "invalid_request", "Send a JSON object, e.g. " + example + ".");
      return null;
    }
    return (ObjectNode) body;
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual()) throw new IllegalArgumentException("'" + field + "' must be a string");
    return n.asText();
  }

  static Long whole(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.canConvertToLong() || !n.isIntegralNumber()) throw new IllegalArgumentException("'" + field + "' must be a whole number");
    return n.asLong();
  }

  /** A USD amount given as a JSON number or a decimal string; at most nine decimals. */
  static Money usd(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    try {
      BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
      return Money.ofUsd(d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + field + "' must be a USD amount such as 12.50");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + field + "': " + e.getMessage());
    }
  }

  static void usdOrNull(ObjectNode n, String field, Money m) {
    if (m == null) n.putNull(field);
    else AdminJson.usd(n, field, m);
  }

  static void decimalOrNull(ObjectNode n, String field, BigDecimal d) {
    if (d == null) n.putNull(field);
    else n.put(field, d.stripTrailingZeros());
  }

  /** Runs {@code work} on a worker thread; 400 for bad input found there, 500 for a database failure. */
  static <T> void blocking(Vertx vertx, RoutingContext ctx, Callable<T> work, Consumer<T> render) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.succeeded()) {
        try {
          render.accept(ar.result());
        } catch (IllegalArgumentException e) {
          AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
        }
      } else if (ar.cause() instanceof IllegalArgumentException) {
        AdminJson.error(ctx, 400, "invalid_request", ar.cause().getMessage());
      } else {
        AdminJson.error(ctx, 500, "internal_error", "The report could not be made: " + ar.cause().getMessage());
      }
    });
  }

  /** A CSV field, quoted when it must be (RFC 4180); null as empty. */
  static String csv(String v) {
    if (v == null) return "";
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  private static final AtomicReference<Object[]> CATALOG = new AtomicReference<>();

  /**
   * The price catalog the running config uses: the bundled one, under the config's
   * {@code pricing.catalog} file if it names one (cached per config).
   */
  static PriceCatalog catalog(GatewayConfig config) {
    Object[] cached = CATALOG.get();
    if (cached != null && cached[0] == config) return (PriceCatalog) cached[1];
    PriceCatalog catalog = BundledCatalog.load();
    if (config.pricing() != null && config.pricing().catalog() != null) {
      try {
        catalog = BundledCatalog.loadFile(config.pricing().catalog()).layeredOver(catalog);
      } catch (IOException e) {
        throw new IllegalStateException("the price file " + config.pricing().catalog() + " could not be read: " + e.getMessage(), e);
      }
    }
    CATALOG.set(new Object[] {config, catalog});
    return catalog;
  }

  /** The configured models' prices and placements, over the catalog, for pricing ledger rows. */
  static ModelPricing pricing(GatewayState state, GatewayConfig config) {
    List<ModelPricing.Configured> configured = new ArrayList<>();
    for (ModelRoute m : state.models().values()) {
      List<ModelPricing.Placement> placements = new ArrayList<>();
      for (ModelRoute p : m.placements()) {
        placements.add(new ModelPricing.Placement(p.provider().name(), p.provider().type(), p.upstream()));
      }
      configured.add(new ModelPricing.Configured(m.name(), m.price(), placements));
    }
    return new ModelPricing(configured, catalog(config));
  }
}
