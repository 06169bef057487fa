package dev.tollgate.config;

import java.util.List;
import java.util.Map;

/**
 * YAML {@code classification:} — how a request gets its workload class when neither a header nor its
 * key names one: {@code rules} in order (the first that matches wins), else {@code default}.
 *
 * <pre>
 * classification:
 *   default: exploratory-research
 *   rules:
 *     - { when: { workflow: ticket-triage }, class: classification }
 *     - { when: { tools: true }, class: code-modification }
 *     - { when: { prompt_tokens_over: 20000 }, class: executive-synthesis }
 *     - { when: { model: "gpt-4o*", tag: "env=prod" }, class: customer-facing }
 * </pre>
 *
 * @param defaultClass the org default, or null for none
 */
public record ClassificationConfig(String defaultClass, List<Rule> rules) {

  public static ClassificationConfig none() {
    return new ClassificationConfig(null, List.of());
  }

  /**
   * One rule. {@code when} keys: model (glob with *), team, project, workflow, agent, user, channel, key,
   * tag ({@code k=v}), metadata ({@code k=v}), tools (true/false), prompt_tokens_over, prompt_tokens_under.
   * Every given condition must hold.
   */
  public record Rule(Map<String, String> when, String className) {}
}
