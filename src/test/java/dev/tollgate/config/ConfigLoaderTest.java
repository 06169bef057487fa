package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.Rates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

  private static final Function<String, String> NO_ENV = name -> null;

  /** The CONTRACT.md example, word for word. */
  private static final String CONTRACT_EXAMPLE = """
      server:   { host: 127.0.0.1, port: 8400 }
      storage:  sqlite:data/tollgate.db          # or postgresql://user:pw@host:5432/db
      counters: memory                           # or redis://127.0.0.1:6379
      admin:    { token: ${TOLLGATE_ADMIN_TOKEN} }   # bootstrap admin bearer token

      providers:
        openai:  { type: openai,            api_key: ${OPENAI_API_KEY} }
        claude:  { type: anthropic,         api_key: ${ANTHROPIC_API_KEY} }
        local:   { type: openai-compatible, base_url: http://127.0.0.1:8000/v1 }
        sim:     { type: simulator }

      models:                                    # the names clients ask for
        gpt-4o-mini: { provider: openai, tier: economy }            # price from the catalog
        fast-local:  { provider: local, upstream: llama-3.1-8b, tier: private,
                       price: { input_per_mtok: 0.05, output_per_mtok: 0.05 } }   # USD per million tokens

      teams:
        support:
          budgets:                               # any scope (org, team, project, workflow, agent, user, key…) takes a list
            - { window: month,  usd: 8000, warn_at: [0.5, 0.8], on_exceed: block }   # on_exceed: block | notify | downgrade | require_approval
            - { window: minute, requests: 600 }                                      # rate limit
            - { window: day,    output_tokens: 2000000 }   # units: usd, tokens, input_tokens, output_tokens, requests

      workload_classes:
        classification: { allow: [ "tier:economy" ], prefer: gpt-4o-mini, fallback: [ fast-local ], pii: redact,
                          cache: { ttl_s: 3600 } }                   # response cache allowed for this class
        regulated-docs: { allow: [ "tier:private" ], pii: block }      # pii: allow | redact | route_private | block

      keys:                                      # keys may also be made with the admin API
        - { name: triage-bot, secret: ${TRIAGE_KEY}, team: support, project: helpdesk,
            workflow: ticket-triage, agent: triage-bot, workload_class: classification }
      """;

  private static final Map<String, String> CONTRACT_ENV = Map.of(
      "TOLLGATE_ADMIN_TOKEN", "admin-token-0123456789",
      "OPENAI_API_KEY", "sk-test-abc:def#ghi",
      "ANTHROPIC_API_KEY", "sk-ant-test-0123",
      "TRIAGE_KEY", "tg-triage-0123456789abcdef");

  /** A small valid config the bad-input cases are variations of. */
  private static final String BASE = """
      providers:
        openai: { type: openai, api_key: sk-literal-for-tests }
        local:  { type: openai-compatible, base_url: http://127.0.0.1:8000/v1 }
        sim:    { type: simulator }
      models:
        gpt-4o-mini: { provider: openai, tier: economy }
        fast-local:  { provider: local, tier: private }
      teams:
        support: {}
      """;

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "tollgate.yaml", NO_ENV, Path.of("/etc/tollgate"));
  }

  private static List<ConfigError> errorsOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("the config should be refused").isNotNull();
    return e.errors();
  }

  // ---- complete files

  @Test
  void exampleFileLoadsWithNoEnvironmentVariables(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tollgate.yaml");
    try (InputStream in = getClass().getResourceAsStream("/tollgate.example.yaml")) {
      assertThat(in).as("tollgate.example.yaml on the classpath").isNotNull();
      Files.copy(in, file);
    }

    GatewayConfig config = ConfigLoader.load(file, NO_ENV);

    assertThat(config.source()).isEqualTo(file.toAbsolutePath().normalize());
    assertThat(config.server()).isEqualTo(ServerConfig.defaults());
    assertThat(config.storage()).isEqualTo("sqlite:" + dir.toAbsolutePath().normalize().resolve("data/tollgate.db"));
    assertThat(config.counters()).isEqualTo("memory");
    assertThat(config.admin().token()).isNull();
    assertThat(config.org()).isEqualTo(new OrgConfig("acme", ZoneId.of("Europe/Berlin")));
    assertThat(config.providers()).containsOnlyKeys("local", "sim");
    assertThat(config.providers().get("local").headers()).containsEntry("X-Team-Name", "platform");
    assertThat(config.providers().get("local").apiKey()).isNull();
    assertThat(config.providers().get("sim").simulator())
        .isEqualTo(new SimulatorConfig(Duration.ZERO, Duration.ofMillis(150), 80, 40, 0.0, 42));
    assertThat(config.models().keySet()).containsExactly("gpt-4o-mini", "gpt-4o", "fast-local");
    Price price = config.models().get("fast-local").price();
    assertThat(price.base()).isEqualTo(new Rates(50_000_000, 25_000_000, 50_000_000, 50_000_000, 50_000_000));
    assertThat(price.tiers()).singleElement().satisfies(t -> {
      assertThat(t.aboveInputTokens()).isEqualTo(128_000);
      assertThat(t.rates()).isEqualTo(Rates.of(100_000_000, 100_000_000));
    });
    assertThat(config.teams().get("support").budgets()).hasSize(3);
    assertThat(config.workloadClasses().get("classification").cacheTtlSeconds()).isEqualTo(3600L);
    assertThat(config.keys()).extracting(KeyConfig::name).containsExactly("triage-bot", "research-notebook");
    KeyConfig triage = config.keys().get(0);
    assertThat(triage.expiresAt()).isEqualTo(Instant.parse("2027-12-31T23:59:59Z"));
    assertThat(triage.tags()).containsExactly(Map.entry("env", "prod"), Map.entry("owner", "support-platform"));
    assertThat(config.pricing().catalog()).isNull();
    assertThat(config.ledger()).isEqualTo(LedgerConfig.defaults().withSpoolDir(dir.toAbsolutePath().normalize().resolve("data/spool")));
  }

  @Test
  void contractExampleLoadsWithItsEnvironmentVariables() {
    GatewayConfig config = ConfigLoader.parse(CONTRACT_EXAMPLE, "tollgate.yaml", CONTRACT_ENV::get, Path.of("/srv/gw"));

    assertThat(config.admin().token()).isEqualTo("admin-token-0123456789");
    ProviderConfig openai = config.providers().get("openai");
    assertThat(openai.type()).isEqualTo(ProviderType.OPENAI);
    assertThat(openai.apiKey()).as("':' and '#' from the environment are data, not YAML").isEqualTo("sk-test-abc:def#ghi");
    assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(config.providers().get("local").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(config.providers().get("sim").simulator()).isEqualTo(SimulatorConfig.defaults());
    ProviderConfig claude = config.providers().get("claude");
    assertThat(claude.type()).isEqualTo(ProviderType.ANTHROPIC);
    assertThat(claude.apiKey()).isEqualTo("sk-ant-test-0123");
    assertThat(claude.baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(claude.setting("anthropic_version")).isEqualTo("2023-06-01");
    assertThat(config.storage()).isEqualTo("sqlite:/srv/gw/data/tollgate.db");
    assertThat(config.models().get("gpt-4o-mini")).isEqualTo(new ModelConfig("gpt-4o-mini", "openai", "gpt-4o-mini", "economy", null));
    assertThat(config.models().get("fast-local").upstream()).isEqualTo("llama-3.1-8b");
    assertThat(config.teams().get("support").budgets()).containsExactly(
        new BudgetConfig("team:support", "month", "usd", new BigDecimal("8000"), List.of(new BigDecimal("0.5"), new BigDecimal("0.8")), "block", null, null, null, null),
        new BudgetConfig("team:support", "minute", "requests", new BigDecimal("600"), List.of(), "block", null, null, null, null),
        new BudgetConfig("team:support", "day", "output_tokens", new BigDecimal("2000000"), List.of(), "block", null, null, null, null));
    assertThat(config.workloadClasses().get("classification"))
        .isEqualTo(new WorkloadClassConfig("classification", List.of("tier:economy"), "gpt-4o-mini", List.of("fast-local"), "redact", 3600L));
    assertThat(config.workloadClasses().get("regulated-docs"))
        .isEqualTo(new WorkloadClassConfig("regulated-docs", List.of("tier:private"), null, List.of(), "block", null));
    KeyConfig key = config.keys().get(0);
    assertThat(key.secret()).isEqualTo("tg-triage-0123456789abcdef");
    assertThat(key.workloadClass()).isEqualTo("classification");
    assertThat(key.models()).isEmpty();
  }

  @Test
  void vendorProvidersLoadWithTheirDefaultsAndSettings() {
    GatewayConfig config = ConfigLoader.parse("""
        providers:
          claude: { type: anthropic, api_key: k1, anthropic_version: "2023-01-01", base_url: "https://proxy.example/anthropic/" }
          az:     { type: azure-openai, api_key: k2, base_url: "https://acme.openai.azure.com/", api_version: 2024-10-21 }
          gem:    { type: gemini, api_key: k3 }
          aws:    { type: bedrock, region: eu-central-1, access_key_id: AKIDEXAMPLE, secret_access_key: s3cr3t, session_token: tok }
          aws2:   { type: bedrock, region: us-east-1 }
        """, "tollgate.yaml", NO_ENV, Path.of("/srv/gw"));

    ProviderConfig claude = config.providers().get("claude");
    assertThat(claude.baseUrl()).isEqualTo("https://proxy.example/anthropic");
    assertThat(claude.setting("anthropic_version")).isEqualTo("2023-01-01");
    ProviderConfig az = config.providers().get("az");
    assertThat(az.type()).isEqualTo(ProviderType.AZURE_OPENAI);
    assertThat(az.baseUrl()).isEqualTo("https://acme.openai.azure.com");
    assertThat(az.setting("api_version")).isEqualTo("2024-10-21");
    ProviderConfig gem = config.providers().get("gem");
    assertThat(gem.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
    assertThat(gem.apiKey()).isEqualTo("k3");
    ProviderConfig aws = config.providers().get("aws");
    assertThat(aws.baseUrl()).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
    assertThat(aws.settings()).containsEntry("region", "eu-central-1").containsEntry("access_key_id", "AKIDEXAMPLE")
        .containsEntry("secret_access_key", "s3cr3t").containsEntry("session_token", "tok");
    assertThat(config.providers().get("aws2").settings()).containsOnlyKeys("region");
  }

  @Test
  void contractExampleWithoutItsEnvironmentNamesEveryMissingVariable() {
    List<ConfigError> errors = errorsOf(CONTRACT_EXAMPLE);

    assertThat(errors).extracting(ConfigError::keyPath)
        .containsExactly("admin.token", "providers.openai.api_key", "providers.claude.api_key", "keys[0].secret");
    assertThat(errors.get(1).message()).startsWith("environment variable OPENAI_API_KEY is not set");
  }

  // ---- one problem at a time

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("unknown key", "server: { host: 127.0.0.1, prot: 8400 }\n",
            "server.prot", "unknown key 'prot' under server (did you mean 'port'?); allowed: host, port, max_body_bytes"),
        Arguments.of("unknown top-level key", "sever: { port: 8400 }\n",
            "sever", "unknown key 'sever' at the top level (did you mean 'server'?)"),
        Arguments.of("port out of range", "server: { port: 70000 }\n",
            "server.port", "must be a whole number from 0 to 65535; got 70000"),
        Arguments.of("port not a number", "server: { port: eighty }\n",
            "server.port", "must be a number, got 'eighty'"),
        Arguments.of("unknown provider", BASE.replace("provider: local", "provider: locl"),
            "models.fast-local.provider", "unknown provider 'locl'; declared providers: openai, local, sim"),
        Arguments.of("missing api_key", BASE.replace("type: openai, api_key: sk-literal-for-tests", "type: openai"),
            "providers.openai.api_key", "is required; the openai provider needs an API key"),
        Arguments.of("unset environment variable", BASE.replace("sk-literal-for-tests", "${OPENAI_API_KEY}"),
            "providers.openai.api_key", "environment variable OPENAI_API_KEY is not set; set it, or give a default"),
        Arguments.of("provider type not in this build", "providers:\n  m: { type: mistral, api_key: x }\n",
            "providers.m.type",
            "provider type 'mistral' is not available in this build; available: openai, openai-compatible, anthropic, "
                + "azure-openai, gemini, bedrock, simulator"),
        Arguments.of("another gateway's name for a type", "providers:\n  az: { type: azure, api_key: x }\n",
            "providers.az.type", "unknown provider type 'azure' (did you mean 'azure-openai'?)"),
        Arguments.of("anthropic without api_key", "providers:\n  claude: { type: anthropic }\n",
            "providers.claude.api_key", "is required; the anthropic provider needs an API key"),
        Arguments.of("azure-openai without api_version", "providers:\n  az: { type: azure-openai, api_key: k, base_url: https://r.openai.azure.com }\n",
            "providers.az.api_version", "is required; Azure OpenAI needs the API version"),
        Arguments.of("azure-openai without its endpoint", "providers:\n  az: { type: azure-openai, api_key: k, api_version: 2024-10-21 }\n",
            "providers.az.base_url", "is required; an azure-openai provider needs the resource endpoint"),
        Arguments.of("azure key on an anthropic provider", "providers:\n  claude: { type: anthropic, api_key: k, api_version: x }\n",
            "providers.claude.api_version", "unknown key 'api_version' under providers.claude"),
        Arguments.of("gemini without api_key", "providers:\n  g: { type: gemini }\n",
            "providers.g.api_key", "is required; the gemini provider needs a Google AI Studio key"),
        Arguments.of("bedrock without region", "providers:\n  b: { type: bedrock }\n",
            "providers.b.region", "is required; Bedrock needs the AWS region"),
        Arguments.of("bedrock region misspelt", "providers:\n  b: { type: bedrock, region: useast1 }\n",
            "providers.b.region", "must be an AWS region name such as us-east-1"),
        Arguments.of("bedrock secret without key id", "providers:\n  b: { type: bedrock, region: us-east-1, secret_access_key: s }\n",
            "providers.b.access_key_id", "access_key_id and secret_access_key go together"),
        Arguments.of("openai-compatible without base_url", "providers:\n  local: { type: openai-compatible }\n",
            "providers.local.base_url", "is required"),
        Arguments.of("base_url not http", "providers:\n  local: { type: openai-compatible, base_url: ftp://host/v1 }\n",
            "providers.local.base_url", "must be an http:// or https:// URL"),
        Arguments.of("simulator key on an http provider", "providers:\n  local: { type: openai-compatible, base_url: http://h/v1, ttft: 5s }\n",
            "providers.local.ttft", "unknown key 'ttft' under providers.local"),
        Arguments.of("duplicate key secret", BASE + """
            keys:
              - { name: a, secret: tg-same-secret-0123456789 }
              - { name: b, secret: tg-same-secret-0123456789 }
            """, "keys[1].secret", "the same secret as keys[0]"),
        Arguments.of("duplicate key name", BASE + """
            keys:
              - { name: a, secret: tg-first-secret-0123456789 }
              - { name: a, secret: tg-second-secret-0123456789 }
            """, "keys[1].name", "duplicate key name 'a' (also keys[0])"),
        Arguments.of("short key secret", BASE + "keys:\n  - { name: a, secret: short-secret }\n",
            "keys[0].secret", "must be at least 16 characters long"),
        Arguments.of("unknown team", BASE + "keys:\n  - { name: a, secret: tg-0123456789abcdef, team: suport }\n",
            "keys[0].team", "unknown team 'suport'; declared teams: support"),
        Arguments.of("unknown workload class", BASE + "keys:\n  - { name: a, secret: tg-0123456789abcdef, workload_class: chat }\n",
            "keys[0].workload_class", "unknown workload class 'chat'; declared workload classes: none"),
        Arguments.of("key names an unknown model", BASE + "keys:\n  - { name: a, secret: tg-0123456789abcdef, models: [gpt-5] }\n",
            "keys[0].models[0]", "unknown model 'gpt-5'; declared models: gpt-4o-mini, fast-local"),
        Arguments.of("bad expires_at", BASE + "keys:\n  - { name: a, secret: tg-0123456789abcdef, expires_at: next week }\n",
            "keys[0].expires_at", "must be an ISO-8601 instant"),
        Arguments.of("bad duration", "server: { connect_timeout: 5 sec }\n",
            "server.connect_timeout", "must be a duration such as 250ms, 5s, 2m or 1h"),
        Arguments.of("zero timeout", "server: { request_timeout: 0s }\n",
            "server.request_timeout", "must be longer than zero"),
        Arguments.of("negative price", BASE.replace("tier: private }", "tier: private, price: { input_per_mtok: -1, output_per_mtok: 0.1 } }"),
            "models.fast-local.price.input_per_mtok", "must not be negative"),
        Arguments.of("price without output", BASE.replace("tier: private }", "tier: private, price: { input_per_mtok: 0.1 } }"),
            "models.fast-local.price.output_per_mtok", "is required; a price override needs at least input_per_mtok and output_per_mtok"),
        Arguments.of("price finer than a nano-dollar", BASE.replace("tier: private }", "tier: private, price: { input_per_mtok: 0.0000000001, output_per_mtok: 1 } }"),
            "models.fast-local.price.input_per_mtok", "at most 9 decimal places"),
        Arguments.of("price tiers out of order", BASE.replace("tier: private }", """
            tier: private, price: { input_per_mtok: 1, output_per_mtok: 2, tiers: [
                             { above_input_tokens: 200000, input_per_mtok: 2, output_per_mtok: 4 },
                             { above_input_tokens: 100000, input_per_mtok: 3, output_per_mtok: 6 } ] } }"""),
            "models.fast-local.price.tiers[1].above_input_tokens", "ascending order"),
        Arguments.of("bad time zone", "org: { name: acme, time_zone: Mars/Olympus }\n",
            "org.time_zone", "unknown time zone 'Mars/Olympus'; use an IANA name"),
        Arguments.of("org budget naming another scope", "org: { budgets: [ { scope: team:x, window: month, usd: 10 } ] }\n",
            "org.budgets[0].scope", "this list is for org"),
        Arguments.of("top-level budget without a scope", "budgets: [ { window: month, usd: 10 } ]\n",
            "budgets[0].scope", "is required"),
        Arguments.of("safety factor below 100%", "admission: { tokenizer_safety_percent: 90 }\n",
            "admission.tokenizer_safety_percent", "from 100 to 300"),
        Arguments.of("approver with an unknown role", "exceptions: { approvers: [ { role: boss } ] }\n",
            "exceptions.approvers[0].role", "unknown role 'boss'"),
        Arguments.of("budget with a bad scope", "budgets: [ { scope: department:x, window: month, usd: 10 } ]\n",
            "budgets[0].scope", "unknown dimension 'department'"),
        Arguments.of("custom window without an end", "budgets: [ { scope: org, window: custom, start: 2026-10-01T00:00:00Z, usd: 10 } ]\n",
            "budgets[0]", "a custom window needs start and end"),
        Arguments.of("salary budget with a share above 1", "teams: { ops: { salary_budget: { headcount: 3, annual_salary_usd: 90000, share: 3 } } }\n",
            "teams.ops.salary_budget.share", "must be above 0 and at most 1"),
        Arguments.of("budget with two limits", "teams:\n  support:\n    budgets: [ { window: month, usd: 10, requests: 5 } ]\n",
            "teams.support.budgets[0]", "has usd and requests; give one limit per budget entry"),
        Arguments.of("budget without limit", "teams:\n  support:\n    budgets: [ { window: month } ]\n",
            "teams.support.budgets[0]", "needs a limit"),
        Arguments.of("budget limit zero", "teams:\n  support:\n    budgets: [ { window: month, usd: 0 } ]\n",
            "teams.support.budgets[0].usd", "must be greater than zero"),
        Arguments.of("budget warn_at as percent", "teams:\n  support:\n    budgets: [ { window: day, usd: 5, warn_at: [80] } ]\n",
            "teams.support.budgets[0].warn_at[0]", "above 0 and at most 1"),
        Arguments.of("budget window", "teams:\n  support:\n    budgets: [ { window: week, usd: 5 } ]\n",
            "teams.support.budgets[0].window", "unknown window 'week'; allowed: request, conversation, minute, hour, day, month"),
        Arguments.of("budget on_exceed", "teams:\n  support:\n    budgets: [ { window: day, usd: 5, on_exceed: throttle } ]\n",
            "teams.support.budgets[0].on_exceed", "unknown action 'throttle'"),
        Arguments.of("workload class with unknown tier", BASE + "workload_classes:\n  c: { allow: [ \"tier:cheap\" ] }\n",
            "workload_classes.c.allow[0]", "no model has tier 'cheap'; tiers in use: economy, private"),
        Arguments.of("workload class prefers unknown model", BASE + "workload_classes:\n  c: { prefer: gpt-5 }\n",
            "workload_classes.c.prefer", "unknown model 'gpt-5'"),
        Arguments.of("workload class pii", BASE + "workload_classes:\n  c: { pii: mask }\n",
            "workload_classes.c.pii", "unknown PII policy 'mask'; allowed: allow, redact, route_private, block"),
        Arguments.of("workload class cache key", BASE + "workload_classes:\n  c: { cache: { ttl_s: 60, ttl: 60 } }\n",
            "workload_classes.c.cache.ttl", "unknown key 'ttl' under workload_classes.c.cache (did you mean 'ttl_s'?)"),
        Arguments.of("workload class cache ttl", BASE + "workload_classes:\n  c: { cache: { ttl_s: 0 } }\n",
            "workload_classes.c.cache.ttl_s", "must be a whole number from 1 to 31536000"),
        Arguments.of("malformed reference", "server: { host: \"${1HOST}\" }\n",
            "server.host", "malformed environment reference in ${1HOST}"),
        Arguments.of("storage scheme", "storage: mysql://root:hunter2@db/tollgate\n",
            "storage", "must be sqlite:<file> or postgresql://"),
        Arguments.of("counters", "counters: memroy\n",
            "counters", "must be memory or a URL like redis://127.0.0.1:6379 (rediss:// for TLS); got 'memroy'"),
        Arguments.of("short admin token", "admin: { token: abc }\n",
            "admin.token", "must be at least 16 characters long"),
        Arguments.of("unknown ledger durability", "ledger: { durability: paranoid }\n",
            "ledger.durability", "unknown durability 'paranoid'; available: batched, strict"),
        Arguments.of("zero commit timeout", "ledger: { commit_timeout: 0s }\n",
            "ledger.commit_timeout", "must be longer than zero"),
        Arguments.of("ledger queue smaller than a batch", "ledger: { batch_size: 500, queue_capacity: 100 }\n",
            "ledger.queue_capacity", "must be at least batch_size (500)"),
        Arguments.of("missing price catalog", "pricing: { catalog: no-such-prices.yaml }\n",
            "pricing.catalog", "file not found: /etc/tollgate/no-such-prices.yaml"),
        Arguments.of("duplicate YAML key", "server:\n  port: 8400\n  port: 8401\n",
            "server.port", "the key appears twice in the same mapping (again at line 3)"),
        Arguments.of("YAML alias", "server:\n  host: &h 127.0.0.1\n  port: *h\n",
            "server.port", "YAML aliases (*h) are not supported"),
        Arguments.of("YAML syntax error", "server:\n  host: 127.0.0.1\n port: 8400\n",
            "", "line 3, column"),
        Arguments.of("unclosed flow mapping", "server: { port: 8400\nstorage: memory\n",
            "", "YAML syntax error"),
        Arguments.of("malformed reference inside { }", "providers:\n  openai: { type: openai, api_key: ${sk-abc} }\n",
            "", "line 2, column 37: YAML syntax error"),
        Arguments.of("empty file", "# nothing but a comment\n",
            "", "the file is empty"),
        Arguments.of("top level is a list", "- server\n",
            "", "the file must be a mapping of sections"),
        Arguments.of("section of the wrong kind", "server: 8400\n",
            "server", "must be a mapping"),
        Arguments.of("unclosed reference", "server: { host: \"${HOST\" }\n",
            "server.host", "'${' without a closing '}'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsRefusedWithItsKeyPath(String rule, String yaml, String keyPath, String fragment) {
    List<ConfigError> errors = errorsOf(yaml);

    assertThat(errors).as("exactly one error for: " + rule).hasSize(1);
    assertThat(errors.get(0).file()).isEqualTo("tollgate.yaml");
    assertThat(errors.get(0).keyPath()).isEqualTo(keyPath);
    assertThat(errors.get(0).message()).contains(fragment);
  }

  @Test
  void errorRendersAsFileKeyPathAndMessageOnOneLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse(BASE.replace("provider: local", "provider: locl")));

    assertThat(e.getMessage()).isEqualTo(
        "tollgate.yaml: models.fast-local.provider: unknown provider 'locl'; declared providers: openai, local, sim");
  }

  @Test
  void everyErrorInAFileIsReportedNotJustTheFirst() {
    String yaml = """
        server: { port: -1, connect_timeout: soon }
        org: { time_zone: Nowhere/City }
        providers:
          openai: { type: openai }
        models:
          m: { provider: nope }
        keys:
          - { name: k, secret: tiny }
        """;

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));

    assertThat(e.errors()).extracting(ConfigError::keyPath).containsExactly(
        "server.port", "server.connect_timeout", "org.time_zone", "providers.openai.api_key", "models.m.provider",
        "keys[0].secret");
    assertThat(e.getMessage().lines()).hasSize(6).allMatch(line -> line.startsWith("tollgate.yaml: "));
  }

  @Test
  void secretValuesNeverAppearInMessages() {
    String yaml = """
        providers:
          openai: { type: openai, api_key: "${sk-live-abcdef123}" }
        admin: { token: "${tok en}" }
        storage: postgresql//app:hunter2@db/tollgate
        """;

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));

    assertThat(e.errors()).extracting(ConfigError::keyPath).containsExactly("storage", "admin.token", "providers.openai.api_key");
    assertThat(e.getMessage()).doesNotContain("sk-live-abcdef123").doesNotContain("tok en").doesNotContain("hunter2");
  }

  // ---- environment substitution

  @Test
  void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
    String yaml = "server: { host: \"${HOST:-0.0.0.0}\", port: ${PORT:-9000} }\n";

    assertThat(ConfigLoader.parse(yaml, "t.yaml", NO_ENV, null).server().port()).isEqualTo(9000);
    assertThat(ConfigLoader.parse(yaml, "t.yaml", NO_ENV, null).server().host()).isEqualTo("0.0.0.0");
    assertThat(ConfigLoader.parse(yaml, "t.yaml", Map.of("PORT", "")::get, null).server().port()).isEqualTo(9000);
    assertThat(ConfigLoader.parse(yaml, "t.yaml", Map.of("PORT", "9100")::get, null).server().port()).isEqualTo(9100);
  }

  @Test
  void doubleDollarWritesALiteralReference() {
    String yaml = "providers:\n  local: { type: openai-compatible, base_url: http://h/v1, headers: { X-Tpl: $${NOT_A_VAR} } }\n";

    GatewayConfig config = ConfigLoader.parse(yaml, "t.yaml", NO_ENV, null);

    assertThat(config.providers().get("local").headers()).containsEntry("X-Tpl", "${NOT_A_VAR}");
  }

  @Test
  void referencesInsideFlowMappingsAndQuotedStringsWork() {
    String yaml = """
        storage: sqlite:${DATA:-var}/tollgate.db
        providers:
          local: { type: openai-compatible, base_url: "http://${LLM_HOST:-127.0.0.1}:${LLM_PORT}/v1", api_key: ${K:-a, b # c} }
        """;

    GatewayConfig config = ConfigLoader.parse(yaml, "t.yaml", Map.of("LLM_PORT", "8000")::get, Path.of("/opt/tg"));

    assertThat(config.storage()).isEqualTo("sqlite:/opt/tg/var/tollgate.db");
    assertThat(config.providers().get("local").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(config.providers().get("local").apiKey()).isEqualTo("a, b # c");
  }

  @Test
  void headerEmptyAfterSubstitutionIsNotSent() {
    String yaml = "providers:\n  local: { type: openai-compatible, base_url: http://h/v1, headers: { A: x, B: ${ORG:-} } }\n";

    GatewayConfig config = ConfigLoader.parse(yaml, "t.yaml", NO_ENV, null);

    assertThat(config.providers().get("local").headers()).containsExactly(Map.entry("A", "x"));
  }

  @Test
  void emptyAfterSubstitutionMeansAbsent() {
    GatewayConfig config = ConfigLoader.parse("admin: { token: ${ADMIN_TOKEN:-} }\nstorage: ${STORAGE:-}\n",
        "t.yaml", NO_ENV, Path.of("/srv"));

    assertThat(config.admin().token()).isNull();
    assertThat(config.storage()).isEqualTo("sqlite:/srv/data/tollgate.db");
  }

  // ---- values

  @Test
  void priceOverrideIsExactNanosPerMillionTokens() {
    String yaml = BASE.replace("tier: private }", """
        tier: private, price: { input_per_mtok: 0.05, output_per_mtok: "0.1", reasoning_per_mtok: 1.5e-7 } }""");

    Price price = parse(yaml).models().get("fast-local").price();

    assertThat(price.base().inputNanosPerMTok()).isEqualTo(50_000_000L);
    assertThat(price.base().cachedInputNanosPerMTok()).isEqualTo(50_000_000L);
    assertThat(price.base().cacheWriteNanosPerMTok()).isEqualTo(50_000_000L);
    assertThat(price.base().outputNanosPerMTok()).isEqualTo(100_000_000L);
    assertThat(price.base().reasoningNanosPerMTok()).isEqualTo(150L);
    assertThat(price.source()).isEqualTo("config");
  }

  @Test
  void durationsTakeAUnitOrBareMilliseconds() {
    GatewayConfig config = parse("server: { connect_timeout: 250ms, request_timeout: 2m, idle_timeout: 1500 }\n"
        + "ledger: { flush_interval: 1h }\n");

    assertThat(config.server().connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.ledger().flushInterval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void emptyFileGetsDefaultsForNothingButIsRefused() {
    assertThatThrownBy(() -> parse("")).isInstanceOf(ConfigException.class).hasMessageContaining("the file is empty");
  }

  @Test
  void minimalFileTakesTheDocumentedDefaults() {
    GatewayConfig config = parse("org: { name: acme }\n");

    assertThat(config.server()).isEqualTo(ServerConfig.defaults());
    assertThat(config.storage()).isEqualTo("sqlite:/etc/tollgate/data/tollgate.db");
    assertThat(config.counters()).isEqualTo("memory");
    assertThat(config.admin().token()).isNull();
    assertThat(config.org()).isEqualTo(new OrgConfig("acme", ZoneId.of("UTC")));
    assertThat(config.providers()).isEmpty();
    assertThat(config.keys()).isEmpty();
    assertThat(config.pricing().catalog()).isNull();
    assertThat(config.ledger()).isEqualTo(LedgerConfig.defaults().withSpoolDir(Path.of("/etc/tollgate/data/spool")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      next to the SQLite file  | storage: sqlite:db/t.db                  |                          | /etc/tollgate/db/spool
      PostgreSQL               | storage: postgresql://u@db.internal/tg   |                          | /etc/tollgate/data/spool
      relative spool_dir       | storage: postgresql://u@db.internal/tg   | , spool_dir: var/spool   | /etc/tollgate/var/spool
      absolute spool_dir       | storage: sqlite:db/t.db                  | , spool_dir: /srv/spool  | /srv/spool
      """)
  void strictLedgerWithItsSpoolWhereTheStorageIs(String name, String storage, String spool, String expected) {
    GatewayConfig config = parse(storage + "\nledger: { durability: strict, commit_timeout: 250ms"
        + (spool == null ? "" : spool) + " }\n");

    assertThat(config.ledger()).isEqualTo(new LedgerConfig("strict", 500, Duration.ofMillis(200), 100_000,
        Duration.ofMillis(250), Path.of(expected)));
    assertThat(config.ledger().strict()).isTrue();
  }

  @Test
  void mapsKeepFileOrderAndCannotBeModified() {
    GatewayConfig config = parse(BASE);

    assertThat(config.providers().keySet()).containsExactly("openai", "local", "sim");
    assertThatThrownBy(() -> config.providers().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.models().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void storageAndCatalogPathsResolveAgainstTheConfigDirectory(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("prices.yaml"), "# prices\n");
    Path file = dir.resolve("conf.yaml");
    Files.writeString(file, "storage: sqlite:db/gw.db\npricing: { catalog: prices.yaml }\n");

    GatewayConfig config = ConfigLoader.load(file, NO_ENV);

    Path base = dir.toAbsolutePath().normalize();
    assertThat(config.storage()).isEqualTo("sqlite:" + base.resolve("db/gw.db"));
    assertThat(config.pricing().catalog()).isEqualTo(base.resolve("prices.yaml"));
  }

  @Test
  void postgresAndRedisUrlsPassThrough() {
    GatewayConfig config = parse("storage: postgresql://app:pw@db:5432/tollgate\ncounters: redis://127.0.0.1:6379\n");

    assertThat(config.storage()).isEqualTo("postgresql://app:pw@db:5432/tollgate");
    assertThat(config.counters()).isEqualTo("redis://127.0.0.1:6379");
  }

  @Test
  void missingFileIsOneError(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(file, NO_ENV)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": file not found");
  }

  // ---- which file

  @Test
  void commandLineArgumentWinsThenTollgateConfigThenTheDefault() {
    Map<String, String> env = Map.of("TOLLGATE_CONFIG", "/etc/tollgate/gw.yaml");

    assertThat(ConfigLoader.resolvePath("mine.yaml", env::get)).isEqualTo(Path.of("mine.yaml"));
    assertThat(ConfigLoader.resolvePath(null, env::get)).isEqualTo(Path.of("/etc/tollgate/gw.yaml"));
    assertThat(ConfigLoader.resolvePath(null, NO_ENV)).isEqualTo(Path.of("tollgate.yaml"));
  }

  @Test
  void budgetsComeFromEveryPlaceTheyCanBeWrittenEachWithItsScope() {
    GatewayConfig c = parse("""
        org:
          budgets: [ { window: month, usd: 50000 } ]
        teams:
          support:
            budgets: [ { window: minute, requests: 600 } ]
            salary_budget: { headcount: 12, annual_salary_usd: 85000, share: 0.03, since: 2026-11-01, warn_at: [0.8] }
        budgets:
          - { scope: "user:*", window: day, usd: 5, on_exceed: notify }
          - { scope: "workflow:triage", window: custom, start: 2026-10-01T00:00:00Z, end: 2027-01-01T00:00:00Z, tokens: 9000000 }
        """);
    assertThat(c.budgets()).extracting(BudgetConfig::scope, BudgetConfig::window, BudgetConfig::unit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("org", "month", "usd"),
            org.assertj.core.groups.Tuple.tuple("team:support", "minute", "requests"),
            org.assertj.core.groups.Tuple.tuple("team:support", "month", "usd"),
            org.assertj.core.groups.Tuple.tuple("user:*", "day", "usd"),
            org.assertj.core.groups.Tuple.tuple("workflow:triage", "custom", "tokens"));
    BudgetConfig salary = c.budgets().get(2);
    assertThat(salary.limit()).isEqualByComparingTo("2550"); // 12 × 85,000 × 3% / 12
    assertThat(salary.reviewDate()).isEqualTo(java.time.LocalDate.parse("2027-11-01"));
    assertThat(salary.note()).contains("salary template");
    assertThat(c.budgets().get(4).start()).isEqualTo(java.time.Instant.parse("2026-10-01T00:00:00Z"));
  }

  @Test
  void admissionAndExceptionSettingsAreReadWithTheirDefaults() {
    GatewayConfig c = parse("admission: { default_output_tokens: 1000 }\nexceptions: { max_days: 14 }\n");
    assertThat(c.admission()).isEqualTo(new AdmissionConfig(1000, 110));
    assertThat(c.exceptions().maxDays()).isEqualTo(14);
    assertThat(c.exceptions().approvers()).extracting(ExceptionsConfig.Approver::role).containsExactly("team-lead", "finance");
  }
}
