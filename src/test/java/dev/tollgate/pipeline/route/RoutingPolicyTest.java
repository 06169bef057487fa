package dev.tollgate.pipeline.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload classes decide the model; fallbacks keep callers served when a provider fails before answering. */
class RoutingPolicyTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-routing-app-key-00000001";
  static final String CAPPED = "tg-routing-capped-key-0001";
  static final String ADMIN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    String cheap = "price: { input_per_mtok: 1, output_per_mtok: 2 }";
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
          impatient: { type: openai-compatible, base_url: "${UPSTREAM}", timeout: 300ms }
          second: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          cheap:   { provider: fake, upstream: ok, tier: economy, %1$s }
          premium: { provider: fake, upstream: ok, tier: premium, price: { input_per_mtok: 10, output_per_mtok: 30 } }
          flaky:   { provider: fake, upstream: rate-limited, tier: economy, %1$s }
          down:    { provider: fake, upstream: broken, tier: economy, %1$s }
          dropper: { provider: fake, upstream: drop, tier: economy, %1$s }
          sleepy:  { provider: impatient, upstream: hang, tier: economy, %1$s }
          spread:  { tier: economy, %1$s, deployments: [ { provider: fake, upstream: broken, weight: 1 }, { provider: second, upstream: broken, weight: 1 } ] }
          healed:  { tier: economy, %1$s, deployments: [ { provider: fake, upstream: broken, weight: 1000 }, { provider: second, upstream: ok, weight: 1 } ] }
        workload_classes:
          classification: { allow: [ "tier:economy" ], prefer: cheap, fallback: [ cheap ] }
          strict-class:   { allow: [ "tier:economy" ] }
          synthesis:      { allow: [ "tier:premium", "tier:economy" ], exception_tiers: [ premium ] }
          capped:         { max_cost_usd: 0.000001 }
        classification:
          default: classification
          rules:
            - { when: { workflow: exec-summary }, class: synthesis }
            - { when: { tools: true }, class: strict-class }
        keys:
          - { name: app, secret: tg-routing-app-key-00000001, team: ops }
          - { name: capped-key, secret: tg-routing-capped-key-0001, workload_class: capped }
        """.formatted(cheap), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  static JsonNode error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  @Test
  void aModelTheClassAllowsIsServedAsRequestedAndTheClassAndItsReasonAreRecorded() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("cheap", false, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).isEmpty();
    UsageRecord row = gw.row(r);
    assertThat(row.attribution().workloadClass()).isEqualTo("classification");
    assertThat(row.classReason()).isEqualTo("org_default");
    assertThat(row.routeReason()).isEqualTo("requested");
  }

  @Test
  void aModelTheClassDoesNotAllowGoesToThePreferredModelOpenly() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("premium", false, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("cheap");
    UsageRecord row = gw.row(r);
    assertThat(row.requestedModel()).isEqualTo("premium");
    assertThat(row.routeReason()).isEqualTo("class_preferred");
    assertThat(row.tier()).isEqualTo("economy");
  }

  @Test
  void withoutAPreferredModelTheRefusalListsWhatTheClassAllows() throws Exception {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"run\",\"parameters\":{\"type\":\"object\"}}}]";
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("premium", false, tools));
    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode err = error(r);
    assertThat(err.get("code").asText()).isEqualTo("model_not_allowed");
    assertThat(err.get("workload_class").asText()).isEqualTo("strict-class");
    assertThat(err.get("allowed_models")).extracting(JsonNode::asText).contains("cheap", "flaky").doesNotContain("premium");
    assertThat(gw.row(r).classReason()).isEqualTo("rule:2");
  }

  @Test
  void rulesHeadersAndUnknownClassesAreHandledAsDocumented() throws Exception {
    HttpResponse<String> rule = gw.post("/v1/chat/completions", KEY, chat("cheap", false, ""), "X-Tollgate-Workflow", "exec-summary");
    assertThat(gw.row(rule).attribution().workloadClass()).isEqualTo("synthesis");
    assertThat(gw.row(rule).classReason()).isEqualTo("rule:1");

    HttpResponse<String> header = gw.post("/v1/chat/completions", KEY, chat("cheap", false, ""), "X-Tollgate-Workload-Class", "strict-class");
    assertThat(gw.row(header).attribution().workloadClass()).isEqualTo("strict-class");
    assertThat(gw.row(header).classReason()).isEqualTo("header");

    HttpResponse<String> unknown = gw.post("/v1/chat/completions", KEY, chat("cheap", false, ""), "X-Tollgate-Workload-Class", "vip");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(error(unknown).get("message").asText()).contains("Unknown workload class 'vip'").contains("classification");
  }

  @Test
  void aTierThatNeedsAnExceptionIsRefusedWithTheWayForward() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("premium", false, ""), "X-Tollgate-Workflow", "exec-summary");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("approval_required");
    assertThat(error(r).get("message").asText()).contains("approved exception").contains("cheap");
  }

  @Test
  void a429FallsBackToTheNextModelOfTheChain() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("flaky", false, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("cheap");
    UsageRecord row = gw.row(r);
    assertThat(row.requestedModel()).isEqualTo("flaky");
    assertThat(row.routeReason()).isEqualTo("fallback:flaky:429");
    assertThat(row.usage().outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
  }

  @Test
  void a5xxFallsBackForAStreamToo() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("down", true, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Hello").endsWith("data: [DONE]\n\n");
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:down:500");
  }

  @Test
  void aStreamDroppedBeforeItsFirstEventFallsBackUnseenByTheClient() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("dropper", true, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Hello").doesNotContain("error");
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:dropper:reset");
  }

  @Test
  void aTimeoutFallsBack() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("sleepy", false, ""));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.row(r).routeReason()).isEqualTo("fallback:sleepy:timeout");
  }

  @Test
  void aClassCapOnOneRequestsCostRefusesTheWorstCaseAboveIt() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", CAPPED, chat("premium", false, ",\"max_tokens\":1000"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(error(r).get("code").asText()).isEqualTo("budget_exceeded");
    assertThat(error(r).get("message").asText()).contains("workload class 'capped' may cost at most $0.000001");
  }

  @Test
  void simulateAgreesWithWhatARealRequestDoes() throws Exception {
    String sim = "{\"key\":\"app\",\"headers\":{\"X-Tollgate-Workflow\":\"triage\"},\"body\":" + chat("premium", false, "") + "}";
    HttpResponse<String> simulated = gw.post("/admin/v1/policy/simulate", ADMIN, sim);
    assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(200);
    JsonNode s = JSON.readTree(simulated.body());
    HttpResponse<String> real = gw.post("/v1/chat/completions", KEY, chat("premium", false, ""), "X-Tollgate-Workflow", "triage");
    UsageRecord row = gw.row(real);
    assertThat(s.get("decision").asText()).isEqualTo("admit");
    assertThat(s.at("/classification/workload_class").asText()).isEqualTo(row.attribution().workloadClass());
    assertThat(s.at("/classification/reason").asText()).isEqualTo(row.classReason());
    assertThat(s.at("/route/model").asText()).isEqualTo("cheap").isEqualTo(real.headers().firstValue("x-tollgate-routed-model").orElseThrow());
    assertThat(s.at("/route/reason").asText()).isEqualTo(row.routeReason());

    HttpResponse<String> refused = gw.post("/admin/v1/policy/simulate", ADMIN,
        "{\"key\":\"app\",\"headers\":{\"X-Tollgate-Workflow\":\"exec-summary\"},\"body\":" + chat("premium", false, "") + "}");
    JsonNode r = JSON.readTree(refused.body());
    assertThat(r.get("decision").asText()).isEqualTo("refuse");
    assertThat(r.at("/error/code").asText()).isEqualTo("approval_required");
    assertThat(gw.post("/v1/chat/completions", KEY, chat("premium", false, ""), "X-Tollgate-Workflow", "exec-summary").statusCode())
        .isEqualTo(r.at("/error/status").asInt());
    assertThat(upstreamCallsFor("sim_")).as("a simulation calls no provider").isZero();
  }

  @Test
  void theClassesInForceAreListedWithTheModelsEachAllows() throws Exception {
    JsonNode classes = JSON.readTree(gw.get("/admin/v1/workload-classes", ADMIN).body());
    assertThat(classes.get("default").asText()).isEqualTo("classification");
    JsonNode first = classes.get("data").get(0);
    assertThat(first.get("name").asText()).isEqualTo("classification");
    assertThat(first.get("allowed_models")).extracting(JsonNode::asText).contains("cheap", "flaky").doesNotContain("premium");
    assertThat(classes.get("rules").get(1).at("/when/tools").asText()).isEqualTo("true");
  }

  @Test
  void aFailingDeploymentFallsBackToAnotherDeploymentOfTheSameModelFirst() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", KEY, chat("healed", false, ""), "X-Tollgate-Workload-Class", "strict-class");
    assertThat(r.statusCode()).isEqualTo(200);
    UsageRecord row = gw.row(r);
    assertThat(row.servedModel()).isEqualTo("ok");
    // Whichever deployment the balancer tried first, the caller is served; if it was the broken one, the row says so.
    assertThat(row.routeReason()).matches("requested|fallback:healed@fake:500");
    HttpResponse<String> both = gw.post("/v1/chat/completions", KEY, chat("spread", false, ""), "X-Tollgate-Workload-Class", "strict-class");
    assertThat(both.statusCode()).as("every deployment failed and the key has no class fallback").isEqualTo(500);
  }

  static long upstreamCallsFor(String requestIdPrefix) {
    return upstream.headers().stream().filter(h -> String.valueOf(h.get("x-request-id")).startsWith(requestIdPrefix)).count();
  }
}
