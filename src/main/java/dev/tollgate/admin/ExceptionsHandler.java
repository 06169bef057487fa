package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.exception.BudgetException;
import dev.tollgate.domain.money.Money;
import dev.tollgate.service.ExceptionService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code /admin/v1/exceptions}: request, list, show, approve, deny, revoke, renew, add outcome notes;
 * {@code /exceptions/review} (usage and cost under each) and {@code /exceptions/notifications}
 * (pending approvals, expiries coming).
 */
final class ExceptionsHandler {

  private final Vertx vertx;
  private final ExceptionService exceptions;
  private final Clock clock;

  ExceptionsHandler(Vertx vertx, ExceptionService exceptions, Clock clock) {
    this.vertx = vertx;
    this.exceptions = exceptions;
    this.clock = clock;
  }

  /** Who is calling: set by the admin authentication in front of the routes; the bootstrap token is an admin. */
  record Actor(String name, String role, List<String> teams) {
    static Actor of(RoutingContext ctx) {
      String name = ctx.get("tollgate.actor");
      String role = ctx.get("tollgate.role");
      List<String> teams = ctx.get("tollgate.teams");
      return new Actor(name == null ? "admin-token" : name, role == null ? "admin" : role, teams == null ? List.of() : teams);
    }
  }

  void create(RoutingContext ctx) {
    JsonNode b = body(ctx);
    if (b == null) return;
    ExceptionService.Request r;
    try {
      r = new ExceptionService.Request(text(b, "requester") != null ? text(b, "requester") : Actor.of(ctx).name(),
          text(b, "justification"), text(b, "scope"), text(b, "team"), text(b, "workload_class"), list(b, "unlock_tiers"),
          list(b, "unlock_models"), b.path("extra_tokens").asLong(0),
          b.hasNonNull("extra_usd") ? Money.ofUsd(b.get("extra_usd").decimalValue()) : Money.ZERO,
          instant(b, "starts_at"), instant(b, "expires_at"));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    blocking(ctx, () -> exceptions.request(r), e -> AdminJson.send(ctx, 201, render(e)));
  }

  void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    blocking(ctx, exceptions::list, all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      for (BudgetException e : all) {
        if (state == null || e.stateAt(clock.instant()).wire().equals(state)) data.add(render(e));
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    blocking(ctx, () -> exceptions.find(id), f -> f.ifPresentOrElse(e -> AdminJson.send(ctx, 200, render(e)),
        () -> AdminJson.error(ctx, 404, "not_found", "No exception '" + id + "'.")));
  }

  void approve(RoutingContext ctx) {
    decide(ctx, (a, note) -> exceptions.approve(ctx.pathParam("id"), a.name(), a.role(), a.teams(), note));
  }

  void deny(RoutingContext ctx) {
    decide(ctx, (a, note) -> exceptions.deny(ctx.pathParam("id"), a.name(), a.role(), a.teams(), note));
  }

  void revoke(RoutingContext ctx) {
    decide(ctx, (a, note) -> exceptions.revoke(ctx.pathParam("id"), a.name(), note));
  }

  private void decide(RoutingContext ctx, java.util.function.BiFunction<Actor, String, ExceptionService.Decided> action) {
    JsonNode b = ctx.body().asString() == null || ctx.body().asString().isBlank() ? AdminJson.JSON.createObjectNode() : body(ctx);
    if (b == null) return;
    Actor actor = Actor.of(ctx);
    blocking(ctx, () -> action.apply(actor, text(b, "note")), d -> {
      switch (d.outcome()) {
        case DONE -> AdminJson.send(ctx, 200, render(d.exception()));
        case NOT_FOUND -> AdminJson.error(ctx, 404, "not_found", "No exception '" + ctx.pathParam("id") + "'.");
        case NOT_ALLOWED -> AdminJson.error(ctx, 403, "permission_denied", "You may not decide this exception: " + d.reason() + ".");
        case WRONG_STATE -> AdminJson.error(ctx, 409, "conflict", "This exception cannot change now: " + d.reason() + ".");
      }
    });
  }

  void renew(RoutingContext ctx) {
    JsonNode b = body(ctx);
    if (b == null) return;
    Instant expires;
    try {
      expires = instant(b, "expires_at");
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    String id = ctx.pathParam("id");
    String why = text(b, "still_earns_its_place") != null ? text(b, "still_earns_its_place") : text(b, "justification");
    blocking(ctx, () -> exceptions.renew(id, Actor.of(ctx).name(), why, expires), e -> AdminJson.send(ctx, 201, render(e)));
  }

  void note(RoutingContext ctx) {
    JsonNode b = body(ctx);
    if (b == null) return;
    String note = text(b, "note");
    if (note == null) {
      AdminJson.error(ctx, 400, "invalid_request", "Send {\"note\": \"what it achieved\"}.");
      return;
    }
    blocking(ctx, () -> exceptions.addNote(ctx.pathParam("id"), note), f -> f.ifPresentOrElse(e -> AdminJson.send(ctx, 200, render(e)),
        () -> AdminJson.error(ctx, 404, "not_found", "No exception '" + ctx.pathParam("id") + "'.")));
  }

  void review(RoutingContext ctx) {
    blocking(ctx, exceptions::review, rows -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      for (ExceptionService.Review r : rows) {
        ObjectNode n = render(r.exception());
        n.put("requests", r.requests()).put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens());
        AdminJson.usd(n, "cost_usd", r.cost());
        data.add(n);
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void notifications(RoutingContext ctx) {
    blocking(ctx, exceptions::notices, notices -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      notices.forEach(n -> data.addObject().put("kind", n.kind()).put("exception_id", n.exception().id()).put("message", n.message()));
      AdminJson.send(ctx, 200, root);
    });
  }

  ObjectNode render(BudgetException e) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("id", e.id()).put("state", e.stateAt(clock.instant()).wire()).put("requester", e.requester())
        .put("justification", e.justification()).put("scope", e.scope().toString()).put("team", e.team())
        .put("workload_class", e.workloadClass());
    n.set("unlock_tiers", AdminJson.JSON.valueToTree(e.unlockedTiers()));
    n.set("unlock_models", AdminJson.JSON.valueToTree(e.unlockedModels()));
    n.put("extra_tokens", e.extraTokens());
    AdminJson.usd(n, "extra_usd", e.extraUsd());
    n.put("starts_at", str(e.startsAt())).put("expires_at", str(e.expiresAt())).put("decided_by", e.decidedBy())
        .put("decided_at", str(e.decidedAt())).put("decision_note", e.decisionNote()).put("created_at", str(e.createdAt()))
        .put("renewed_from", e.renewedFrom());
    n.set("outcome_notes", AdminJson.JSON.valueToTree(e.outcomeNotes()));
    return n;
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static JsonNode body(RoutingContext ctx) {
    try {
      JsonNode b = AdminJson.JSON.readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
      if (b != null && b.isObject()) return b;
    } catch (Exception e) {
      // answered below
    }
    AdminJson.error(ctx, 400, "invalid_request", "Send a JSON object, e.g. {\"scope\":\"user:ana\",\"team\":\"research\","
        + "\"justification\":\"board deck due Friday\",\"unlock_tiers\":[\"premium\"],\"extra_usd\":200,\"expires_at\":\"2026-12-01T00:00:00Z\"}.");
    return null;
  }

  private static String text(JsonNode b, String f) {
    return b.hasNonNull(f) && !b.get(f).asText().isBlank() ? b.get(f).asText() : null;
  }

  private static List<String> list(JsonNode b, String f) {
    List<String> out = new ArrayList<>();
    b.path(f).forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Instant instant(JsonNode b, String f) {
    String t = text(b, f);
    if (t == null) return null;
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + f + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
    }
  }

  private <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> render) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.failed()) {
        Throwable t = ar.cause();
        if (t instanceof IllegalArgumentException) AdminJson.error(ctx, 400, "invalid_request", t.getMessage());
        else AdminJson.error(ctx, 500, "internal_error", "The exception could not be read or saved: " + t.getMessage());
      } else {
        render.accept(ar.result());
      }
    });
  }
}
