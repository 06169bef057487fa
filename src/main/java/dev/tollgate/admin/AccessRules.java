package dev.tollgate.admin;

import static dev.tollgate.admin.AccessRules.Narrowing.NONE;
import static dev.tollgate.admin.AccessRules.Narrowing.OWN_RESOURCES;
import static dev.tollgate.admin.AccessRules.Narrowing.TEAM_RESOURCES;
import static dev.tollgate.admin.AccessRules.Narrowing.USAGE_FILTER;
import static dev.tollgate.admin.AccessRules.Scope.ALL;
import static dev.tollgate.admin.AccessRules.Scope.OWN_TEAMS;
import static dev.tollgate.admin.AccessRules.Scope.OWN_USER;
import static dev.tollgate.domain.access.Role.ADMIN;
import static dev.tollgate.domain.access.Role.AUDITOR;
import static dev.tollgate.domain.access.Role.FINANCE;
import static dev.tollgate.domain.access.Role.MEMBER;
import static dev.tollgate.domain.access.Role.TEAM_LEAD;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call which admin route: the one access table of the admin API. A row is a route (method and
 * the router's own path pattern), the roles allowed on it, and for each role how much it sees —
 * everything, its own teams, or its own user — plus how that narrowing is enforced on the route:
 *
 * <ul>
 *   <li>{@link Narrowing#USAGE_FILTER}: the access handler forces the ledger filter — {@code team=} to a
 *       team lead's team, {@code user=} to a member's user — before the route runs;
 *   <li>{@link Narrowing#TEAM_RESOURCES}: the route's handler shows and changes only resources of the
 *       caller's teams ({@link Access#permitsTeam}), answering 404 for others' and 403 for making one
 *       for another team;
 *   <li>{@link Narrowing#OWN_RESOURCES}: the route's handler shows and acts on only what belongs to the
 *       caller — a team lead's teams', a member's own ({@link Access#permitsUser}) — answering 404 for
 *       the rest (exceptions, alerts).
 * </ul>
 *
 * <p>Deny by default: a route that is not in the table is for admins only, and a test compares the
 * table with the router so that no route is added without a row.
 */
public final class AccessRules {

  /** How much of the data a role sees on a route. */
  public enum Scope {
    ALL, OWN_TEAMS, OWN_USER,
    /** Nothing: the caller was not let through (what {@link AdminAuth#access} gives outside the admin API). */
    NONE
  }

  /** How a scope other than {@link Scope#ALL} is enforced on a route. */
  public enum Narrowing { NONE, USAGE_FILTER, TEAM_RESOURCES, OWN_RESOURCES }

  /** One row of the table. */
  public record Rule(String method, String path, Narrowing narrowing, Map<Role, Scope> roles) {
    public Rule {
      roles = Map.copyOf(roles);
    }

    public boolean allows(Role role) {
      return roles.containsKey(role);
    }
  }

  /** What the caller may do on the route it called. */
  public record Access(Principal principal, Rule rule, Scope scope) {

    /** True if the caller sees and may act on resources of {@code team} (null: no team). */
    public boolean permitsTeam(String team) {
      return switch (scope) {
        case ALL -> true;
        case OWN_TEAMS -> principal.leads(team);
        case OWN_USER, NONE -> false;
      };
    }

    /** True if the caller sees data of ledger user {@code user}. */
    public boolean permitsUser(String user) {
      return scope == ALL || (scope == OWN_USER && user != null && user.equals(principal.user()));
    }
  }

  private static final Map<Role, Scope> EVERYONE = roles(ADMIN, ALL, FINANCE, ALL, TEAM_LEAD, ALL, MEMBER, ALL, AUDITOR, ALL);
  private static final Map<Role, Scope> READERS_BY_TEAM = roles(ADMIN, ALL, FINANCE, ALL, AUDITOR, ALL, TEAM_LEAD, OWN_TEAMS);
  private static final Map<Role, Scope> USAGE_READERS =
      roles(ADMIN, ALL, FINANCE, ALL, AUDITOR, ALL, TEAM_LEAD, OWN_TEAMS, MEMBER, OWN_USER);
  private static final Map<Role, Scope> KEY_MAKERS = roles(ADMIN, ALL, TEAM_LEAD, OWN_TEAMS);
  private static final Map<Role, Scope> BUDGET_MAKERS = roles(ADMIN, ALL, FINANCE, ALL);
  private static final Map<Role, Scope> ADMIN_AND_AUDITOR = roles(ADMIN, ALL, AUDITOR, ALL);
  private static final Map<Role, Scope> OVERSEERS = roles(ADMIN, ALL, FINANCE, ALL, AUDITOR, ALL);
  private static final Map<Role, Scope> REQUESTERS = roles(ADMIN, ALL, FINANCE, ALL, TEAM_LEAD, ALL, MEMBER, ALL);
  private static final Map<Role, Scope> RENEWERS = roles(ADMIN, ALL, FINANCE, ALL, TEAM_LEAD, OWN_TEAMS, MEMBER, OWN_USER);
  private static final Map<Role, Scope> APPROVERS = roles(ADMIN, ALL, FINANCE, ALL, TEAM_LEAD, OWN_TEAMS);
  private static final Map<Role, Scope> ADMIN_ONLY = roles(ADMIN, ALL);

  /** The table. Keep it in the order of {@code AdminApi.mount}. */
  static final List<Rule> RULES = List.of(
      rule("GET", "/admin/v1/openapi.json", NONE, EVERYONE),
      rule("GET", "/admin/v1/whoami", NONE, EVERYONE),
      // Keys: team leads make and revoke keys for their own teams only.
      rule("POST", "/admin/v1/keys", TEAM_RESOURCES, KEY_MAKERS),
      rule("GET", "/admin/v1/keys", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("GET", "/admin/v1/keys/:id", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("POST", "/admin/v1/keys/:id/revoke", TEAM_RESOURCES, KEY_MAKERS),
      rule("DELETE", "/admin/v1/keys/:id", TEAM_RESOURCES, KEY_MAKERS),
      // Budgets: team leads see their teams' (scope team:<name>); raising a cap is an exception, not an edit.
      rule("GET", "/admin/v1/budgets", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("POST", "/admin/v1/budgets", NONE, BUDGET_MAKERS),
      rule("POST", "/admin/v1/budgets/from-template", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/budgets/status", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("GET", "/admin/v1/budgets/notifications", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("GET", "/admin/v1/budgets/:id", TEAM_RESOURCES, READERS_BY_TEAM),
      rule("PUT", "/admin/v1/budgets/:id", NONE, BUDGET_MAKERS),
      rule("DELETE", "/admin/v1/budgets/:id", NONE, BUDGET_MAKERS),
      // Alerts: a team lead sees their teams' alerts, a member those about their own user; admins and finance act on them.
      rule("GET", "/admin/v1/alerts", OWN_RESOURCES, USAGE_READERS),
      rule("POST", "/admin/v1/alerts/:id/ack", NONE, BUDGET_MAKERS),
      rule("POST", "/admin/v1/alerts/:id/resolve", NONE, BUDGET_MAKERS),
      // Exceptions: anyone but an auditor may ask for one; a team lead sees, decides and renews their teams'
      // (and those they asked for; ExceptionService also checks the team and the amount), a member sees and
      // renews those they asked for or that are for their own user.
      rule("POST", "/admin/v1/exceptions", NONE, REQUESTERS),
      rule("GET", "/admin/v1/exceptions", OWN_RESOURCES, USAGE_READERS),
      rule("GET", "/admin/v1/exceptions/review", OWN_RESOURCES, USAGE_READERS),
      rule("GET", "/admin/v1/exceptions/notifications", OWN_RESOURCES, USAGE_READERS),
      rule("GET", "/admin/v1/exceptions/:id", OWN_RESOURCES, USAGE_READERS),
      rule("POST", "/admin/v1/exceptions/:id/approve", OWN_RESOURCES, APPROVERS),
      rule("POST", "/admin/v1/exceptions/:id/deny", OWN_RESOURCES, APPROVERS),
      rule("POST", "/admin/v1/exceptions/:id/revoke", NONE, BUDGET_MAKERS),
      rule("POST", "/admin/v1/exceptions/:id/renew", OWN_RESOURCES, RENEWERS),
      rule("POST", "/admin/v1/exceptions/:id/notes", NONE, BUDGET_MAKERS),
      // Policy: a simulation changes nothing but shows any key's attribution and budgets.
      rule("POST", "/admin/v1/policy/simulate", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/workload-classes", NONE, EVERYONE),
      // Workload classes decide which models and data paths everyone's requests may use: admins change them.
      rule("POST", "/admin/v1/workload-classes", NONE, ADMIN_ONLY),
      rule("GET", "/admin/v1/workload-classes/:name", NONE, EVERYONE),
      rule("PUT", "/admin/v1/workload-classes/:name", NONE, ADMIN_ONLY),
      rule("DELETE", "/admin/v1/workload-classes/:name", NONE, ADMIN_ONLY),
      // Usage: a team lead's answers are forced to team=<their team>, a member's to user=<their user>.
      rule("GET", "/admin/v1/usage", USAGE_FILTER, USAGE_READERS),
      rule("GET", "/admin/v1/ledger", USAGE_FILTER, USAGE_READERS),
      rule("GET", "/admin/v1/prices", NONE, EVERYONE),
      rule("GET", "/admin/v1/prices/:model", NONE, EVERYONE),
      // Personal admin tokens and the audit log.
      rule("POST", "/admin/v1/tokens", NONE, ADMIN_ONLY),
      rule("GET", "/admin/v1/tokens", NONE, ADMIN_AND_AUDITOR),
      rule("POST", "/admin/v1/tokens/:id/revoke", NONE, ADMIN_ONLY),
      rule("DELETE", "/admin/v1/tokens/:id", NONE, ADMIN_ONLY),
      rule("GET", "/admin/v1/audit", NONE, ADMIN_AND_AUDITOR),
      rule("GET", "/admin/v1/audit/export", NONE, ADMIN_AND_AUDITOR),
      rule("GET", "/admin/v1/audit/verify", NONE, ADMIN_AND_AUDITOR),
      // The use-case registry, business outcomes, reports, forecasts and the FOCUS export span every team and
      // are not narrowed yet: read by those who see all spend, changed by admins and finance.
      rule("GET", "/admin/v1/workflows", NONE, OVERSEERS),
      rule("POST", "/admin/v1/workflows", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/workflows/:name", NONE, OVERSEERS),
      rule("PUT", "/admin/v1/workflows/:name", NONE, BUDGET_MAKERS),
      rule("DELETE", "/admin/v1/workflows/:name", NONE, BUDGET_MAKERS),
      rule("POST", "/admin/v1/outcomes", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/outcomes", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/top", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/growth", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/fastest-growing", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/workflows", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/roi", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/compare", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/chargeback", NONE, OVERSEERS),
      rule("GET", "/admin/v1/reports/effective-cost", NONE, OVERSEERS),
      rule("GET", "/admin/v1/contracts", NONE, OVERSEERS),
      rule("POST", "/admin/v1/contracts", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/contracts/:name", NONE, OVERSEERS),
      rule("PUT", "/admin/v1/contracts/:name", NONE, BUDGET_MAKERS),
      rule("DELETE", "/admin/v1/contracts/:name", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/forecast", NONE, OVERSEERS),
      rule("POST", "/admin/v1/forecast/what-if", NONE, BUDGET_MAKERS),
      rule("GET", "/admin/v1/export/focus", NONE, OVERSEERS),
      // The prompt template library: read by everyone, kept by admins.
      rule("GET", "/admin/v1/templates", NONE, EVERYONE),
      rule("POST", "/admin/v1/templates", NONE, ADMIN_ONLY),
      rule("GET", "/admin/v1/templates/:name", NONE, EVERYONE),
      rule("DELETE", "/admin/v1/templates/:name", NONE, ADMIN_ONLY),
      // The efficiency reports: a team lead's too, narrowed to their team by the usage filter (team=).
      rule("GET", "/admin/v1/reports/efficiency", USAGE_FILTER, READERS_BY_TEAM),
      rule("GET", "/admin/v1/reports/prompt-caching", USAGE_FILTER, READERS_BY_TEAM),
      rule("GET", "/admin/v1/reports/savings", USAGE_FILTER, READERS_BY_TEAM),
      // "A cheaper model was allowed": a member's own requests too (user= forced), as on their usage page.
      rule("GET", "/admin/v1/reports/counterfactual", USAGE_FILTER, USAGE_READERS),
      // Adoption per person and team: a team lead's own team (team= forced).
      rule("GET", "/admin/v1/reports/adoption", USAGE_FILTER, READERS_BY_TEAM));

  static {
    Set<String> seen = new HashSet<>();
    for (Rule r : RULES) {
      if (!seen.add(r.method() + " " + r.path())) throw new IllegalStateException("two access rules for " + r.method() + " " + r.path());
      for (var e : r.roles().entrySet()) {
        boolean narrowed = e.getValue() != ALL;
        if (narrowed && r.narrowing() == NONE) {
          throw new IllegalStateException(r.method() + " " + r.path() + " gives " + e.getKey().wire() + " scope "
              + e.getValue() + " but says nothing narrows it");
        }
        if (e.getValue() == OWN_USER && r.narrowing() != USAGE_FILTER && r.narrowing() != OWN_RESOURCES) {
          throw new IllegalStateException(r.method() + " " + r.path() + ": only a usage filter or the handler's own-resources "
              + "check can narrow to one user");
        }
      }
    }
  }

  private AccessRules() {}

  public static List<Rule> rules() {
    return RULES;
  }

  /** The rule for a request, the most specific when several match ({@code /budgets/status} over {@code /budgets/:id}). */
  public static Optional<Rule> match(String method, String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String[] segments = p.split("/", -1);
    Rule best = null;
    int bestLiterals = -1;
    for (Rule r : RULES) {
      if (!r.method().equalsIgnoreCase(method)) continue;
      String[] pattern = r.path().split("/", -1);
      if (pattern.length != segments.length) continue;
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < pattern.length && matches; i++) {
        if (pattern[i].startsWith(":")) matches = !segments[i].isEmpty();
        else if (pattern[i].equals(segments[i])) literals++;
        else matches = false;
      }
      if (matches && literals > bestLiterals) {
        best = r;
        bestLiterals = literals;
      }
    }
    return Optional.ofNullable(best);
  }

  /** What the table says for this caller on this request. */
  public sealed interface Decision {
    record Allowed(Access access) implements Decision {}

    record Denied(String message) implements Decision {}
  }

  public static Decision decide(Principal principal, String method, String path) {
    Rule rule = match(method, path).orElseGet(() -> new Rule(method, path, NONE, ADMIN_ONLY));
    Scope widest = null;
    for (Role role : principal.roles()) {
      Scope s = rule.roles().get(role);
      if (s != null && (widest == null || s.ordinal() < widest.ordinal())) widest = s;
    }
    if (widest != null) return new Decision.Allowed(new Access(principal, rule, widest));
    String allowed = rule.roles().keySet().stream().sorted().map(Role::wire).collect(Collectors.joining(", "));
    String held = principal.roles().isEmpty() ? "no role"
        : "role " + principal.roles().stream().sorted().map(Role::wire).collect(Collectors.joining(", "));
    return new Decision.Denied(method + " " + rule.path() + " is for " + allowed + "; you have " + held + ".");
  }

  private static Rule rule(String method, String path, Narrowing narrowing, Map<Role, Scope> roles) {
    return new Rule(method, path, narrowing, roles);
  }

  private static Map<Role, Scope> roles(Object... roleThenScope) {
    Map<Role, Scope> out = new EnumMap<>(Role.class);
    for (int i = 0; i < roleThenScope.length; i += 2) out.put((Role) roleThenScope[i], (Scope) roleThenScope[i + 1]);
    return out;
  }
}
