package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.domain.resilience.BreakerPolicy;
import dev.tollgate.domain.resilience.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A provider's keys, timeouts, retries and breaker: read as documented, refused with the key path and the reason. */
class ProviderCallSettingsTest {

  private static final Map<String, String> ENV = Map.of("K1", "sk-first-secret", "K2", "sk-second-secret");

  private static GatewayConfig parse(String provider) {
    String yaml = "providers:\n  p: " + provider + "\nmodels:\n  m: { provider: p, price: { input_per_mtok: 1, output_per_mtok: 1 } }\n";
    return ConfigLoader.parse(yaml, "tollgate.yaml", ENV::get, Path.of("/etc/tollgate"));
  }

  private static ConfigError onlyError(String provider) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(provider));
    assertThat(e).as("the config should be refused").isNotNull();
    assertThat(e.errors()).hasSize(1);
    return e.errors().get(0);
  }

  @Test
  void severalKeysAreReadWithWeightsAndNamesAndTheFirstIsStillTheApiKey() {
    ProviderConfig p = parse("{ type: openai, api_keys: [ { key: '${K1}', weight: 3, name: primary }, '${K2}' ] }").providers().get("p");
    assertThat(p.credentials()).extracting(ApiCredential::label).containsExactly("primary", "key-2");
    assertThat(p.credentials()).extracting(ApiCredential::weight).containsExactly(3, 1);
    assertThat(p.apiKey()).isEqualTo("sk-first-secret");
    assertThat(p.toString()).as("a config printed in a log shows no key").doesNotContain("secret");
  }

  @Test
  void aSingleApiKeyStillWorksAsOneCredential() {
    ProviderConfig p = parse("{ type: anthropic, api_key: '${K1}' }").providers().get("p");
    assertThat(p.credentials()).singleElement().satisfies(c -> {
      assertThat(c.key()).isEqualTo("sk-first-secret");
      assertThat(c.label()).isEqualTo("key-1");
    });
    assertThat(p.retries()).isEqualTo(RetryPolicy.NONE);
    assertThat(p.breaker()).as("no breaker unless configured").isNull();
  }

  @Test
  void timeoutsRetriesAndBreakerAreReadWithTheirDefaults() {
    ProviderConfig p = parse("{ type: openai-compatible, base_url: 'http://127.0.0.1:9/v1', timeouts: { connect: 2s, first_byte: 30s,"
        + " idle: 10s, total: 5m }, retries: { max: 3 }, circuit_breaker: { failures: 4 } }").providers().get("p");
    assertThat(p.timeouts()).isEqualTo(new UpstreamTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofMinutes(5)));
    assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.retries()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30)));
    assertThat(p.breaker()).isEqualTo(new BreakerPolicy(4, Duration.ofSeconds(30), 1));
  }

  @Test
  void theOlderTimeoutKeyIsTheTotal() {
    ProviderConfig p = parse("{ type: openai-compatible, base_url: 'http://127.0.0.1:9/v1', timeout: 300ms }").providers().get("p");
    assertThat(p.timeouts().total()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void bedrockTakesTimeoutsRetriesAndABreakerButNoApiKeys() {
    ProviderConfig p = parse("{ type: bedrock, region: us-east-1, retries: { max: 1 }, circuit_breaker: {} }").providers().get("p");
    assertThat(p.retries().max()).isEqualTo(1);
    assertThat(p.breaker()).isNotNull();
    assertThat(onlyError("{ type: bedrock, region: us-east-1, api_keys: [ x ] }").keyPath()).isEqualTo("providers.p.api_keys");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      { type: openai, api_key: a, api_keys: [ b ] }                                  | providers.p.api_key               | give either api_key or api_keys, not both
      { type: openai, api_keys: [] }                                                 | providers.p.api_keys              | must list at least one key
      { type: openai, api_keys: a }                                                  | providers.p.api_keys              | must be a list
      { type: openai, api_keys: [ { weight: 2 } ] }                                  | providers.p.api_keys[0].key       | is required
      { type: openai, api_keys: [ { key: a, weight: 0 } ] }                          | providers.p.api_keys[0].weight    | must be a whole number
      { type: openai, api_keys: [ { key: a, wieght: 2 } ] }                          | providers.p.api_keys[0].wieght    | did you mean 'weight'
      { type: openai, api_keys: [ { key: a, name: x }, { key: b, name: x } ] }       | providers.p.api_keys[1].name      | names another key
      { type: openai, api_keys: [ { key: a, name: 'has space' } ] }                  | providers.p.api_keys[0].name      | must be 1 to 64 letters
      { type: openai, api_keys: [ '${MISSING:-}' ] }                                 | providers.p.api_keys[0]           | empty after substituting
      { type: openai, api_key: a, credential_cooldown: 0s }                          | providers.p.credential_cooldown   | must be longer than zero
      { type: openai, api_key: a, timeout: 5s, timeouts: { total: 5s } }             | providers.p.timeout               | give either timeout or timeouts.total
      { type: openai, api_key: a, timeouts: { first_byte: 90s, total: 60s } }        | providers.p.timeouts.first_byte   | (90s) must not be longer than the total timeout (60s)
      { type: openai, api_key: a, timeouts: { connect: 10s, first_byte: 5s } }       | providers.p.timeouts.connect      | must not be longer than timeouts.first_byte
      { type: openai, api_key: a, timeouts: { idle: soon } }                         | providers.p.timeouts.idle         | must be a duration such as
      { type: openai, api_key: a, timeouts: { read: 5s } }                           | providers.p.timeouts.read         | allowed: connect, first_byte, idle, total
      { type: openai, api_key: a, retries: { max: 11 } }                             | providers.p.retries.max           | must be a whole number
      { type: openai, api_key: a, retries: { backoff: 2s, max_backoff: 1s } }        | providers.p.retries.max_backoff   | (1s) must not be shorter than backoff (2s)
      { type: openai, api_key: a, retries: { base_ms: 200 } }                        | providers.p.retries.base_ms       | allowed: max, backoff, max_backoff, max_retry_after
      { type: openai, api_key: a, circuit_breaker: { failures: 0 } }                 | providers.p.circuit_breaker.failures | must be a whole number
      { type: openai, api_key: a, circuit_breaker: { open_for: 0s } }                | providers.p.circuit_breaker.open_for | must be longer than zero
      { type: simulator, api_keys: [ a ] }                                           | providers.p.api_keys              | unknown key 'api_keys'
      """)
  void aBadSettingIsRefusedWithItsKeyPathAndTheReason(String provider, String keyPath, String message) {
    ConfigError error = onlyError(provider);
    assertThat(error.keyPath()).isEqualTo(keyPath);
    assertThat(error.message()).contains(message);
  }
}
