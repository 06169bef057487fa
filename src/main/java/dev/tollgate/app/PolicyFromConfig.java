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
    Map<String, WorkloadClass> classes = new LinkedHashMap<>();
    for (WorkloadClassConfig c : config.workloadClasses().values()) classes.put(c.name(), workloadClass(c));
    ClassificationConfig cc = config.classification() == null ? ClassificationConfig.none() : config.classification();
    List<ClassRule> rules = new ArrayList<>();
    for (ClassificationConfig.Rule r : cc.rules()) rules.add(new ClassRule(r.when(), r.className()));
    return new Classifier(classes, rules, cc.defaultClass());
  }

  static WorkloadClass workloadClass(WorkloadClassConfig c) {
    return new WorkloadClass(c.name(), c.allow(), c.block(), c.prefer(), c.fallback(), PiiAction.fromWire(c.pii()),
        c.maxCostUsd() == null ? null : Money.ofUsd(c.maxCostUsd()), c.latencyTarget(), c.sensitivity(), c.exceptionTiers(),
        c.outputGuard(), c.cacheTtlSeconds(), c.cache());
  }
}
