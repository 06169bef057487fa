package dev.tollgate.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.money.Money;
import io.vertx.ext.web.RoutingContext;

/** JSON rendering shared by the admin handlers: one shape per resource, and the error shape. */
final class AdminJson {

  /** Decimals in, decimals out: amounts are never floats, and never written as 8E+3. */
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private AdminJson() {}

  static ObjectNode key(VirtualKey k) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", k.id()).put("name", k.name()).put("secret_prefix", k.secretPrefix()).put("source", k.source());
    attribution(n, k.defaults());
    n.set("models", JSON.valueToTree(k.allowedModels()));
    n.put("created_at", k.createdAt() == null ? null : k.createdAt().toString());
    n.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
    n.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
    return n;
  }

  static void attribution(ObjectNode n, Attribution a) {
    n.put("team", a.team()).put("project", a.project()).put("workflow", a.workflow()).put("agent", a.agent())
        .put("user", a.user()).put("channel", a.channel()).put("workload_class", a.workloadClass());
    n.set("tags", JSON.valueToTree(a.tags()));
  }

  static void usd(ObjectNode n, String field, Money m) {
    n.put(field, m.toUsd().stripTrailingZeros());
  }

  static void send(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(JSON.writeValueAsString(body));
    } catch (Exception e) {
      error(ctx, 500, "internal_error", "The answer could not be encoded.");
    }
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", status >= 500 ? "api_error" : "invalid_request_error")
        .put("code", code);
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(root.toString());
    }
  }
}
