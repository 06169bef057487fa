package dev.tollgate.config;

import java.time.Duration;
import java.util.Map;

/**
 * YAML {@code providers.<name>:}. Keys: type (required), api_key (required for openai), base_url
 * (required for openai-compatible; openai defaults to https://api.openai.com/v1), timeout (overrides
 * server.request_timeout), headers (extra headers sent upstream, e.g. OpenAI-Organization),
 * and for the simulator its settings inline (see {@link SimulatorConfig}).
 *
 * @param settings a vendor's own validated keys by their YAML name, e.g. {@code anthropic_version},
 *     {@code api_version}, {@code region}; empty for the others
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    String apiKey,
    String baseUrl,
    Duration timeout,
    Map<String, String> headers,
    SimulatorConfig simulator,
    Map<String, String> settings) {

  public ProviderConfig {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public ProviderConfig(String name, ProviderType type, String apiKey, String baseUrl, Duration timeout,
      Map<String, String> headers, SimulatorConfig simulator) {
    this(name, type, apiKey, baseUrl, timeout, headers, simulator, Map.of());
  }

  /** A vendor setting, or null when not set. */
  public String setting(String key) {
    return settings.get(key);
  }
}
