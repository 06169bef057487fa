package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.call;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload classes made, replaced and deleted through the admin API: they steer real requests at once,
 * an invalid one is refused with the config validator's own message and changes nothing, and they are
 * still there after a restart. Run against SQLite and PostgreSQL by the subclasses.
 */
abstract class WorkloadClassesApiContract {

  static final String ADMIN = TestGateway.ADMIN_TOKEN;
  static final String KEY = "tg-classes-api-test-key-01";
  static final String YAML = """
      storage: ${STORAGE}
      admin: { token: test-admin-token-0123456789 }
      providers:
        sim: { type: simulator, output_tokens: 5 }
      models:
        big:   { provider: sim, tier: premium, price: { input_per_mtok: 5, output_per_mtok: 15 } }
        small: { provider: sim, tier: economy, price: { input_per_mtok: 0.1, output_per_mtok: 0.4 } }
        local: { provider: sim, tier: private, price: { input_per_mtok: 0.05, output_per_mtok: 0.05 } }
      workload_classes:
        from-file: { allow: [ "tier:premium" ] }
      keys:
        - { name: bot, secret: tg-classes-api-test-key-01 }
      """;

  /** The storage URL of an empty database for this test; the same on every call within one test. */
  abstract String storageUrl();

  @TempDir Path dir;
  TestGateway gw;

  @BeforeEach
  void start() {
    gw = startGateway();
  }

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  TestGateway startGateway() {
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE", storageUrl());
    return TestGateway.start(YAML, env, dir);
  }

  HttpResponse<String> ask(String cls, String model) {
    return gw.post("/v1/chat/completions", KEY,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Sort this ticket\"}]}",
        "X-Tollgate-Workload-Class", cls);
  }

  HttpResponse<String> create(String body) {
    return gw.post("/admin/v1/workload-classes", ADMIN, body);
  }

  static final String TRIAGE = """
      {"name":"triage","allow":["tier:economy","local"],"block":["big"],"prefer":"small","fallback":["local"],
       "pii":"redact","cache":{"ttl_s":600},"max_cost_usd":0.25,"latency_target":"2s","sensitivity":"confidential",
       "exception_tiers":["premium"],"output_guard":"block"}""";

  @Test
  void aClassMadeThroughTheApiRoutesTheNextRequestWithoutARestart() {
    assertThat(ask("triage", "big").statusCode()).as("no such class yet").isEqualTo(400);

    HttpResponse<String> made = create(TRIAGE);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode c = json(made);
    assertThat(c.get("source").asText()).isEqualTo("api");
    assertThat(c.get("allowed_models")).extracting(JsonNode::asText).containsExactly("small", "local");
    assertThat(c.get("prefer").asText()).isEqualTo("small");
    assertThat(c.get("fallback")).extracting(JsonNode::asText).containsExactly("local");
    assertThat(c.get("pii").asText()).isEqualTo("redact");
    assertThat(c.get("cache_ttl_s").asLong()).isEqualTo(600);
    assertThat(c.get("max_cost_usd").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(c.get("latency_target_ms").asLong()).isEqualTo(2000);
    assertThat(c.get("sensitivity").asText()).isEqualTo("confidential");
    assertThat(c.get("exception_tiers")).extracting(JsonNode::asText).containsExactly("premium");
    assertThat(c.get("output_guard").asText()).isEqualTo("block");

    HttpResponse<String> r = ask("triage", "big");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("small");
    var row = gw.row(r);
    assertThat(row.attribution().workloadClass()).isEqualTo("triage");
    assertThat(row.classReason()).isEqualTo("header");
    assertThat(row.servedModel()).isEqualTo("small");
  }

  @Test
  void anInvalidClassIsRefusedWithTheConfigValidatorsMessageAndTheOldOneStays() {
    assertThat(create("{\"name\":\"triage\",\"allow\":[\"small\"]}").statusCode()).isEqualTo(201);
    String bad = "{\"allow\":[\"tier:gold\"],\"prefer\":\"huge\",\"pii\":\"shred\"}";

    HttpResponse<String> r = call(gw, "PUT", "/admin/v1/workload-classes/triage", ADMIN, bad);

    assertThat(r.statusCode()).isEqualTo(400);
    String fileMessage = configFileMessage("triage", "{ allow: [ \"tier:gold\" ], prefer: huge, pii: shred }");
    assertThat(json(r).at("/error/message").asText()).isEqualTo(fileMessage)
        .contains("workload_classes.triage.allow[0]: no model has tier 'gold'")
        .contains("workload_classes.triage.prefer: unknown model 'huge'")
        .contains("workload_classes.triage.pii: unknown PII policy 'shred'");
    HttpResponse<String> still = ask("triage", "big");
    assertThat(still.statusCode()).as("the old class still refuses big: %s", still.body()).isEqualTo(403);
    assertThat(json(still).at("/error/code").asText()).isEqualTo("model_not_allowed");
    assertThat(json(gw.get("/admin/v1/workload-classes/triage", ADMIN)).get("allow")).extracting(JsonNode::asText)
        .containsExactly("small");

    HttpResponse<String> unknownKey = create("{\"name\":\"other\",\"alow\":[\"small\"]}");
    assertThat(unknownKey.statusCode()).isEqualTo(400);
    assertThat(json(unknownKey).at("/error/message").asText())
        .isEqualTo(configFileMessage("other", "{ alow: [ small ] }")).contains("did you mean 'allow'");
    assertThat(gw.get("/admin/v1/workload-classes/other", ADMIN).statusCode()).isEqualTo(404);
  }

  /** What the config loader says of the same class written in the file, without the file name. */
  static String configFileMessage(String name, String yamlBody) {
    String yaml = YAML.replace("${STORAGE}", "\"sqlite::memory:\"").replace("  from-file:", "  " + name + ": " + yamlBody + "\n  from-file:");
    try {
      ConfigLoader.parse(yaml, "tollgate.yaml", n -> null, null);
      throw new AssertionError("the config loader accepted " + yamlBody);
    } catch (ConfigException e) {
      return e.getMessage().replace("tollgate.yaml: ", "");
    }
  }

  @Test
  void aClassSurvivesARestartAndAConfigReload() {
    assertThat(create(TRIAGE).statusCode()).isEqualTo(201);
    gw.gateway().reload(gw.gateway().config());
    assertThat(ask("triage", "big").headers().firstValue("x-tollgate-routed-model")).as("after a reload").hasValue("small");

    gw.close();
    gw = startGateway();

    HttpResponse<String> r = ask("triage", "big");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("small");
    JsonNode listed = json(gw.get("/admin/v1/workload-classes", ADMIN));
    assertThat(listed.get("data")).extracting(n -> n.get("name").asText()).containsExactly("from-file", "triage");
    assertThat(listed.at("/data/1/definition/prefer").asText()).isEqualTo("small");
  }

  @Test
  void replacingAClassChangesEveryFieldAtOnceAndDeletingItEndsIt() {
    assertThat(create(TRIAGE).statusCode()).isEqualTo(201);

    HttpResponse<String> replaced = call(gw, "PUT", "/admin/v1/workload-classes/triage", ADMIN, "{\"allow\":[\"big\"]}");
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(json(replaced).get("prefer").isNull()).as("a field left out takes its default").isTrue();
    assertThat(json(replaced).get("pii").asText()).isEqualTo("allow");
    HttpResponse<String> r = ask("triage", "big");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).isEmpty();

    HttpResponse<String> deleted = call(gw, "DELETE", "/admin/v1/workload-classes/triage", ADMIN, null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    HttpResponse<String> after = ask("triage", "big");
    assertThat(after.statusCode()).isEqualTo(400);
    assertThat(json(after).at("/error/message").asText()).contains("Unknown workload class 'triage'");
    assertThat(call(gw, "DELETE", "/admin/v1/workload-classes/triage", ADMIN, null).statusCode()).isEqualTo(404);
    assertThat(call(gw, "PUT", "/admin/v1/workload-classes/triage", ADMIN, "{}").statusCode()).isEqualTo(404);
  }

  @Test
  void classesOfTheConfigFileAreReadOnlyThroughTheApi() {
    HttpResponse<String> post = create("{\"name\":\"from-file\",\"allow\":[\"small\"]}");
    HttpResponse<String> put = call(gw, "PUT", "/admin/v1/workload-classes/from-file", ADMIN, "{\"allow\":[\"small\"]}");
    HttpResponse<String> delete = call(gw, "DELETE", "/admin/v1/workload-classes/from-file", ADMIN, null);

    for (HttpResponse<String> r : java.util.List.of(post, put, delete)) {
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(json(r).at("/error/message").asText()).contains("written in the config file");
    }
    assertThat(json(gw.get("/admin/v1/workload-classes/from-file", ADMIN)).get("source").asText()).isEqualTo("config");
    assertThat(create("{\"name\":\"twice\"}").statusCode()).isEqualTo(201);
    assertThat(create("{\"name\":\"twice\"}").statusCode()).isEqualTo(409);
    assertThat(call(gw, "PUT", "/admin/v1/workload-classes/twice", ADMIN, "{\"name\":\"thrice\"}").statusCode())
        .as("no renaming").isEqualTo(400);
    assertThat(create("{\"name\":\"bad name/x\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void aKeyMayTakeAnApiClassAsItsDefaultAndTheClassCannotBeDeletedUnderIt() {
    assertThat(create(TRIAGE).statusCode()).isEqualTo(201);
    HttpResponse<String> key = gw.post("/admin/v1/keys", ADMIN, "{\"name\":\"triage-bot\",\"workload_class\":\"triage\"}");
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    String secret = json(key).get("secret").asText();

    HttpResponse<String> r = gw.post("/v1/chat/completions", secret,
        "{\"model\":\"big\",\"messages\":[{\"role\":\"user\",\"content\":\"Sort this ticket\"}]}");
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("small");
    assertThat(gw.row(r).classReason()).isEqualTo("key");

    HttpResponse<String> refused = call(gw, "DELETE", "/admin/v1/workload-classes/triage", ADMIN, null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).at("/error/message").asText()).contains("triage-bot");
    call(gw, "DELETE", "/admin/v1/keys/" + json(key).get("id").asText(), ADMIN, null);
    assertThat(call(gw, "DELETE", "/admin/v1/workload-classes/triage", ADMIN, null).statusCode()).isEqualTo(204);
  }

  @Test
  void everyChangeIsInTheAuditLogWithBeforeAndAfter() {
    create(TRIAGE);
    call(gw, "PUT", "/admin/v1/workload-classes/triage", ADMIN, "{\"allow\":[\"big\"]}");
    call(gw, "DELETE", "/admin/v1/workload-classes/triage", ADMIN, null);
    create("{\"name\":\"refused\",\"pii\":\"shred\"}");

    JsonNode audit = json(gw.get("/admin/v1/audit?resource=workload_class", ADMIN)).get("data");
    var entries = new java.util.ArrayList<JsonNode>();
    audit.forEach(e -> {
      if ("workload_class".equals(e.path("resource_type").asText())) entries.add(e);
    });
    assertThat(entries).extracting(e -> e.get("method").asText()).containsExactlyInAnyOrder("POST", "PUT", "DELETE");
    JsonNode post = entries.stream().filter(e -> e.get("method").asText().equals("POST")).findFirst().orElseThrow();
    assertThat(post.get("before").isNull()).isTrue();
    assertThat(post.at("/after/prefer").asText()).isEqualTo("small");
    JsonNode put = entries.stream().filter(e -> e.get("method").asText().equals("PUT")).findFirst().orElseThrow();
    assertThat(put.at("/before/prefer").asText()).isEqualTo("small");
    assertThat(put.at("/after/allow/0").asText()).isEqualTo("big");
    JsonNode delete = entries.stream().filter(e -> e.get("method").asText().equals("DELETE")).findFirst().orElseThrow();
    assertThat(delete.at("/before/allow/0").asText()).isEqualTo("big");
    assertThat(delete.get("after").isNull()).isTrue();
  }
}
