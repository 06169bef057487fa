package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.service.AlertService;
import io.vertx.ext.web.RoutingContext;

/** {@code /admin/v1/alerts}: history (filter by state or kind), acknowledge, resolve. */
final class AlertsHandler {

  private final AlertService alerts;

  AlertsHandler(AlertService alerts) {
    this.alerts = alerts;
  }

  void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    String kind = ctx.queryParams().get("kind");
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Alert a : alerts.list()) {
      if ((state == null || state.equals(a.state())) && (kind == null || kind.equals(a.kind()))) data.add(render(a));
    }
    AdminJson.send(ctx, 200, root);
  }

  void ack(RoutingContext ctx) {
    String actor = ctx.get("tollgate.actor");
    alerts.acknowledge(ctx.pathParam("id"), actor == null ? "admin-token" : actor).ifPresentOrElse(a -> AdminJson.send(ctx, 200, render(a)),
        () -> AdminJson.error(ctx, 404, "not_found", "No alert '" + ctx.pathParam("id") + "'."));
  }

  void resolve(RoutingContext ctx) {
    String actor = ctx.get("tollgate.actor");
    alerts.resolve(ctx.pathParam("id"), actor == null ? "admin-token" : actor).ifPresentOrElse(a -> AdminJson.send(ctx, 200, render(a)),
        () -> AdminJson.error(ctx, 404, "not_found", "No alert '" + ctx.pathParam("id") + "'."));
  }

  static ObjectNode render(Alert a) {
    return AdminJson.JSON.createObjectNode().put("id", a.id()).put("kind", a.kind()).put("subject", a.subject())
        .put("severity", a.severity()).put("message", a.message()).put("first_at", a.firstAt().toString())
        .put("last_at", a.lastAt().toString()).put("count", a.count()).put("state", a.state()).put("acted_by", a.actedBy())
        .put("action", a.action());
  }
}
