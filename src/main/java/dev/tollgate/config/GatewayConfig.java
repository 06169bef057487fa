package dev.tollgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, immutable. Built once by {@link ConfigLoader} from YAML; a
 * reload builds a new one and swaps it in atomically. Maps keep the order of the file.
 *
 * @param source the file it was read from, or null when built in code (the demo)
 */
public record GatewayConfig(
    Path source,
    ServerConfig server,
    String storage,
    String counters,
    AdminConfig admin,
    OrgConfig org,
    Map<String, ProviderConfig> providers,
    Map<String, ModelConfig> models,
    Map<String, TeamConfig> teams,
    Map<String, WorkloadClassConfig> workloadClasses,
    List<KeyConfig> keys,
    PricingConfig pricing,
    LedgerConfig ledger) {}
