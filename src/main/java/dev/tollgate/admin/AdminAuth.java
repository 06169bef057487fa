package dev.tollgate.admin;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.OidcConfig;
import dev.tollgate.domain.access.AdminToken;
import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import dev.tollgate.service.AdminTokenService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The admin API's door, mounted before every admin route: finds out who is calling (the bootstrap
 * {@code admin.token}, a personal admin token {@code tga-…}, or an OIDC/JWT bearer token), then asks
 * {@link AccessRules} whether that caller may call this route and how much it may see, and puts the
 * answer on the request for the handlers ({@link #principal}, {@link #access}). Deny by default: no
 * credential, an unknown one, or a route the table does not give the caller's role ends here with 401
 * or 403. Token and JWT checks read the database or the key set, so they run on a worker thread.
 */
public final class AdminAuth {

  private static final String ACCESS = "tollgate.admin.access";
  /** Plain context keys for handlers that take who is calling as text: actor, primary role, teams. */
  static final String ACTOR = "tollgate.actor";
  static final String ROLE = "tollgate.role";
  static final String TEAMS = "tollgate.teams";

  private final Vertx vertx;
  private final Supplier<GatewayConfig> config;
  private final AdminTokenService tokens;
  private final OidcVerifier oidc;

  AdminAuth(Vertx vertx, Supplier<GatewayConfig> config, AdminTokenService tokens, OidcVerifier oidc) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.oidc = oidc;
  }

  /** Who made this admin request. Only valid in a handler behind the admin API's access handler. */
  public static Principal principal(RoutingContext ctx) {
    AccessRules.Access access = ctx.get(ACCESS);
    if (access == null) throw new IllegalStateException("no principal: the route is not behind the admin access handler");
    return access.principal();
  }

  /** What the caller may see on this route; outside the admin API, an access that permits nothing. */
  public static AccessRules.Access access(RoutingContext ctx) {
    AccessRules.Access access = ctx.get(ACCESS);
    return access != null ? access
        : new AccessRules.Access(new Principal("nobody", Principal.Kind.SYSTEM, Set.of(), Set.of(), null, "nobody"), null,
            AccessRules.Scope.NONE);
  }

  void handle(RoutingContext ctx) {
    AdminConfig admin = config.get().admin();
    String bootstrap = admin == null ? null : admin.token();
    OidcConfig oidcConfig = admin == null ? null : admin.oidc();
    String presented = bearer(ctx);
    if (presented == null) {
      unauthorized(ctx, bootstrap == null && oidcConfig == null
          ? "Send 'Authorization: Bearer <token>': a personal admin token (tga-…); admin.token is not set in the config file."
          : "Send 'Authorization: Bearer <token>': admin.token, a personal admin token (tga-…)"
              + (oidcConfig == null ? "." : " or a JWT from " + oidcConfig.issuer() + "."));
      return;
    }
    if (bootstrap != null && MessageDigest.isEqual(bootstrap.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8))) {
      admit(ctx, Principal.BOOTSTRAP);
      return;
    }
    if (presented.startsWith(AdminToken.PREFIX)) {
      vertx.executeBlocking(() -> tokens.check(presented)).onComplete(ar -> {
        if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The admin token could not be checked: " + ar.cause().getMessage());
        else if (ar.result() instanceof AdminTokenService.Check.Valid v) admit(ctx, v.principal());
        else unauthorized(ctx, "This " + ((AdminTokenService.Check.Refused) ar.result()).reason() + ".");
      });
      return;
    }
    if (oidcConfig != null && OidcVerifier.looksLikeJwt(presented)) {
      vertx.executeBlocking(() -> oidc.verify(presented, oidcConfig)).onComplete(ar -> {
        if (ar.failed()) AdminJson.error(ctx, 500, "internal_error", "The JWT could not be checked: " + ar.cause().getMessage());
        else if (ar.result() instanceof OidcVerifier.Result.Verified v) admit(ctx, v.principal());
        else unauthorized(ctx, "Refused: " + ((OidcVerifier.Result.Refused) ar.result()).reason() + ".");
      });
      return;
    }
    unauthorized(ctx, "Unknown admin token. Send admin.token, a personal admin token (tga-…)"
        + (oidcConfig == null ? "." : " or a JWT from " + oidcConfig.issuer() + "."));
  }

  private void admit(RoutingContext ctx, Principal principal) {
    if (principal.roles().isEmpty()) {
      AdminJson.error(ctx, 403, "no_role", "You are signed in as " + principal.name() + " but hold no Tollgate role: "
          + "ask an admin to add your group to admin.oidc.role_map (roles: " + Role.names() + ").");
      return;
    }
    String method = ctx.request().method().name();
    switch (AccessRules.decide(principal, method, ctx.normalizedPath())) {
      case AccessRules.Decision.Denied d -> AdminJson.error(ctx, 403, "role_not_allowed", d.message());
      case AccessRules.Decision.Allowed a -> {
        ctx.put(ACCESS, a.access());
        ctx.put(ACTOR, principal.actor());
        ctx.put(ROLE, principal.role().wire());
        ctx.put(TEAMS, List.copyOf(new TreeSet<>(principal.teams())));
        if (a.access().rule().narrowing() == AccessRules.Narrowing.USAGE_FILTER && !narrowUsage(ctx, a.access())) return;
        ctx.next();
      }
    }
  }

  /** Forces a team lead's ledger filter to their team and a member's to their user; false if it answered. */
  private static boolean narrowUsage(RoutingContext ctx, AccessRules.Access access) {
    MultiMap query = ctx.queryParams();
    Principal p = access.principal();
    switch (access.scope()) {
      case ALL -> {
        return true;
      }
      case OWN_TEAMS -> {
        List<String> asked = query.getAll("team");
        Set<String> teams = new TreeSet<>(p.teams());
        if (teams.isEmpty()) {
          AdminJson.error(ctx, 403, "out_of_scope", "Your token leads no team, so there is no usage for you to see here.");
          return false;
        }
        if (asked.size() > 1 || (asked.size() == 1 && !teams.contains(asked.get(0)))) {
          AdminJson.error(ctx, 403, "out_of_scope", "You see the usage of your teams only (" + String.join(", ", teams)
              + "); ask for team=" + teams.iterator().next() + ".");
          return false;
        }
        if (asked.isEmpty()) {
          if (teams.size() > 1) {
            AdminJson.error(ctx, 400, "team_required", "You lead several teams (" + String.join(", ", teams)
                + "): add team=<one of them> to the query.");
            return false;
          }
          query.set("team", teams.iterator().next());
        }
        return true;
      }
      case OWN_USER -> {
        if (p.user() == null) {
          AdminJson.error(ctx, 403, "out_of_scope", "Your token names no user, so there is no usage of yours to see.");
          return false;
        }
        List<String> asked = query.getAll("user");
        if (asked.stream().anyMatch(u -> !u.equals(p.user()))) {
          AdminJson.error(ctx, 403, "out_of_scope", "You see your own usage only (user=" + p.user() + ").");
          return false;
        }
        query.set("user", p.user());
        return true;
      }
      default -> {
        AdminJson.error(ctx, 403, "out_of_scope", "You may not see this data.");
        return false;
      }
    }
  }

  /** {@code GET /admin/v1/whoami}: the caller as the admin API sees it. */
  static void whoami(RoutingContext ctx) {
    Principal p = principal(ctx);
    var n = AdminJson.JSON.createObjectNode();
    n.put("actor", p.actor()).put("kind", p.kind().wire()).put("id", p.id()).put("name", p.name())
        .put("role", p.role() == null ? null : p.role().wire());
    n.set("roles", AdminJson.JSON.valueToTree(p.roles().stream().sorted().map(Role::wire).toList()));
    n.set("teams", AdminJson.JSON.valueToTree(new TreeSet<>(p.teams())));
    n.put("user", p.user());
    AdminJson.send(ctx, 200, n);
  }

  private static String bearer(RoutingContext ctx) {
    String auth = ctx.request().getHeader("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String token = auth.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("www-authenticate", "Bearer realm=\"tollgate-admin\"");
    AdminJson.error(ctx, 401, "invalid_admin_token", message);
  }
}
