package dev.tollgate.domain.policy;

import java.util.List;
import java.util.Map;

/**
 * Gives each request its workload class, and says why: a class named by the caller's header or the
 * key wins; otherwise the first matching rule; otherwise the org default; otherwise none (no class
 * policy applies).
 */
public final class Classifier {

  public static final Classifier NONE = new Classifier(Map.of(), List.of(), null);

  private final Map<String, WorkloadClass> classes;
  private final List<ClassRule> rules;
  private final String defaultClass;

  public Classifier(Map<String, WorkloadClass> classes, List<ClassRule> rules, String defaultClass) {
    this.classes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classes)); // file order
    this.rules = List.copyOf(rules);
    this.defaultClass = defaultClass;
  }

  /** The outcome: the class (null for none) and the reason, e.g. {@code header}, {@code rule:2}, {@code org_default}. */
  public record Classification(WorkloadClass workloadClass, String reason) {}

  /**
   * @param named the class the request or its key named (null if none)
   * @param namedBy {@code header} or {@code key}
   * @return null if {@code named} is not a declared class
   */
  public Classification classify(RequestFacts facts, String named, String namedBy) {
    if (named != null) {
      WorkloadClass c = classes.get(named);
      return c == null ? null : new Classification(c, namedBy);
    }
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(facts)) return new Classification(classes.get(rules.get(i).className()), "rule:" + (i + 1));
    }
    if (defaultClass != null) return new Classification(classes.get(defaultClass), "org_default");
    return new Classification(null, "none");
  }

  public Map<String, WorkloadClass> classes() {
    return classes;
  }

  public List<ClassRule> rules() {
    return rules;
  }

  public String defaultClass() {
    return defaultClass;
  }
}
