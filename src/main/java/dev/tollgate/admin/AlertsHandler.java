package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.port.AlertStore;
import dev.tollgate.service.AlertService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code /admin/v1/alerts}: history (filter by state, kind and time, paged), acknowledge, resolve. A
 * team lead sees the alerts of their teams, a member those about their own user; an acknowledgement
 * or resolution is audited, and so is the lifting of a suspension or throttle it causes.
 */
final class AlertsHandler {

  private final Vertx vertx;
  private final AlertService alerts;
  private final AdminAudit audit;

  AlertsHandler(Vertx vertx, AlertService alerts, AdminAudit audit) {
    this.vertx = vertx;
    this.alerts = alerts;
    this.audit = audit;
  }

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** The history, newest first: {@code state}, {@code kind}, {@code since} filters; {@code limit} and {@code after} page. */
  void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    String state = blankToNull(params.get("state"));
    String kind = blankToNull(params.get("kind"));
    Instant since;
    AlertStore.Cursor after;
    int limit;
    try {
      since = params.contains("since") ? since(params.get("since")) : null;
      after = params.contains("after") ? cursor(params.get("after")) : null;
      limit = params.contains("limit") ? limit(params.get("limit")) : DEFAULT_LIMIT;
      if (state != null && !List.of("open", "acknowledged", "resolved").contains(state)) {
        throw new IllegalArgumentException("'state' must be open, acknowledged or resolved");
      }
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    AccessRules.Access access = AdminAuth.access(ctx);
    vertx.executeBlocking(() -> alerts.list(state, kind, since, after, limit, a -> sees(access, a))).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The alerts could not be read: " + ar.cause().getMessage());
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      List<Alert> page = ar.result();
      page.forEach(a -> data.add(render(a)));
      if (page.size() == limit) {
        Alert last = page.get(page.size() - 1);
        root.put("next_after", nanos(last.firstAt()) + "." + last.id());
      } else {
        root.putNull("next_after");
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  private static Instant since(String value) {
    try {
      return value.length() == 10 ? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'since' must be a date (2026-11-01, UTC) or an instant (2026-11-01T00:00:00Z)");
    }
  }

  private static AlertStore.Cursor cursor(String value) {
    int dot = value.indexOf('.');
    try {
      if (dot > 0 && dot < value.length() - 1) {
        long n = Long.parseLong(value.substring(0, dot));
        return new AlertStore.Cursor(Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L)),
            value.substring(dot + 1));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'after' must be the next_after of the page before");
  }

  private static int limit(String value) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v >= 1 && v <= MAX_LIMIT) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'limit' must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Whether the caller may see {@code a}: everything, their teams' alerts, or those about their own user. */
  static boolean sees(AccessRules.Access access, Alert a) {
    return switch (access.scope()) {
      case ALL -> true;
      case OWN_TEAMS -> access.permitsTeam(a.team());
      case OWN_USER -> access.permitsUser(a.user());
      case NONE -> false;
    };
  }

  void ack(RoutingContext ctx) {
    act(ctx, alerts::acknowledge);
  }

  void resolve(RoutingContext ctx) {
    act(ctx, alerts::resolve);
  }

  private void act(RoutingContext ctx, BiFunction<String, String, Optional<AlertService.Transition>> action) {
    String id = ctx.pathParam("id");
    AdminAudit.Change change = audit.begin(ctx, "alert");
    String actor = AdminAuth.principal(ctx).actor();
    vertx.executeBlocking(() -> {
      Optional<AlertService.Transition> t = action.apply(id, actor);
      t.filter(AlertService.Transition::changed).ifPresent(done -> {
        change.record(id, render(done.before()), render(done.after()));
        for (Restriction r : done.lifted()) change.record("alert_restriction", r.subject(), restriction(r), null);
      });
      return t;
    }).onComplete(ar -> {
      if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The alert could not be changed: " + ar.cause().getMessage());
      else ar.result().ifPresentOrElse(t -> AdminJson.send(ctx, 200, render(t.after())),
          () -> AdminJson.error(ctx, 404, "not_found", "No alert '" + id + "'."));
    });
  }

  static ObjectNode restriction(Restriction r) {
    return AdminJson.JSON.createObjectNode().put("subject", r.subject()).put("action", r.kind().wire())
        .put("per_minute", r.perMinute()).put("alert_id", r.alertId()).put("reason", r.reason());
  }

  static ObjectNode render(Alert a) {
    return AdminJson.JSON.createObjectNode().put("id", a.id()).put("kind", a.kind()).put("subject", a.subject())
        .put("team", a.team()).put("user", a.user()).put("severity", a.severity()).put("message", a.message())
        .put("first_at", a.firstAt().toString()).put("last_at", a.lastAt().toString()).put("count", a.count())
        .put("state", a.state()).put("acted_by", a.actedBy()).put("action", a.action());
  }
}
