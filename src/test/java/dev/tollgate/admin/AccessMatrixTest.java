package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.call;
import static dev.tollgate.admin.AdminTestSupport.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.lang.reflect.Constructor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role against every admin route, through the real server: a role the matrix below allows is let
 * through (whatever the handler then says of the empty request), every other role gets 403
 * {@code role_not_allowed}. The matrix is written here independently of {@link AccessRules}, and a test
 * checks that the router, the access table and this matrix list the same routes — so a route added
 * without a row in the table (or here) fails the build.
 */
class AccessMatrixTest {

  /** method path | admin finance team-lead member auditor. */
  static final String MATRIX = """
      GET    /admin/v1/openapi.json            | Y Y Y Y Y
      GET    /admin/v1/whoami                  | Y Y Y Y Y
      POST   /admin/v1/keys                    | Y N Y N N
      GET    /admin/v1/keys                    | Y Y Y N Y
      GET    /admin/v1/keys/:id                | Y Y Y N Y
      POST   /admin/v1/keys/:id/revoke         | Y N Y N N
      DELETE /admin/v1/keys/:id                | Y N Y N N
      GET    /admin/v1/budgets                 | Y Y Y N Y
      POST   /admin/v1/budgets                 | Y Y N N N
      POST   /admin/v1/budgets/from-template   | Y Y N N N
      GET    /admin/v1/budgets/status          | Y Y Y N Y
      GET    /admin/v1/budgets/notifications   | Y Y Y N Y
      GET    /admin/v1/budgets/:id             | Y Y Y N Y
      PUT    /admin/v1/budgets/:id             | Y Y N N N
      DELETE /admin/v1/budgets/:id             | Y Y N N N
      GET    /admin/v1/alerts                  | Y Y Y Y Y
      POST   /admin/v1/alerts/:id/ack          | Y Y N N N
      POST   /admin/v1/alerts/:id/resolve      | Y Y N N N
      POST   /admin/v1/exceptions              | Y Y Y Y N
      GET    /admin/v1/exceptions              | Y Y Y Y Y
      GET    /admin/v1/exceptions/review       | Y Y Y Y Y
      GET    /admin/v1/exceptions/notifications | Y Y Y Y Y
      GET    /admin/v1/exceptions/:id          | Y Y Y Y Y
      POST   /admin/v1/exceptions/:id/approve  | Y Y Y N N
      POST   /admin/v1/exceptions/:id/deny     | Y Y Y N N
      POST   /admin/v1/exceptions/:id/revoke   | Y Y N N N
      POST   /admin/v1/exceptions/:id/renew    | Y Y Y Y N
      POST   /admin/v1/exceptions/:id/notes    | Y Y N N N
      POST   /admin/v1/policy/simulate         | Y Y N N N
      GET    /admin/v1/workload-classes        | Y Y Y Y Y
      POST   /admin/v1/workload-classes        | Y N N N N
      GET    /admin/v1/workload-classes/:name  | Y Y Y Y Y
      PUT    /admin/v1/workload-classes/:name  | Y N N N N
      DELETE /admin/v1/workload-classes/:name  | Y N N N N
      GET    /admin/v1/usage                   | Y Y Y Y Y
      GET    /admin/v1/ledger                  | Y Y Y Y Y
      GET    /admin/v1/prices                  | Y Y Y Y Y
      GET    /admin/v1/prices/:model           | Y Y Y Y Y
      POST   /admin/v1/tokens                  | Y N N N N
      GET    /admin/v1/tokens                  | Y N N N Y
      POST   /admin/v1/tokens/:id/revoke       | Y N N N N
      DELETE /admin/v1/tokens/:id              | Y N N N N
      GET    /admin/v1/audit                   | Y N N N Y
      GET    /admin/v1/audit/export            | Y N N N Y
      GET    /admin/v1/audit/verify            | Y N N N Y
      GET    /admin/v1/workflows               | Y Y N N Y
      POST   /admin/v1/workflows               | Y Y N N N
      GET    /admin/v1/workflows/:name         | Y Y N N Y
      PUT    /admin/v1/workflows/:name         | Y Y N N N
      DELETE /admin/v1/workflows/:name         | Y Y N N N
      POST   /admin/v1/outcomes                | Y Y N N N
      GET    /admin/v1/outcomes                | Y Y N N Y
      GET    /admin/v1/reports/top             | Y Y N N Y
      GET    /admin/v1/reports/growth          | Y Y N N Y
      GET    /admin/v1/reports/fastest-growing | Y Y N N Y
      GET    /admin/v1/reports/workflows       | Y Y N N Y
      GET    /admin/v1/reports/roi             | Y Y N N Y
      GET    /admin/v1/reports/compare         | Y Y N N Y
      GET    /admin/v1/reports/chargeback      | Y Y N N Y
      GET    /admin/v1/reports/effective-cost  | Y Y N N Y
      GET    /admin/v1/contracts               | Y Y N N Y
      POST   /admin/v1/contracts               | Y Y N N N
      GET    /admin/v1/contracts/:name         | Y Y N N Y
      PUT    /admin/v1/contracts/:name         | Y Y N N N
      DELETE /admin/v1/contracts/:name         | Y Y N N N
      GET    /admin/v1/forecast                | Y Y N N Y
      POST   /admin/v1/forecast/what-if        | Y Y N N N
      GET    /admin/v1/export/focus            | Y Y N N Y
      GET    /admin/v1/templates               | Y Y Y Y Y
      POST   /admin/v1/templates               | Y N N N N
      GET    /admin/v1/templates/:name         | Y Y Y Y Y
      DELETE /admin/v1/templates/:name         | Y N N N N
      GET    /admin/v1/reports/efficiency      | Y Y Y N Y
      GET    /admin/v1/reports/prompt-caching  | Y Y Y N Y
      GET    /admin/v1/reports/savings         | Y Y Y N Y
      GET    /admin/v1/reports/counterfactual  | Y Y Y Y Y
      GET    /admin/v1/reports/adoption        | Y Y Y N Y
      """;
  static final List<Role> COLUMNS = List.of(Role.ADMIN, Role.FINANCE, Role.TEAM_LEAD, Role.MEMBER, Role.AUDITOR);

  @TempDir static Path dir;
  static TestGateway gw;
  static final Map<Role, String> tokens = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() {
    gw = TestGateway.start(AdminTestSupport.YAML, Map.of("DIR", dir.toString()), dir);
    tokens.put(Role.ADMIN, AdminTestSupport.token(gw, "{\"name\":\"root\",\"role\":\"admin\"}"));
    tokens.put(Role.FINANCE, AdminTestSupport.token(gw, "{\"name\":\"fin\",\"role\":\"finance\"}"));
    tokens.put(Role.TEAM_LEAD, AdminTestSupport.token(gw, "{\"name\":\"lead\",\"role\":\"team-lead\",\"teams\":[\"support\"]}"));
    tokens.put(Role.MEMBER, AdminTestSupport.token(gw, "{\"name\":\"ana\",\"role\":\"member\",\"user\":\"ana@example.com\"}"));
    tokens.put(Role.AUDITOR, AdminTestSupport.token(gw, "{\"name\":\"audit\",\"role\":\"auditor\"}"));
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static Map<String, Map<Role, Boolean>> matrix() {
    Map<String, Map<Role, Boolean>> out = new LinkedHashMap<>();
    for (String line : MATRIX.strip().split("\n")) {
      String[] halves = line.split("\\|");
      String[] route = halves[0].trim().split("\\s+");
      String[] cells = halves[1].trim().split("\\s+");
      Map<Role, Boolean> row = new EnumMap<>(Role.class);
      for (int i = 0; i < COLUMNS.size(); i++) row.put(COLUMNS.get(i), cells[i].equals("Y"));
      out.put(route[0] + " " + route[1], row);
    }
    return out;
  }

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    matrix().forEach((route, row) -> row.forEach((role, allowed) -> out.add(Arguments.of(route, role.wire(), allowed))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} as {1}: allowed={2}")
  @MethodSource("cells")
  void eachRoleGetsThroughExactlyOnTheRoutesItsRowAllows(String route, String roleName, boolean allowed) {
    Role role = Role.fromWire(roleName).orElseThrow();
    String method = route.substring(0, route.indexOf(' '));
    String path = route.substring(route.indexOf(' ') + 1).replace(":model", "gpt-4o-mini").replace(":id", "no-such-id")
        .replace(":name", "no-such-workflow");
    String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
    HttpResponse<String> r = call(gw, method, path, tokens.get(role), body);
    if (allowed) {
      assertThat(r.statusCode()).as(r.body()).isNotEqualTo(401);
      assertThat(errorCode(r)).as(r.body()).isNotEqualTo("role_not_allowed");
    } else {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      assertThat(errorCode(r)).isEqualTo("role_not_allowed");
      assertThat(AdminTestSupport.json(r).at("/error/message").asText()).as("names who may").contains("admin");
    }
  }

  @Test
  void theRouterTheAccessTableAndThisMatrixListTheSameRoutes() throws Exception {
    Set<String> mounted = mountedAdminRoutes();
    Set<String> table = new TreeSet<>();
    AccessRules.rules().forEach(r -> table.add(r.method() + " " + r.path()));
    assertThat(table).as("every admin route needs a row in AccessRules (and no row may outlive its route)")
        .containsExactlyInAnyOrderElementsOf(mounted);
    assertThat(matrix().keySet()).as("every admin route needs a row in this test's MATRIX")
        .containsExactlyInAnyOrderElementsOf(mounted);
    for (AccessRules.Rule rule : AccessRules.rules()) {
      Map<Role, Boolean> expected = matrix().get(rule.method() + " " + rule.path());
      for (Role role : Role.values()) {
        assertThat(rule.allows(role)).as(rule.method() + " " + rule.path() + " for " + role.wire()).isEqualTo(expected.get(role));
      }
    }
  }

  @Test
  void aRouteMissingFromTheTableIsForAdminsOnly() {
    Principal lead = new Principal("t", Principal.Kind.TOKEN, Set.of(Role.TEAM_LEAD, Role.FINANCE, Role.AUDITOR), Set.of("support"),
        null, "t");
    assertThat(AccessRules.decide(lead, "GET", "/admin/v1/some-future-route")).isInstanceOf(AccessRules.Decision.Denied.class);
    assertThat(AccessRules.decide(Principal.BOOTSTRAP, "GET", "/admin/v1/some-future-route"))
        .isInstanceOf(AccessRules.Decision.Allowed.class);
    assertThat(call(gw, "GET", "/admin/v1/some-future-route", tokens.get(Role.AUDITOR), null).statusCode()).isEqualTo(403);
    assertThat(call(gw, "GET", "/admin/v1/some-future-route", tokens.get(Role.ADMIN), null).statusCode()).isEqualTo(404);
  }

  @Test
  void theBootstrapTokenIsAnAdmin() {
    HttpResponse<String> r = gw.get("/admin/v1/whoami", AdminTestSupport.ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(AdminTestSupport.json(r).get("role").asText()).isEqualTo("admin");
    assertThat(AdminTestSupport.json(r).get("actor").asText()).isEqualTo("admin-token");
  }

  /**
   * The routes {@link AdminApi#mount} puts on a router. The API is built with nothing behind it (only
   * its routes are wanted), through its constructor whatever its parameters, so that adding one does
   * not break this test.
   */
  static Set<String> mountedAdminRoutes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Constructor<?> ctor = AdminApi.class.getConstructors()[0];
      Object[] args = new Object[ctor.getParameterCount()];
      Class<?>[] types = ctor.getParameterTypes();
      for (int i = 0; i < args.length; i++) {
        if (types[i] == Vertx.class) args[i] = vertx;
        else if (types[i] == Clock.class) args[i] = Clock.systemUTC();
        else if (types[i] == PricesHandler.class) args[i] = new PricesHandler(null, null);
      }
      Router router = Router.router(vertx);
      ((AdminApi) ctor.newInstance(args)).mount(router);
      Set<String> out = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        if (route.methods() == null || route.methods().isEmpty() || route.getPath() == null) continue;
        if (!route.getPath().startsWith("/admin/v1/")) continue;
        route.methods().forEach(m -> out.add(m.name() + " " + route.getPath()));
      }
      return out;
    } finally {
      vertx.close();
    }
  }
}
