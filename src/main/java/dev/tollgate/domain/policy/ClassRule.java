package dev.tollgate.domain.policy;

import java.util.Map;

/**
 * "Requests like this are of class X": every condition must hold. Conditions: model (glob with
 * {@code *}), team, project, workflow, agent, user, channel, key, tag ({@code k=v}), metadata
 * ({@code k=v}), tools ({@code true}/{@code false}), prompt_tokens_over, prompt_tokens_under.
 */
public record ClassRule(Map<String, String> when, String className) {

  public ClassRule {
    when = Map.copyOf(when);
  }

  public boolean matches(RequestFacts f) {
    for (Map.Entry<String, String> c : when.entrySet()) {
      if (!holds(c.getKey(), c.getValue(), f)) return false;
    }
    return true;
  }

  private static boolean holds(String key, String want, RequestFacts f) {
    var a = f.attribution();
    return switch (key) {
      case "model" -> f.model() != null && glob(want, f.model());
      case "team" -> want.equals(a.team());
      case "project" -> want.equals(a.project());
      case "workflow" -> want.equals(a.workflow());
      case "agent" -> want.equals(a.agent());
      case "user" -> want.equals(a.user());
      case "channel" -> want.equals(a.channel());
      case "key" -> want.equals(f.keyName());
      case "tag" -> pair(want, a.tags());
      case "metadata" -> pair(want, f.metadata());
      case "tools" -> Boolean.parseBoolean(want) == f.tools();
      case "prompt_tokens_over" -> f.promptTokens().getAsLong() > Long.parseLong(want);
      case "prompt_tokens_under" -> f.promptTokens().getAsLong() < Long.parseLong(want);
      default -> false;
    };
  }

  private static boolean pair(String kv, Map<String, String> values) {
    int eq = kv.indexOf('=');
    return eq > 0 && kv.substring(eq + 1).equals(values.get(kv.substring(0, eq)));
  }

  static boolean glob(String pattern, String text) {
    if (!pattern.contains("*")) return pattern.equals(text);
    String[] parts = pattern.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == 0) {
        if (!text.startsWith(p)) return false;
        at = p.length();
      } else if (i == parts.length - 1) {
        return text.length() - at >= p.length() && text.endsWith(p);
      } else {
        int found = text.indexOf(p, at);
        if (found < 0) return false;
        at = found + p.length();
      }
    }
    return at == text.length();
  }
}
