package dev.tollgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, immutable. Built once by {@link ConfigLoader} from YAML; a
 * reload builds a new one and swaps it in atomically. Maps keep the order of the file.
 *
 * @param source the file it was read from, or null when built in code (the demo)
 * @param budgets every budget of the file — top-level {@code budgets:}, {@code org.budgets},
 *     {@code teams.<t>.budgets} and salary budgets — each with its scope
 * @param countersOptions how Redis counters behave ({@code counters_options:}); the defaults when absent
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
    LedgerConfig ledger,
    List<BudgetConfig> budgets,
    ClassificationConfig classification,
    CountersConfig countersOptions,
    ExceptionsConfig exceptions,
    AdmissionConfig admission,
    AlertsConfig alerts,
    ObservabilityConfig observability,
    List<dev.tollgate.domain.contract.Contract> contracts) {

  public GatewayConfig {
    if (observability == null) observability = ObservabilityConfig.defaults();
    contracts = contracts == null ? List.of() : List.copyOf(contracts);
    if (countersOptions == null) countersOptions = CountersConfig.defaults();
    if (exceptions == null) exceptions = ExceptionsConfig.defaults();
    if (admission == null) admission = AdmissionConfig.defaults();
    if (alerts == null) alerts = AlertsConfig.defaults();
  }

  /** A config with the default {@code counters_options} and {@code exceptions}. */
  public GatewayConfig(Path source, ServerConfig server, String storage, String counters, AdminConfig admin, OrgConfig org,
      Map<String, ProviderConfig> providers, Map<String, ModelConfig> models, Map<String, TeamConfig> teams,
      Map<String, WorkloadClassConfig> workloadClasses, List<KeyConfig> keys, PricingConfig pricing, LedgerConfig ledger,
      List<BudgetConfig> budgets, ClassificationConfig classification) {
    this(source, server, storage, counters, admin, org, providers, models, teams, workloadClasses, keys, pricing, ledger,
        budgets, classification, CountersConfig.defaults(), ExceptionsConfig.defaults(), AdmissionConfig.defaults(),
        AlertsConfig.defaults(), ObservabilityConfig.defaults(), List.of());
  }

  /** The same config listening elsewhere (tests and the demo use port 0: any free port). */
  public GatewayConfig withServer(ServerConfig other) {
    return new GatewayConfig(source, other, storage, counters, admin, org, providers, models, teams, workloadClasses, keys,
        pricing, ledger, budgets, classification, countersOptions, exceptions, admission, alerts, observability, contracts);
  }
}
