package dev.tollgate.config;

import dev.tollgate.domain.resilience.BreakerPolicy;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.domain.resilience.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * YAML {@code providers.<name>:}. Keys: type (required), api_key or api_keys (required for openai,
 * anthropic, azure-openai, gemini), base_url (required for openai-compatible; openai defaults to
 * https://api.openai.com/v1), timeout (the whole call; overrides server.request_timeout), timeouts
 * (connect, first_byte, idle, total), retries, circuit_breaker, credential_cooldown, headers (extra
 * headers sent upstream, e.g. OpenAI-Organization), and for the simulator its settings inline (see
 * {@link SimulatorConfig}). See docs/providers.md.
 *
 * @param apiKey the first credential's key (null when the provider has none)
 * @param timeout the whole call's limit ({@code timeout} or {@code timeouts.total}), null for the server's
 * @param settings a vendor's own validated keys by their YAML name, e.g. {@code anthropic_version},
 *     {@code api_version}, {@code region}; empty for the others
 * @param credentials the API keys used in turn, by weight; empty when the provider takes none
 * @param credentialCooldown how long a key that got 401/403, or 429 without {@code Retry-After}, is skipped
 * @param breaker null when the provider's deployments have no circuit breaker
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    String apiKey,
    String baseUrl,
    Duration timeout,
    Map<String, String> headers,
    SimulatorConfig simulator,
    Map<String, String> settings,
    List<ApiCredential> credentials,
    Duration credentialCooldown,
    UpstreamTimeouts timeouts,
    RetryPolicy retries,
    BreakerPolicy breaker) {

  public static final Duration DEFAULT_CREDENTIAL_COOLDOWN = Duration.ofSeconds(60);

  public ProviderConfig {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    if (credentials == null || credentials.isEmpty()) {
      credentials = apiKey == null || apiKey.isBlank() ? List.of() : List.of(new ApiCredential(null, 0, apiKey, 1));
    } else {
      credentials = List.copyOf(credentials);
    }
    if (apiKey == null && !credentials.isEmpty()) apiKey = credentials.get(0).key();
    if (credentialCooldown == null) credentialCooldown = DEFAULT_CREDENTIAL_COOLDOWN;
    if (timeouts == null) timeouts = new UpstreamTimeouts(null, null, null, timeout);
    if (timeout == null) timeout = timeouts.total();
    if (retries == null) retries = RetryPolicy.NONE;
  }

  public ProviderConfig(String name, ProviderType type, String apiKey, String baseUrl, Duration timeout,
      Map<String, String> headers, SimulatorConfig simulator, Map<String, String> settings) {
    this(name, type, apiKey, baseUrl, timeout, headers, simulator, settings, List.of(), null, null, null, null);
  }

  public ProviderConfig(String name, ProviderType type, String apiKey, String baseUrl, Duration timeout,
      Map<String, String> headers, SimulatorConfig simulator) {
    this(name, type, apiKey, baseUrl, timeout, headers, simulator, Map.of());
  }

  /** A vendor setting, or null when not set. */
  public String setting(String key) {
    return settings.get(key);
  }

  /** Retries and breaker for the call path; {@code serverTotal} is the deadline when the provider sets none. */
  public CallPolicy callPolicy(Duration serverTotal) {
    return new CallPolicy(retries, breaker, timeout != null ? timeout : serverTotal);
  }

  @Override
  public String toString() {
    return "ProviderConfig[" + name + ", type=" + (type == null ? null : type.wire()) + ", base_url=" + baseUrl
        + ", credentials=" + credentials + "]";
  }
}
