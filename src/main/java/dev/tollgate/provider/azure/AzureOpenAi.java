package dev.tollgate.provider.azure;

import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter.ProviderRequest;
import dev.tollgate.provider.openai.OpenAiAdapter;
import dev.tollgate.provider.openai.OpenAiPaths;
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
 * with one of the resource's keys in {@code api-key}; embeddings likewise at {@code …/{deployment}/embeddings}.
 * The Responses API is on Azure's v1 surface, {@code {base_url}/openai/v1/responses}, with the
 * deployment as the body's {@code model} (which routing has already set). Everything else is
 * {@link OpenAiAdapter}'s.
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
    // The Responses API lives on Azure's v1 surface: one path for the resource, the deployment named as the body's model.
    if (OpenAiPaths.RESPONSES.equals(request.path())) return base + "/openai/v1/responses";
    String deployment = URLEncoder.encode(request.upstreamModel(), StandardCharsets.UTF_8).replace("+", "%20");
    return base + "/openai/deployments/" + deployment + request.path() + "?api-version=" + apiVersion;
  }

  @Override
  public void authenticate(Map<String, String> headers, String key) {
    headers.put("api-key", key);
  }
}
