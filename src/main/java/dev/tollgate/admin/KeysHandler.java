package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.service.KeyService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** {@code /admin/v1/keys}: make (secret shown once), list, show, revoke. */
final class KeysHandler {

  private final Vertx vertx;
  private final KeyService keys;
  private final Supplier<GatewayConfig> config;
  private final AdminAudit audit;
  /** Whether a workload class is in force (from the config file or made through the API). */
  private final java.util.function.Predicate<String> knownClass;

  KeysHandler(Vertx vertx, KeyService keys, Supplier<GatewayConfig> config, AdminAudit audit,
      java.util.function.Predicate<String> knownClass) {
    this.vertx = vertx;
    this.keys = keys;
    this.config = config;
    this.audit = audit;
    this.knownClass = knownClass;
  }

  void create(RoutingContext ctx) {
    JsonNode body;
    try {
      body = AdminJson.JSON.readTree(ctx.body().asString() == null ? "{}" : ctx.body().asString());
    } catch (Exception e) {
      AdminJson.error(ctx, 400, "invalid_request", "The body is not valid JSON: " + e.getMessage());
      return;
    }
    if (body == null || !body.isObject()) {
      AdminJson.error(ctx, 400, "invalid_request", "Send a JSON object, e.g. {\"name\":\"triage-bot\",\"team\":\"support\"}.");
      return;
    }
    GatewayConfig cfg = config.get();
    String team = text(body, "team");
    if (team != null && !cfg.teams().isEmpty() && !cfg.teams().containsKey(team)) {
      AdminJson.error(ctx, 400, "invalid_request", "Unknown team '" + team + "'; declared teams: " + String.join(", ", cfg.teams().keySet()) + ".");
      return;
    }
    AccessRules.Access access = AdminAuth.access(ctx);
    if (!access.permitsTeam(team)) {
      AdminJson.error(ctx, 403, "out_of_scope", "You make keys for your own teams only ("
          + String.join(", ", new java.util.TreeSet<>(access.principal().teams())) + "); set 'team' to one of them.");
      return;
    }
    String workloadClass = text(body, "workload_class");
    if (workloadClass != null && !knownClass.test(workloadClass)) {
      AdminJson.error(ctx, 400, "invalid_request", "Unknown workload_class '" + workloadClass + "'.");
      return;
    }
    List<String> models = new ArrayList<>();
    for (JsonNode m : body.path("models")) models.add(m.asText());
    for (String m : models) {
      if (!cfg.models().containsKey(m)) {
        AdminJson.error(ctx, 400, "invalid_request", "Unknown model '" + m + "'; configured: " + String.join(", ", cfg.models().keySet()) + ".");
        return;
      }
    }
    Instant expiresAt;
    try {
      expiresAt = text(body, "expires_at") == null ? null : Instant.parse(text(body, "expires_at"));
    } catch (DateTimeParseException e) {
      AdminJson.error(ctx, 400, "invalid_request", "'expires_at' must be an ISO-8601 instant such as 2026-12-31T23:59:59Z.");
      return;
    }
    Map<String, String> tags = new TreeMap<>();
    body.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    Attribution defaults = new Attribution(cfg.org().name(), team, text(body, "project"), text(body, "workflow"),
        text(body, "agent"), text(body, "user"), text(body, "channel"), null, workloadClass, tags);
    String name = text(body, "name");
    AdminAudit.Change change = audit.begin(ctx, "key");
    vertx.executeBlocking(() -> {
      var created = keys.create(name, defaults, models, expiresAt);
      change.record(created.key().id(), null, AdminJson.key(created.key()));
      return created;
    }).onComplete(ar -> {
      if (ar.failed()) {
        Throwable t = ar.cause();
        int status = t instanceof IllegalStateException ? 409 : t instanceof IllegalArgumentException ? 400 : 500;
        AdminJson.error(ctx, status, status == 409 ? "conflict" : status == 400 ? "invalid_request" : "internal_error", t.getMessage());
        return;
      }
      ObjectNode out = AdminJson.key(ar.result().key());
      out.put("secret", ar.result().secret());
      out.put("note", "Store this secret now: it is shown only once.");
      AdminJson.send(ctx, 201, out);
    });
  }

  void list(RoutingContext ctx) {
    ObjectNode root = AdminJson.JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    AccessRules.Access access = AdminAuth.access(ctx);
    keys.all().stream().filter(k -> access.permitsTeam(k.defaults().team())).forEach(k -> data.add(AdminJson.key(k)));
    AdminJson.send(ctx, 200, root);
  }

  void get(RoutingContext ctx) {
    AccessRules.Access access = AdminAuth.access(ctx);
    keys.find(ctx.pathParam("id")).filter(k -> access.permitsTeam(k.defaults().team())).ifPresentOrElse(
        k -> AdminJson.send(ctx, 200, AdminJson.key(k)),
        () -> AdminJson.error(ctx, 404, "not_found", "No key with id '" + ctx.pathParam("id") + "'."));
  }

  void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AccessRules.Access access = AdminAuth.access(ctx);
    if (keys.find(id).filter(k -> access.permitsTeam(k.defaults().team())).isEmpty()) {
      AdminJson.error(ctx, 404, "not_found", "No key with id '" + id + "'.");
      return;
    }
    AdminAudit.Change change = audit.begin(ctx, "key");
    vertx.executeBlocking(() -> {
      var before = keys.find(id).map(AdminJson::key).orElse(null);
      var outcome = keys.revoke(id);
      if (outcome == KeyService.RevokeOutcome.REVOKED) change.record(id, before, keys.find(id).map(AdminJson::key).orElse(null));
      return outcome;
    }).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The key could not be revoked: " + ar.cause().getMessage());
        return;
      }
      switch (ar.result()) {
        case REVOKED, ALREADY_REVOKED -> AdminJson.send(ctx, 200, AdminJson.key(keys.find(id).orElseThrow()));
        case NOT_FOUND -> AdminJson.error(ctx, 404, "not_found", "No key with id '" + id + "'.");
        case DECLARED_IN_CONFIG -> AdminJson.error(ctx, 409, "conflict",
            "This key is declared in the config file; remove it there and the gateway reloads without it.");
      }
    });
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }
}
