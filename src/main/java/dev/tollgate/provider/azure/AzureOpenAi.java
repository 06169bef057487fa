package dev.tollgate.provider.azure;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter.ProviderRequest;
import dev.tollgate.provider.openai.OpenAiAdapter;
import dev.tollgate.provider.shared.ProviderContext;
import dev.tollgate.provider.shared.UpstreamHttp;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI: the OpenAI wire format, addressed per deployment. A model's {@code upstream} name is
 * the deployment, so a request goes to
 * {@code {base_url}/openai/deployments/{deployment}/chat/completions?api-version={api_version}}
 * with one of the resource's keys in {@code api-key}. Everything else is {@link OpenAiAdapter}'s.
 */
public final class AzureOpenAi implements OpenAiAdapter.Target {

  private final String base;
  private final String apiVersion;

  private AzureOpenAi(ProviderConfig config) {
    String b = UpstreamHttp.trimSlash(config.baseUrl());
    if (b.endsWith("/openai")) b = b.substring(0, b.length() - "/openai".length());
    this.base = b;
    this.apiVersion = URLEncoder.encode(config.setting("api_version"), StandardCharsets.UTF_8);
  }

  public static OpenAiAdapter adapter(Vertx vertx, ProviderConfig config, ServerConfig server) {
    return adapter(vertx, config, server, ProviderContext.SYSTEM);
  }

  public static OpenAiAdapter adapter(Vertx vertx, ProviderConfig config, ServerConfig server, ProviderContext context) {
    return new OpenAiAdapter(vertx, config, server, new AzureOpenAi(config), context);
  }

  @Override
  public String uri(ProviderRequest request) {
    String deployment = URLEncoder.encode(request.upstreamModel(), StandardCharsets.UTF_8).replace("+", "%20");
    return base + "/openai/deployments/" + deployment + request.path() + "?api-version=" + apiVersion;
  }

  @Override
  public void authenticate(Map<String, String> headers, String key) {
    headers.put("api-key", key);
  }
}
