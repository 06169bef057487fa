package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.UsageQuery;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/usage?group_by=team,model&granularity=day&from=2026-11-01&to=2026-12-01&team=support}
 * and {@code GET /admin/v1/ledger} (the rows themselves). Any attribution dimension can be grouped or
 * filtered on, tags as {@code tag:<key>}. Dates are days in the org's time zone; instants are accepted too.
 */
final class UsageHandler {

  private static final List<String> RESERVED = List.of("group_by", "granularity", "from", "to", "limit");

  private final Vertx vertx;
  private final UsageQuery query;
  private final Supplier<GatewayConfig> config;
  private final Clock clock;

  UsageHandler(Vertx vertx, UsageQuery query, Supplier<GatewayConfig> config, Clock clock) {
    this.vertx = vertx;
    this.query = query;
    this.config = config;
    this.clock = clock;
  }

  void aggregate(RoutingContext ctx) {
    UsageFilter filter;
    try {
      filter = filter(ctx);
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> query.aggregate(filter)).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      root.put("from", filter.from().toString()).put("to", filter.to().toString());
      root.put("granularity", filter.granularity() == null ? null : filter.granularity().name().toLowerCase(Locale.ROOT));
      root.put("time_zone", filter.zone().getId());
      root.set("group_by", AdminJson.JSON.valueToTree(filter.groupBy()));
      ArrayNode rows = root.putArray("rows");
      long requests = 0, input = 0, cached = 0, output = 0, reasoning = 0;
      Money cost = Money.ZERO;
      for (UsageAggregate a : ar.result()) {
        ObjectNode row = rows.addObject();
        a.group().forEach(row::put);
        if (a.bucketStart() != null) row.put("bucket", a.bucketStart().atZone(filter.zone()).toOffsetDateTime().toString());
        sums(row, a.requests(), a.inputTokens(), a.cachedInputTokens(), a.outputTokens(), a.reasoningTokens(), a.cost());
        requests += a.requests();
        input += a.inputTokens();
        cached += a.cachedInputTokens();
        output += a.outputTokens();
        reasoning += a.reasoningTokens();
        cost = cost.plus(a.cost());
      }
      sums(root.putObject("totals"), requests, input, cached, output, reasoning, cost);
      AdminJson.send(ctx, 200, root);
    });
  }

  void recent(RoutingContext ctx) {
    UsageFilter filter;
    int limit;
    try {
      filter = filter(ctx);
      limit = ctx.queryParams().contains("limit") ? Integer.parseInt(ctx.queryParams().get("limit")) : 100;
      if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("'limit' must be between 1 and 10000");
    } catch (NumberFormatException e) {
      AdminJson.error(ctx, 400, "invalid_request", "'limit' must be a whole number");
      return;
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> query.recent(filter, limit)).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      ar.result().forEach(r -> data.add(row(r)));
      AdminJson.send(ctx, 200, root);
    });
  }

  static ObjectNode row(UsageRecord r) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("id", r.id()).put("started_at", r.startedAt().toString()).put("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
    n.put("key", r.keyName()).put("org", r.attribution().org());
    AdminJson.attribution(n, r.attribution());
    n.put("conversation", r.attribution().conversation());
    n.put("provider", r.provider()).put("requested_model", r.requestedModel()).put("served_model", r.servedModel())
        .put("tier", r.tier()).put("route_reason", r.routeReason());
    n.put("input_tokens", r.usage().inputTokens()).put("cached_input_tokens", r.usage().cachedInputTokens())
        .put("cache_write_tokens", r.usage().cacheWriteTokens()).put("output_tokens", r.usage().outputTokens())
        .put("reasoning_tokens", r.usage().reasoningTokens());
    AdminJson.usd(n, "cost_usd", r.cost());
    n.put("status", r.status().wire()).put("error_code", r.errorCode()).put("http_status", r.httpStatus())
        .put("latency_ms", r.latencyMs()).put("ttft_ms", r.ttftMs()).put("exception_id", r.exceptionId())
        .put("cache_hit", r.cacheHit()).put("usage_estimated", r.usageEstimated()).put("stream", r.stream())
        .put("class_reason", r.classReason()).put("attempts", r.attempts());
    AdminJson.usd(n, "cost_saved_usd", r.efficiency().costSaved());
    n.put("template", r.efficiency().template()).put("prompt_hash", r.efficiency().promptHash())
        .put("prefix_hash", r.efficiency().prefixHash()).put("max_tokens", r.efficiency().maxTokens());
    n.set("guard_findings", AdminJson.JSON.valueToTree(r.guardFindings()));
    return n;
  }

  private static void sums(ObjectNode n, long requests, long input, long cached, long output, long reasoning, Money cost) {
    n.put("requests", requests).put("input_tokens", input).put("cached_input_tokens", cached)
        .put("output_tokens", output).put("reasoning_tokens", reasoning);
    AdminJson.usd(n, "cost_usd", cost);
  }

  private UsageFilter filter(RoutingContext ctx) {
    ZoneId zone = config.get().org().timeZone();
    var params = ctx.queryParams();
    LocalDate today = LocalDate.now(clock.withZone(zone));
    Instant from = params.contains("from") ? time(params.get("from"), zone, "from")
        : today.withDayOfMonth(1).atStartOfDay(zone).toInstant();
    Instant to = params.contains("to") ? time(params.get("to"), zone, "to")
        : today.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    if (!from.isBefore(to)) throw new IllegalArgumentException("'from' must be before 'to'");
    List<String> groupBy = params.contains("group_by") && !params.get("group_by").isBlank()
        ? Arrays.stream(params.get("group_by").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of();
    for (String g : groupBy) checkDimension(g);
    UsageFilter.Granularity granularity = null;
    if (params.contains("granularity") && !params.get("granularity").isBlank()) {
      try {
        granularity = UsageFilter.Granularity.valueOf(params.get("granularity").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'granularity' must be one of hour, day, week, month");
      }
    }
    Map<String, String> equals = new LinkedHashMap<>();
    for (String name : params.names()) {
      if (RESERVED.contains(name)) continue;
      checkDimension(name);
      equals.put(name, params.get(name));
    }
    return new UsageFilter(from, to, equals, groupBy, granularity, zone);
  }

  private static void checkDimension(String name) {
    if (!UsageFilter.DIMENSIONS.contains(name) && !(name.startsWith("tag:") && name.length() > 4)) {
      throw new IllegalArgumentException("Unknown dimension '" + name + "'; use one of "
          + String.join(", ", UsageFilter.DIMENSIONS) + ", or tag:<key>");
    }
  }

  private static Instant time(String value, ZoneId zone, String name) {
    try {
      if (value.length() == 10) return LocalDate.parse(value).atStartOfDay(zone).toInstant();
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + name + "' must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
    }
  }

  private static void fail(RoutingContext ctx, Throwable t) {
    if (t instanceof IllegalArgumentException) AdminJson.error(ctx, 400, "invalid_request", t.getMessage());
    else AdminJson.error(ctx, 500, "internal_error", "The ledger could not be read: " + t.getMessage());
  }
}
