package dev.tollgate.pipeline;

import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.domain.key.VirtualKey;
import java.util.Map;
import java.util.Optional;

/**
 * The running configuration as the request path needs it, all in memory. A config reload builds a
 * new state and swaps it in; a request keeps the state it started with, so a reload never changes
 * the rules under a request in flight.
 *
 * @param models model name → route, in config order
 * @param budgets every budget in force, from config and the admin API
 * @param policy workload classes and the rules that classify requests
 * @param exceptions approved exceptions (extra budget, unlocked tiers), active or not yet
 */
public record GatewayState(
    String org, KeyIndex keys, Map<String, ModelRoute> models, BudgetBook budgets, AdmissionPolicy admission,
    dev.tollgate.domain.policy.Classifier policy, dev.tollgate.domain.exception.ExceptionBook exceptions) {

  /** Finds virtual keys by secret without a database round trip. */
  public interface KeyIndex {
    Optional<VirtualKey> findBySecret(String secret);
  }
}
