package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.service.AlertService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code /admin/v1/alerts}: history (filter by state or kind), acknowledge, resolve. A team lead sees
 * the alerts of their teams, a member those about their own user; an acknowledgement or resolution is
 * audited, and so is the lifting of a key suspension it causes.
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

  void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    String kind = ctx.queryParams().get("kind");
    AccessRules.Access access = AdminAuth.access(ctx);
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Alert a : alerts.list()) {
      if (!sees(access, a)) continue;
      if ((state == null || state.equals(a.state())) && (kind == null || kind.equals(a.kind()))) data.add(render(a));
    }
    AdminJson.send(ctx, 200, root);
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
        if (done.resumedKey() != null) {
          change.record("key_suspension", done.resumedKey(), AdminJson.JSON.createObjectNode().put("key", done.resumedKey())
              .put("suspended", true).put("reason", AlertService.RUNAWAY_REASON), null);
        }
      });
      return t;
    }).onComplete(ar -> {
      if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The alert could not be changed: " + ar.cause().getMessage());
      else ar.result().ifPresentOrElse(t -> AdminJson.send(ctx, 200, render(t.after())),
          () -> AdminJson.error(ctx, 404, "not_found", "No alert '" + id + "'."));
    });
  }

  static ObjectNode render(Alert a) {
    return AdminJson.JSON.createObjectNode().put("id", a.id()).put("kind", a.kind()).put("subject", a.subject())
        .put("team", a.team()).put("user", a.user()).put("severity", a.severity()).put("message", a.message())
        .put("first_at", a.firstAt().toString()).put("last_at", a.lastAt().toString()).put("count", a.count())
        .put("state", a.state()).put("acted_by", a.actedBy()).put("action", a.action());
  }
}
