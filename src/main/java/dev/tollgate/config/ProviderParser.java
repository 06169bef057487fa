package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code providers:} into {@link ProviderConfig}s. */
final class ProviderParser {

  static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
  static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com";
  static final String ANTHROPIC_VERSION = "2023-06-01";
  static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

  /** Keys every network provider takes: timeouts, retries, its breaker. */
  private static final List<String> CALL_KEYS = List.of("timeout", "timeouts", "retries", "circuit_breaker");
  /** Keys of providers that take API keys. */
  private static final List<String> KEY_KEYS = List.of("api_key", "api_keys", "credential_cooldown");
  private static final List<String> HTTP_KEYS = keys(List.of("type", "base_url", "headers"), KEY_KEYS, CALL_KEYS);
  private static final List<String> ANTHROPIC_KEYS = keys(List.of("type", "base_url", "anthropic_version", "headers"), KEY_KEYS, CALL_KEYS);
  private static final List<String> AZURE_KEYS = keys(List.of("type", "base_url", "api_version", "headers"), KEY_KEYS, CALL_KEYS);
  private static final List<String> BEDROCK_KEYS = keys(List.of("type", "region", "access_key_id", "secret_access_key",
      "session_token", "base_url", "headers"), CALL_KEYS);
  /** Names other gateways use for the types this build has under another name. */
  private static final Map<String, String> ALIASES = Map.of("azure", "azure-openai", "azure_openai", "azure-openai",
      "google", "gemini", "google-ai-studio", "gemini", "aws-bedrock", "bedrock", "aws_bedrock", "bedrock", "claude", "anthropic");
  private static final List<String> SIMULATOR_KEYS = List.of("type", "timeout", "latency", "ttft", "tokens_per_second",
      "output_tokens", "error_rate", "seed", "retries", "circuit_breaker");
  /** Provider types users know from other gateways, which this build has no adapter for. */
  private static final Set<String> NOT_IN_THIS_BUILD = Set.of("vertex", "vertex_ai",
      "vertex-ai", "mistral", "cohere", "groq",
      "ollama", "deepseek", "together", "fireworks", "openrouter", "xai", "perplexity");

  private ProviderParser() {}

  static Map<String, ProviderConfig> parse(ParseContext ctx, JsonNode providers) {
    Map<String, ProviderConfig> out = new LinkedHashMap<>();
    ctx.entries("providers", providers).forEach((name, body) -> out.put(name, provider(ctx, name, body)));
    return Collections.unmodifiableMap(out);
  }

  private static ProviderConfig provider(ParseContext ctx, String name, JsonNode body) {
    String path = "providers." + name;
    if (!ParseContext.absent(body) && !body.isObject()) {
      Section.of(ctx, path, body, HTTP_KEYS); // reports the wrong kind
      return new ProviderConfig(name, null, null, null, null, Map.of(), null);
    }
    ProviderType type = type(ctx, path, body == null ? null : body.get("type"));
    List<String> allowed = type == null ? union(union(union(HTTP_KEYS, SIMULATOR_KEYS), union(ANTHROPIC_KEYS, AZURE_KEYS)), BEDROCK_KEYS)
        : switch (type) {
          case SIMULATOR -> SIMULATOR_KEYS;
          case ANTHROPIC -> ANTHROPIC_KEYS;
          case AZURE_OPENAI -> AZURE_KEYS;
          case BEDROCK -> BEDROCK_KEYS;
          default -> HTTP_KEYS;
        };
    Section s = Section.of(ctx, path, body, allowed);
    ProviderConfig base = type == ProviderType.SIMULATOR ? new ProviderConfig(name, type, null, null, s.duration("timeout", false, null),
        Map.of(), simulator(s)) : withCalls(s, http(ctx, name, type, s));
    if (type == ProviderType.SIMULATOR) {
      return new ProviderConfig(name, type, null, null, base.timeout(), Map.of(), base.simulator(), Map.of(), List.of(), null,
          null, CallSettings.retries(s), CallSettings.breaker(s));
    }
    return base;
  }

  /** Adds a network provider's keys, timeouts, retries and breaker to what {@link #http} read. */
  private static ProviderConfig withCalls(Section s, ProviderConfig p) {
    List<ApiCredential> credentials = p.credentials();
    Duration cooldown = null;
    if (p.type() != ProviderType.BEDROCK && p.type() != null) {
      List<ApiCredential> listed = CallSettings.credentials(s);
      if (listed != null) credentials = listed;
      cooldown = s.duration("credential_cooldown", false, null);
    }
    UpstreamTimeouts timeouts = CallSettings.timeouts(s);
    return new ProviderConfig(p.name(), p.type(), null, p.baseUrl(), timeouts.total(), p.headers(), null, p.settings(),
        credentials, cooldown, timeouts, CallSettings.retries(s), CallSettings.breaker(s));
  }

  private static ProviderConfig http(ParseContext ctx, String name, ProviderType type, Section s) {
    Duration timeout = null;
    if (type == ProviderType.ANTHROPIC || type == ProviderType.AZURE_OPENAI || type == ProviderType.GEMINI) {
      return vendor(ctx, name, type, s, timeout);
    }
    if (type == ProviderType.BEDROCK) return bedrock(ctx, name, s, timeout);
    String apiKey = type == ProviderType.OPENAI
        ? CallSettings.requiredKey(s, "the openai provider needs an API key, e.g. api_key: ${OPENAI_API_KEY}")
        : s.text("api_key");
    String baseUrl;
    if (type == ProviderType.OPENAI_COMPATIBLE) {
      baseUrl = s.requiredText("base_url", "an openai-compatible provider needs the server's URL, e.g. http://127.0.0.1:8000/v1");
    } else {
      baseUrl = s.text("base_url", type == ProviderType.OPENAI ? OPENAI_BASE_URL : null);
    }
    if (baseUrl != null) baseUrl = httpUrl(ctx, s.path("base_url"), baseUrl);
    Map<String, String> headers = s.textMap("headers");
    return new ProviderConfig(name, type, apiKey, baseUrl, timeout, headers == null ? Map.of() : headers, null);
  }

  /** Anthropic, Azure OpenAI and Gemini: an API key always, a base URL where there is no public default. */
  private static ProviderConfig vendor(ParseContext ctx, String name, ProviderType type, Section s, Duration timeout) {
    Map<String, String> settings = new LinkedHashMap<>();
    String apiKey;
    String baseUrl;
    switch (type) {
      case ANTHROPIC -> {
        apiKey = CallSettings.requiredKey(s, "the anthropic provider needs an API key, e.g. api_key: ${ANTHROPIC_API_KEY}");
        baseUrl = s.text("base_url", ANTHROPIC_BASE_URL);
        String version = s.text("anthropic_version", ANTHROPIC_VERSION);
        if (version != null) settings.put("anthropic_version", version);
      }
      case AZURE_OPENAI -> {
        apiKey = CallSettings.requiredKey(s, "the azure-openai provider needs the resource's key, e.g. api_key: ${AZURE_OPENAI_API_KEY}");
        baseUrl = s.requiredText("base_url", "an azure-openai provider needs the resource endpoint, e.g. https://my-resource.openai.azure.com");
        String version = s.requiredText("api_version", "Azure OpenAI needs the API version to call, e.g. api_version: 2024-10-21");
        if (version != null) settings.put("api_version", version);
      }
      default -> {
        apiKey = CallSettings.requiredKey(s, "the gemini provider needs a Google AI Studio key, e.g. api_key: ${GEMINI_API_KEY}");
        baseUrl = s.text("base_url", GEMINI_BASE_URL);
      }
    }
    if (baseUrl != null) baseUrl = httpUrl(ctx, s.path("base_url"), baseUrl);
    Map<String, String> headers = s.textMap("headers");
    return new ProviderConfig(name, type, apiKey, baseUrl, timeout, headers == null ? Map.of() : headers, null, settings);
  }

  /**
   * AWS Bedrock: a region, and either a key pair (with an optional session token) or nothing, in which
   * case the AWS SDK's default credential chain (environment, profile, instance role) is asked.
   */
  private static ProviderConfig bedrock(ParseContext ctx, String name, Section s, Duration timeout) {
    Map<String, String> settings = new LinkedHashMap<>();
    String region = s.requiredText("region", "Bedrock needs the AWS region of the models, e.g. region: us-east-1");
    if (region != null) {
      if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
        s.error("region", "must be an AWS region name such as us-east-1; got " + ParseContext.show(s.path("region"), region));
      }
      settings.put("region", region);
    }
    String accessKey = s.text("access_key_id");
    String secret = s.text("secret_access_key");
    String session = s.text("session_token");
    if ((accessKey == null) != (secret == null)) {
      s.error(accessKey == null ? "access_key_id" : "secret_access_key",
          "access_key_id and secret_access_key go together; give both, or neither to use the AWS default credentials");
    }
    if (session != null && accessKey == null) {
      s.error("session_token", "a session_token needs access_key_id and secret_access_key");
    }
    if (accessKey != null) settings.put("access_key_id", accessKey);
    if (secret != null) settings.put("secret_access_key", secret);
    if (session != null) settings.put("session_token", session);
    String baseUrl = s.text("base_url", region == null ? null : "https://bedrock-runtime." + region + ".amazonaws.com");
    if (baseUrl != null) baseUrl = httpUrl(ctx, s.path("base_url"), baseUrl);
    Map<String, String> headers = s.textMap("headers");
    return new ProviderConfig(name, ProviderType.BEDROCK, null, baseUrl, timeout, headers == null ? Map.of() : headers, null, settings);
  }

  private static ProviderType type(ParseContext ctx, String path, JsonNode node) {
    String typePath = path + ".type";
    String available = String.join(", ", ProviderType.wireNames());
    int before = ctx.errorCount();
    String wire = ctx.text(typePath, node);
    if (wire == null) {
      if (ctx.errorCount() == before) ctx.error(typePath, "is required; available: " + available);
      return null;
    }
    ProviderType type = ProviderType.fromWire(wire);
    if (type != null) return type;
    String alias = ALIASES.get(wire.toLowerCase(Locale.ROOT));
    if (alias != null) {
      ctx.error(typePath, "unknown provider type '" + wire + "' (did you mean '" + alias + "'?); available: " + available);
    } else if (NOT_IN_THIS_BUILD.contains(wire.toLowerCase(Locale.ROOT))) {
      ctx.error(typePath, "provider type '" + wire + "' is not available in this build; available: " + available);
    } else {
      ctx.error(typePath, "unknown provider type '" + wire + "'; available: " + available);
    }
    return null;
  }

  private static SimulatorConfig simulator(Section s) {
    SimulatorConfig d = SimulatorConfig.defaults();
    Duration latency = s.duration("latency", true, d.latency());
    Duration ttft = s.duration("ttft", true, d.ttft());
    BigDecimal tokensPerSecond = fraction(s, "tokens_per_second", null, BigDecimal.valueOf(d.tokensPerSecond()));
    Long outputTokens = s.whole("output_tokens", 1, 1_000_000, d.outputTokens());
    BigDecimal errorRate = fraction(s, "error_rate", BigDecimal.ONE, BigDecimal.valueOf(d.errorRate()));
    Long seed = s.whole("seed", Long.MIN_VALUE, Long.MAX_VALUE, d.seed());
    if (latency == null || ttft == null || tokensPerSecond == null || outputTokens == null || errorRate == null
        || seed == null) {
      return null;
    }
    return new SimulatorConfig(latency, ttft, tokensPerSecond.doubleValue(), outputTokens.intValue(),
        errorRate.doubleValue(), seed);
  }

  /** A non-negative number, at most {@code max} when given. */
  private static BigDecimal fraction(Section s, String key, BigDecimal max, BigDecimal fallback) {
    if (!s.present(key)) return fallback;
    BigDecimal v = s.decimal(key);
    if (v == null) return null;
    if (v.signum() < 0 || (max != null && v.compareTo(max) > 0)) {
      s.error(key, (max == null ? "must not be negative" : "must be from 0 to " + max.toPlainString())
          + "; got " + v.toPlainString());
      return null;
    }
    return v;
  }

  /** Checks an http(s) URL and drops a trailing slash, so adapters can append paths. */
  static String httpUrl(ParseContext ctx, String path, String value) {
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        String url = value.trim();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    ctx.error(path, "must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000/v1; got "
        + ParseContext.show(path, value));
    return null;
  }

  @SafeVarargs
  private static List<String> keys(List<String>... groups) {
    List<String> out = new ArrayList<>();
    for (List<String> g : groups) out = union(out, g);
    return List.copyOf(out);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    b.stream().filter(k -> !out.contains(k)).forEach(out::add);
    return out;
  }
}
