package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.access.AdminToken;
import dev.tollgate.domain.access.Role;
import dev.tollgate.service.AdminTokenService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** {@code /admin/v1/tokens}: personal admin tokens — make (secret shown once), list, revoke. */
final class TokensHandler {

  private final Vertx vertx;
  private final AdminTokenService tokens;
  private final Supplier<GatewayConfig> config;
  private final AdminAudit audit;

  TokensHandler(Vertx vertx, AdminTokenService tokens, Supplier<GatewayConfig> config, AdminAudit audit) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.config = config;
    this.audit = audit;
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
      AdminJson.error(ctx, 400, "invalid_request",
          "Send a JSON object, e.g. {\"name\":\"ana-support\",\"role\":\"team-lead\",\"teams\":[\"support\"],\"user\":\"ana@example.com\"}.");
      return;
    }
    String roleText = text(body, "role");
    Role role = Role.fromWire(roleText).orElse(null);
    if (roleText != null && role == null) {
      AdminJson.error(ctx, 400, "invalid_request", "Unknown role '" + roleText + "'; roles: " + Role.names() + ".");
      return;
    }
    Set<String> teams = new LinkedHashSet<>();
    for (JsonNode t : body.path("teams")) teams.add(t.asText());
    if (body.path("teams").isTextual()) teams.add(body.get("teams").asText());
    GatewayConfig cfg = config.get();
    for (String t : teams) {
      if (!cfg.teams().isEmpty() && !cfg.teams().containsKey(t)) {
        AdminJson.error(ctx, 400, "invalid_request", "Unknown team '" + t + "'; declared teams: "
            + String.join(", ", cfg.teams().keySet()) + ".");
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
    AdminAudit.Change change = audit.begin(ctx, "token");
    var by = AdminAuth.principal(ctx);
    vertx.executeBlocking(() -> {
      var created = tokens.create(text(body, "name"), role, teams, text(body, "user"), expiresAt, by);
      change.record(created.token().id(), null, token(created.token()));
      return created;
    }).onComplete(ar -> {
      if (ar.failed()) {
        Throwable t = ar.cause();
        int status = t instanceof AdminTokenService.NameTaken ? 409 : t instanceof IllegalArgumentException ? 400 : 500;
        AdminJson.error(ctx, status, status == 409 ? "conflict" : status == 400 ? "invalid_request" : "internal_error",
            t.getMessage());
        return;
      }
      ObjectNode out = token(ar.result().token());
      out.put("secret", ar.result().secret());
      out.put("note", "Store this token now: it is shown only once. Use it as 'Authorization: Bearer <token>'.");
      AdminJson.send(ctx, 201, out);
    });
  }

  void list(RoutingContext ctx) {
    vertx.executeBlocking(tokens::all).onComplete(ar -> {
      if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The admin tokens could not be read: " + ar.cause().getMessage());
        return;
      }
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      ar.result().forEach(t -> data.add(token(t)));
      AdminJson.send(ctx, 200, root);
    });
  }

  void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AdminAudit.Change change = audit.begin(ctx, "token");
    vertx.executeBlocking(() -> {
      var before = tokens.find(id);
      var outcome = tokens.revoke(id);
      var after = tokens.find(id);
      if (outcome == AdminTokenService.RevokeOutcome.REVOKED) {
        change.record(id, before.map(TokensHandler::token).orElse(null), after.map(TokensHandler::token).orElse(null));
      }
      return after.filter(t -> outcome != AdminTokenService.RevokeOutcome.NOT_FOUND);
    }).onComplete(ar -> {
      if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The token could not be revoked: " + ar.cause().getMessage());
      else ar.result().ifPresentOrElse(t -> AdminJson.send(ctx, 200, token(t)),
          () -> AdminJson.error(ctx, 404, "not_found", "No admin token with id '" + id + "'."));
    });
  }

  static ObjectNode token(AdminToken t) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("id", t.id()).put("name", t.name()).put("secret_prefix", t.secretPrefix()).put("role", t.role().wire());
    n.set("teams", AdminJson.JSON.valueToTree(new TreeSet<>(t.teams())));
    n.put("user", t.user()).put("created_by", t.createdBy());
    n.put("created_at", t.createdAt() == null ? null : t.createdAt().toString());
    n.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
    n.put("revoked_at", t.revokedAt() == null ? null : t.revokedAt().toString());
    return n;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }
}
