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

  private static final List<String> HTTP_KEYS = List.of("type", "api_key", "base_url", "timeout", "headers");
  private static final List<String> SIMULATOR_KEYS =
      List.of("type", "timeout", "latency", "ttft", "tokens_per_second", "output_tokens", "error_rate", "seed");
  /** Provider types users know from other gateways, which this build has no adapter for. */
  private static final Set<String> NOT_IN_THIS_BUILD = Set.of("anthropic", "gemini", "google", "vertex", "vertex_ai",
      "vertex-ai", "azure", "azure-openai", "azure_openai", "bedrock", "aws-bedrock", "mistral", "cohere", "groq",
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
    List<String> allowed = type == null ? union(HTTP_KEYS, SIMULATOR_KEYS)
        : type == ProviderType.SIMULATOR ? SIMULATOR_KEYS : HTTP_KEYS;
    Section s = Section.of(ctx, path, body, allowed);
    Duration timeout = s.duration("timeout", false, null);
    if (type == ProviderType.SIMULATOR) {
      return new ProviderConfig(name, type, null, null, timeout, Map.of(), simulator(s));
    }
    String apiKey = type == ProviderType.OPENAI
        ? s.requiredText("api_key", "the openai provider needs an API key, e.g. api_key: ${OPENAI_API_KEY}")
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
    if (NOT_IN_THIS_BUILD.contains(wire.toLowerCase(Locale.ROOT))) {
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

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    b.stream().filter(k -> !out.contains(k)).forEach(out::add);
    return out;
  }
}
