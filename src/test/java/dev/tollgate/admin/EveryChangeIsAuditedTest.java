package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.ADMIN;
import static dev.tollgate.admin.AdminTestSupport.call;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.TestGateway;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin route that changes something leaves an audit row naming who, the route and the resource.
 * The routes come from {@link AccessRules} (every method but GET), so a route added without a scenario
 * here fails, and one whose handler does not write through {@link AdminAudit} fails its scenario. The
 * only routes let off are the POSTs listed in {@link #READ_ONLY}, each with why it changes nothing.
 */
class EveryChangeIsAuditedTest {

  /** POST routes that only compute an answer: nothing in the control plane is different afterwards. */
  static final Map<String, String> READ_ONLY = Map.of(
      "POST /admin/v1/policy/simulate", "runs a request through the policy on paper and stores nothing",
      "POST /admin/v1/forecast/what-if", "computes a forecast from the body and stores nothing");

  /** A contract with sim for one month, so that the scenarios' contracts never overlap. */
  static String contract(String name, String month) {
    java.time.YearMonth m = java.time.YearMonth.parse(month);
    return "{\"name\":\"" + name + "\",\"provider\":\"sim\",\"valid_from\":\"" + m.atDay(1) + "\",\"valid_until\":\""
        + m.plusMonths(1).atDay(1) + "\",\"discount_percent\":10}";
  }

  static final String YAML = """
      storage: sqlite:${DIR}/ledger.db
      admin: { token: test-admin-token-0123456789 }
      org: { name: acme }
      providers:
        sim: { type: simulator, output_tokens: 10 }
      models:
        gpt-4o-mini: { provider: sim, tier: economy }
      teams:
        support:
          budgets:
            - { window: day, requests: 10, warn_at: [0.1] }
        research:
          budgets:
            - { window: day, requests: 10, warn_at: [0.1] }
      keys:
        - { name: support-bot, secret: tg-scope-test-support-01, team: support }
        - { name: research-bot, secret: tg-scope-test-research-1, team: research }
      """;

  @TempDir static Path dir;
  static TestGateway gw;
  static String root;
  static String rootActor;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(YAML, Map.of("DIR", dir.toString()), dir);
    root = AdminTestSupport.token(gw, "{\"name\":\"root\",\"role\":\"admin\"}");
    rootActor = json(gw.get("/admin/v1/whoami", root)).get("actor").asText();
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  /** A change made through the API: its answer and the resource the audit row must name. */
  record Made(HttpResponse<String> response, String resourceType, String resourceId) {}

  /** How to make one valid change on each mutating route; setup may make other changes first. */
  static Map<String, Supplier<Made>> scenarios() {
    Map<String, Supplier<Made>> s = new LinkedHashMap<>();
    s.put("POST /admin/v1/keys", () -> made(post("/admin/v1/keys", "{\"name\":\"audited-1\",\"team\":\"support\"}"), "key", null));
    s.put("POST /admin/v1/keys/:id/revoke", () -> {
      String id = id(post("/admin/v1/keys", "{\"name\":\"audited-2\",\"team\":\"support\"}"));
      return new Made(post("/admin/v1/keys/" + id + "/revoke", ""), "key", id);
    });
    s.put("DELETE /admin/v1/keys/:id", () -> {
      String id = id(post("/admin/v1/keys", "{\"name\":\"audited-3\",\"team\":\"support\"}"));
      return new Made(call(gw, "DELETE", "/admin/v1/keys/" + id, root, null), "key", id);
    });
    s.put("POST /admin/v1/budgets", () -> made(post("/admin/v1/budgets", "{\"scope\":\"team:support\",\"window\":\"month\",\"usd\":5}"),
        "budget", null));
    s.put("POST /admin/v1/budgets/from-template", () -> made(post("/admin/v1/budgets/from-template",
        "{\"team\":\"research\",\"headcount\":2,\"annual_salary_usd\":100000,\"share\":0.01}"), "budget", null));
    s.put("PUT /admin/v1/budgets/:id", () -> {
      String id = id(post("/admin/v1/budgets", "{\"scope\":\"team:research\",\"window\":\"hour\",\"usd\":5}"));
      return new Made(call(gw, "PUT", "/admin/v1/budgets/" + enc(id), root, "{\"scope\":\"team:research\",\"window\":\"hour\",\"usd\":6}"),
          "budget", id);
    });
    s.put("DELETE /admin/v1/budgets/:id", () -> {
      String id = id(post("/admin/v1/budgets", "{\"scope\":\"team:research\",\"window\":\"day\",\"usd\":5}"));
      return new Made(call(gw, "DELETE", "/admin/v1/budgets/" + enc(id), root, null), "budget", id);
    });
    s.put("POST /admin/v1/alerts/:id/ack", () -> {
      String id = openAlertOf(AdminTestSupport.SUPPORT_KEY, "team:support");
      return new Made(post("/admin/v1/alerts/" + id + "/ack", ""), "alert", id);
    });
    s.put("POST /admin/v1/alerts/:id/resolve", () -> {
      String id = openAlertOf(AdminTestSupport.RESEARCH_KEY, "team:research");
      return new Made(post("/admin/v1/alerts/" + id + "/resolve", ""), "alert", id);
    });
    s.put("POST /admin/v1/exceptions", () -> made(post("/admin/v1/exceptions", exception()), "exception", null));
    for (String verb : List.of("approve", "deny", "revoke", "notes")) {
      s.put("POST /admin/v1/exceptions/:id/" + verb, () -> {
        String id = id(post("/admin/v1/exceptions", exception()));
        return new Made(post("/admin/v1/exceptions/" + id + "/" + verb, "{\"note\":\"audited " + verb + "\"}"), "exception", id);
      });
    }
    s.put("POST /admin/v1/exceptions/:id/renew", () -> {
      String id = id(post("/admin/v1/exceptions", exception()));
      HttpResponse<String> r = post("/admin/v1/exceptions/" + id + "/renew", "{\"still_earns_its_place\":\"yes\",\"expires_at\":\""
          + Instant.now().plus(Duration.ofDays(20)) + "\"}");
      return made(r, "exception", null);
    });
    s.put("POST /admin/v1/tokens", () -> made(post("/admin/v1/tokens", "{\"name\":\"audited-t1\",\"role\":\"auditor\"}"), "token", null));
    s.put("POST /admin/v1/tokens/:id/revoke", () -> {
      String id = id(post("/admin/v1/tokens", "{\"name\":\"audited-t2\",\"role\":\"auditor\"}"));
      return new Made(post("/admin/v1/tokens/" + id + "/revoke", ""), "token", id);
    });
    s.put("DELETE /admin/v1/tokens/:id", () -> {
      String id = id(post("/admin/v1/tokens", "{\"name\":\"audited-t3\",\"role\":\"auditor\"}"));
      return new Made(call(gw, "DELETE", "/admin/v1/tokens/" + id, root, null), "token", id);
    });
    s.put("POST /admin/v1/workflows", () -> new Made(post("/admin/v1/workflows", "{\"name\":\"wf-audited-1\",\"owner\":\"ana\"}"),
        "workflow", "wf-audited-1"));
    s.put("PUT /admin/v1/workflows/:name", () -> {
      post("/admin/v1/workflows", "{\"name\":\"wf-audited-2\",\"owner\":\"ana\"}");
      return new Made(call(gw, "PUT", "/admin/v1/workflows/wf-audited-2", root, "{\"owner\":\"bob\"}"), "workflow", "wf-audited-2");
    });
    s.put("DELETE /admin/v1/workflows/:name", () -> {
      post("/admin/v1/workflows", "{\"name\":\"wf-audited-3\",\"owner\":\"ana\"}");
      return new Made(call(gw, "DELETE", "/admin/v1/workflows/wf-audited-3", root, null), "workflow", "wf-audited-3");
    });
    s.put("POST /admin/v1/workload-classes", () -> new Made(post("/admin/v1/workload-classes",
        "{\"name\":\"audited-class-1\",\"allow\":[\"tier:economy\"]}"), "workload_class", "audited-class-1"));
    s.put("PUT /admin/v1/workload-classes/:name", () -> {
      post("/admin/v1/workload-classes", "{\"name\":\"audited-class-2\",\"allow\":[\"tier:economy\"]}");
      return new Made(call(gw, "PUT", "/admin/v1/workload-classes/audited-class-2", root, "{\"allow\":[\"gpt-4o-mini\"],\"pii\":\"redact\"}"),
          "workload_class", "audited-class-2");
    });
    s.put("DELETE /admin/v1/workload-classes/:name", () -> {
      post("/admin/v1/workload-classes", "{\"name\":\"audited-class-3\",\"allow\":[\"tier:economy\"]}");
      return new Made(call(gw, "DELETE", "/admin/v1/workload-classes/audited-class-3", root, null), "workload_class", "audited-class-3");
    });
    s.put("POST /admin/v1/contracts", () -> new Made(post("/admin/v1/contracts", contract("audited-contract-1", "2030-01")),
        "contract", "audited-contract-1"));
    s.put("PUT /admin/v1/contracts/:name", () -> {
      post("/admin/v1/contracts", contract("audited-contract-2", "2030-02"));
      return new Made(call(gw, "PUT", "/admin/v1/contracts/audited-contract-2", root, "{\"provider\":\"sim\","
          + "\"valid_from\":\"2030-02-01\",\"valid_until\":\"2030-03-01\",\"discount_percent\":25}"), "contract",
          "audited-contract-2");
    });
    s.put("DELETE /admin/v1/contracts/:name", () -> {
      post("/admin/v1/contracts", contract("audited-contract-3", "2030-03"));
      return new Made(call(gw, "DELETE", "/admin/v1/contracts/audited-contract-3", root, null), "contract", "audited-contract-3");
    });
    s.put("POST /admin/v1/templates", () -> new Made(post("/admin/v1/templates",
        "{\"name\":\"audited-template-1\",\"body\":\"Summarise this ticket: {{ticket}}\"}"), "template", "audited-template-1"));
    s.put("DELETE /admin/v1/templates/:name", () -> {
      post("/admin/v1/templates", "{\"name\":\"audited-template-2\",\"body\":\"Classify: {{text}}\"}");
      return new Made(call(gw, "DELETE", "/admin/v1/templates/audited-template-2", root, null), "template", "audited-template-2");
    });
    s.put("POST /admin/v1/outcomes", () -> made(post("/admin/v1/outcomes", "{\"type\":\"ticket_resolved\",\"count\":3,"
        + "\"value_usd\":30,\"workflow\":\"wf-audited-1\"}"), "outcome", null));
    return s;
  }

  @TestFactory
  Stream<DynamicTest> everyRouteThatChangesSomethingWritesAnAuditRow() {
    Map<String, Supplier<Made>> scenarios = scenarios();
    List<DynamicTest> tests = new ArrayList<>();
    for (AccessRules.Rule rule : AccessRules.rules()) {
      String route = rule.method() + " " + rule.path();
      if (rule.method().equals("GET") || READ_ONLY.containsKey(route)) continue;
      tests.add(DynamicTest.dynamicTest(route, () -> {
        assertThat(scenarios).as(route + " changes something: add a scenario for it here, and make its handler write the "
            + "change through AdminAudit (or, if it changes nothing, list it in READ_ONLY with the reason)").containsKey(route);
        long before = headSeq();
        Made made = scenarios.get(route).get();
        assertThat(made.response().statusCode()).as(made.response().body()).isBetween(200, 299);
        JsonNode row = null;
        for (JsonNode r : json(gw.get("/admin/v1/audit?limit=1000&after=" + before, ADMIN)).get("data")) {
          if (r.get("route").asText().equals(rule.path()) && r.get("method").asText().equals(rule.method())) row = r;
        }
        assertThat(row).as("an audit row for " + route).isNotNull();
        assertThat(row.get("actor").asText()).isEqualTo(rootActor);
        assertThat(row.get("actor_role").asText()).isEqualTo("admin");
        assertThat(row.get("resource_type").asText()).isEqualTo(made.resourceType());
        assertThat(row.get("resource_id").asText()).isEqualTo(made.resourceId());
        assertThat(row.get("before").isNull() && row.get("after").isNull()).as("before or after says what changed").isFalse();
      }));
    }
    tests.add(DynamicTest.dynamicTest("every scenario names a route that exists", () -> {
      List<String> routes = AccessRules.rules().stream().map(r -> r.method() + " " + r.path()).toList();
      assertThat(routes).containsAll(scenarios.keySet()).containsAll(READ_ONLY.keySet());
    }));
    tests.add(DynamicTest.dynamicTest("the chain still verifies", () ->
        assertThat(json(gw.get("/admin/v1/audit/verify", ADMIN)).get("ok").asBoolean()).isTrue()));
    return tests.stream();
  }

  static long headSeq() {
    return json(gw.get("/admin/v1/audit/verify", ADMIN)).get("head_seq").asLong();
  }

  /** Makes the key's team cross its 10% request warning, and returns the alert that opens. */
  static String openAlertOf(String key, String subjectPrefix) {
    assertThat(gw.post("/v1/chat/completions", key, AdminTestSupport.chat()).statusCode()).isEqualTo(200);
    String[] id = new String[1];
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (JsonNode a : json(gw.get("/admin/v1/alerts?state=open", ADMIN)).get("data")) {
        if (a.get("subject").asText().startsWith(subjectPrefix)) id[0] = a.get("id").asText();
      }
      return id[0] != null;
    });
    return id[0];
  }

  static String exception() {
    return "{\"scope\":\"team:support\",\"team\":\"support\",\"justification\":\"launch week\",\"extra_usd\":20,\"expires_at\":\""
        + Instant.now().plus(Duration.ofDays(7)) + "\"}";
  }

  static HttpResponse<String> post(String path, String body) {
    return gw.post(path, root, body);
  }

  static Made made(HttpResponse<String> r, String type, String id) {
    return new Made(r, type, id != null ? id : id(r));
  }

  static String id(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return json(r).get("id").asText();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
