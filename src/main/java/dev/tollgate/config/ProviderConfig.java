package dev.tollgate.config;

import java.time.Duration;
import java.util.Map;

/**
 * YAML {@code providers.<name>:}. Keys: type (required), api_key (required for openai), base_url
 * (required for openai-compatible; openai defaults to https://api.openai.com/v1), timeout (overrides
 * server.request_timeout), headers (extra headers sent upstream, e.g. OpenAI-Organization),
 * and for the simulator its settings inline (see {@link SimulatorConfig}).
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    String apiKey,
    String baseUrl,
    Duration timeout,
    Map<String, String> headers,
    SimulatorConfig simulator) {}
