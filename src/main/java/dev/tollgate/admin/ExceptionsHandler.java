package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import dev.tollgate.domain.budget.ScopeKind;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * {@code /admin/v1/exceptions}: request, list, show, approve, deny, revoke, renew, add outcome notes;
 * {@code /exceptions/review} (usage and cost under each) and {@code /exceptions/notifications}
 * (pending approvals, expiries coming). A team lead sees and decides the exceptions of their teams (and
 * those they asked for), a member those they asked for or that are for their own user; others' answer
 * 404 as if they did not exist. Every change is audited with the exception before and after.
 */
final class ExceptionsHandler {

  private final Vertx vertx;
  private final ExceptionService exceptions;
  private final Clock clock;
  private final AdminAudit audit;

  ExceptionsHandler(Vertx vertx, ExceptionService exceptions, Clock clock, AdminAudit audit) {
    this.vertx = vertx;
    this.exceptions = exceptions;
    this.clock = clock;
    this.audit = audit;
  }

  /** Who is calling: set by the admin authentication in front of the routes; the bootstrap token is an admin. */
  record Actor(String name, String role, List<String> teams) {
    static Actor of(RoutingContext ctx) {
      String name = ctx.get(AdminAuth.ACTOR);
      String role = ctx.get(AdminAuth.ROLE);
      List<String> teams = ctx.get(AdminAuth.TEAMS);
      return new Actor(name == null ? "admin-token" : name, role == null ? "admin" : role, teams == null ? List.of() : teams);
    }
  }

  /**
   * Whether the caller may see {@code e}: everyone's (admin, finance, auditor), their teams' and their own
   * requests (team lead), or their own requests and those for their user (member).
   */
  static boolean sees(AccessRules.Access access, BudgetException e) {
    Principal p = access.principal();
    boolean askedByCaller = e.requester() != null && (e.requester().equals(p.actor()) || e.requester().equals(p.user()));
    return switch (access.scope()) {
      case ALL -> true;
      case OWN_TEAMS -> askedByCaller || access.permitsTeam(e.team());
      case OWN_USER -> askedByCaller || (e.scope().kind() == ScopeKind.USER && access.permitsUser(e.scope().value()));
      case NONE -> false;
    };
  }

  void create(RoutingContext ctx) {
    JsonNode b = body(ctx);
    if (b == null) return;
    Principal caller = AdminAuth.principal(ctx);
    String named = text(b, "requester");
    if (named != null && !named.equals(caller.actor()) && !caller.has(Role.ADMIN) && !caller.has(Role.FINANCE)) {
      AdminJson.error(ctx, 403, "out_of_scope", "You ask for exceptions in your own name; leave out 'requester' "
          + "(only admins and finance file a request for someone else).");
      return;
    }
    ExceptionService.Request r;
    try {
      r = new ExceptionService.Request(named != null ? named : Actor.of(ctx).name(),
          text(b, "justification"), text(b, "scope"), text(b, "team"), text(b, "workload_class"), list(b, "unlock_tiers"),
          list(b, "unlock_models"), b.path("extra_tokens").asLong(0),
          b.hasNonNull("extra_usd") ? Money.ofUsd(b.get("extra_usd").decimalValue()) : Money.ZERO,
          instant(b, "starts_at"), instant(b, "expires_at"));
    } catch (IllegalArgumentException e) {
      AdminJson.error(ctx, 400, "invalid_request", e.getMessage());
      return;
    }
    AdminAudit.Change change = audit.begin(ctx, "exception");
    blocking(ctx, () -> {
      BudgetException made = exceptions.request(r);
      change.record(made.id(), null, render(made));
      return made;
    }, e -> AdminJson.send(ctx, 201, render(e)));
  }

  void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    AccessRules.Access access = AdminAuth.access(ctx);
    blocking(ctx, exceptions::list, all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      for (BudgetException e : all) {
        if (sees(access, e) && (state == null || e.stateAt(clock.instant()).wire().equals(state))) data.add(render(e));
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AccessRules.Access access = AdminAuth.access(ctx);
    blocking(ctx, () -> exceptions.find(id).filter(e -> sees(access, e)), f -> f.ifPresentOrElse(e -> AdminJson.send(ctx, 200, render(e)),
        () -> notFound(ctx, id)));
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

  void note(RoutingContext ctx) {
    JsonNode b = body(ctx);
    if (b == null) return;
    String note = text(b, "note");
    if (note == null) {
      AdminJson.error(ctx, 400, "invalid_request", "Send {\"note\": \"what it achieved\"}.");
      return;
    }
    change(ctx, b, (a, ignored) -> exceptions.addNote(ctx.pathParam("id"), note));
  }

  private void decide(RoutingContext ctx, BiFunction<Actor, String, ExceptionService.Decided> action) {
    JsonNode b = ctx.body().asString() == null || ctx.body().asString().isBlank() ? AdminJson.JSON.createObjectNode() : body(ctx);
    if (b == null) return;
    change(ctx, b, action);
  }

  /** Runs a change on an exception the caller can see (else 404), audits it when done, and answers. */
  private void change(RoutingContext ctx, JsonNode b, BiFunction<Actor, String, ExceptionService.Decided> action) {
    String id = ctx.pathParam("id");
    Actor actor = Actor.of(ctx);
    AccessRules.Access access = AdminAuth.access(ctx);
    AdminAudit.Change change = audit.begin(ctx, "exception");
    blocking(ctx, () -> {
      if (exceptions.find(id).filter(e -> sees(access, e)).isEmpty()) {
        return new ExceptionService.Decided(ExceptionService.Outcome.NOT_FOUND, null, null, "no exception " + id);
      }
      ExceptionService.Decided d = action.apply(actor, text(b, "note"));
      if (d.outcome() == ExceptionService.Outcome.DONE) change.record(id, render(d.before()), render(d.exception()));
      return d;
    }, d -> {
      switch (d.outcome()) {
        case DONE -> AdminJson.send(ctx, 200, render(d.exception()));
        case NOT_FOUND -> notFound(ctx, id);
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
    String requester = Actor.of(ctx).name();
    AccessRules.Access access = AdminAuth.access(ctx);
    AdminAudit.Change change = audit.begin(ctx, "exception");
    blocking(ctx, () -> {
      if (exceptions.find(id).filter(e -> sees(access, e)).isEmpty()) return Optional.<BudgetException>empty();
      BudgetException fresh = exceptions.renew(id, requester, why, expires);
      change.record(fresh.id(), null, render(fresh));
      return Optional.of(fresh);
    }, made -> made.ifPresentOrElse(e -> AdminJson.send(ctx, 201, render(e)), () -> notFound(ctx, id)));
  }

  void review(RoutingContext ctx) {
    AccessRules.Access access = AdminAuth.access(ctx);
    blocking(ctx, exceptions::review, rows -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      for (ExceptionService.Review r : rows) {
        if (!sees(access, r.exception())) continue;
        ObjectNode n = render(r.exception());
        n.put("requests", r.requests()).put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens());
        AdminJson.usd(n, "cost_usd", r.cost());
        data.add(n);
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  void notifications(RoutingContext ctx) {
    AccessRules.Access access = AdminAuth.access(ctx);
    blocking(ctx, exceptions::notices, notices -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      notices.stream().filter(n -> sees(access, n.exception())).forEach(n -> data.addObject().put("kind", n.kind())
          .put("exception_id", n.exception().id()).put("team", n.exception().team()).put("message", n.message()));
      AdminJson.send(ctx, 200, root);
    });
  }

  private static void notFound(RoutingContext ctx, String id) {
    AdminJson.error(ctx, 404, "not_found", "No exception '" + id + "'.");
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
