package dev.tollgate.app;

import dev.tollgate.config.ClassificationConfig;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.WorkloadClassConfig;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.policy.ClassRule;
import dev.tollgate.domain.policy.Classifier;
import dev.tollgate.domain.policy.PiiAction;
import dev.tollgate.domain.policy.WorkloadClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workload classes and classification rules of a config, as the domain's {@link Classifier}. */
final class PolicyFromConfig {

  private PolicyFromConfig() {}

  static Classifier of(GatewayConfig config) {
    return of(config, List.of());
  }

  /**
   * The config's classes and rules plus classes made through the admin API. A class of the file
   * wins over an API class of the same name (the API refuses to make one, but a later file may add it).
   */
  static Classifier of(GatewayConfig config, List<WorkloadClassConfig> fromApi) {
    Map<String, WorkloadClass> classes = new LinkedHashMap<>();
    for (WorkloadClassConfig c : config.workloadClasses().values()) classes.put(c.name(), workloadClass(c));
    for (WorkloadClassConfig c : fromApi) classes.putIfAbsent(c.name(), workloadClass(c));
    ClassificationConfig cc = config.classification() == null ? ClassificationConfig.none() : config.classification();
    List<ClassRule> rules = new ArrayList<>();
    for (ClassificationConfig.Rule r : cc.rules()) rules.add(new ClassRule(r.when(), r.className()));
    return new Classifier(classes, rules, cc.defaultClass());
  }

  static WorkloadClass workloadClass(WorkloadClassConfig c) {
    return new WorkloadClass(c.name(), c.allow(), c.block(), c.prefer(), c.fallback(), PiiAction.fromWire(c.pii()),
        c.maxCostUsd() == null ? null : Money.ofUsd(c.maxCostUsd()), c.latencyTarget(), c.sensitivity(), c.exceptionTiers(),
        dev.tollgate.domain.policy.OutputAction.fromWire(c.outputGuard()), c.cacheTtlSeconds(), c.cache(), c.promptLogging());
  }
}
