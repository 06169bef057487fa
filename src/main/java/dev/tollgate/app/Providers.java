package dev.tollgate.app;

import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.provider.anthropic.AnthropicAdapter;
import dev.tollgate.provider.azure.AzureOpenAi;
import dev.tollgate.provider.bedrock.BedrockAdapter;
import dev.tollgate.provider.gemini.GeminiAdapter;
import dev.tollgate.provider.openai.OpenAiAdapter;
import dev.tollgate.provider.shared.ProviderContext;
import dev.tollgate.provider.simulator.SimulatorAdapter;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider adapters of the running config. On reload an adapter whose settings did not change
 * is kept (with its warm connection pool); the others are made anew. Nothing is closed until the
 * caller commits the change, so a refused config can be rolled back untouched.
 */
final class Providers {

  private final Vertx vertx;
  private final TokenCounter tokens;
  private Map<String, ProviderConfig> configs = Map.of();
  private ServerConfig server;
  private Map<String, ProviderAdapter> adapters = Map.of();

  private final ProviderContext context;

  Providers(Vertx vertx, TokenCounter tokens, ProviderContext context) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.context = context;
  }

  /** A prepared change: the adapters for a new config, and what it would make obsolete. */
  record Change(Map<String, ProviderAdapter> adapters, List<ProviderAdapter> created, List<ProviderAdapter> replaced,
      Map<String, ProviderConfig> configs, ServerConfig server) {}

  synchronized Change prepare(GatewayConfig config) {
    Map<String, ProviderAdapter> next = new LinkedHashMap<>();
    List<ProviderAdapter> created = new ArrayList<>();
    boolean serverSame = config.server().equals(server);
    for (ProviderConfig p : config.providers().values()) {
      ProviderAdapter existing = adapters.get(p.name());
      if (existing != null && serverSame && p.equals(configs.get(p.name()))) {
        next.put(p.name(), existing);
      } else {
        ProviderAdapter made = create(p, config.server());
        created.add(made);
        next.put(p.name(), made);
      }
    }
    List<ProviderAdapter> replaced = adapters.values().stream().filter(a -> !next.containsValue(a)).toList();
    return new Change(next, created, replaced, Map.copyOf(config.providers()), config.server());
  }

  synchronized void commit(Change change) {
    adapters = change.adapters();
    configs = change.configs();
    server = change.server();
  }

  void discard(Change change) {
    change.created().forEach(ProviderAdapter::close);
  }

  private ProviderAdapter create(ProviderConfig p, ServerConfig server) {
    return switch (p.type()) {
      case OPENAI, OPENAI_COMPATIBLE -> OpenAiAdapter.bearer(vertx, p, server, context);
      case ANTHROPIC -> new AnthropicAdapter(vertx, p, server, tokens, Providers::outputLimit, java.time.Clock.systemUTC(), context);
      case AZURE_OPENAI -> AzureOpenAi.adapter(vertx, p, server, context);
      case GEMINI -> new GeminiAdapter(vertx, p, server, java.time.Clock.systemUTC(), context);
      case BEDROCK -> new BedrockAdapter(vertx, p, server, tokens, java.time.Clock.systemUTC());
      case SIMULATOR -> new SimulatorAdapter(vertx, p, tokens);
    };
  }

  /** A model's output limit from the bundled catalog, or null when it does not say. */
  private static Integer outputLimit(String model) {
    return BundledCatalog.load().find(model).map(CatalogEntry::maxOutputTokens).orElse(null);
  }

  synchronized void closeAll() {
    adapters.values().forEach(ProviderAdapter::close);
  }
}
