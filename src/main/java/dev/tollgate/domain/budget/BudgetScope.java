package dev.tollgate.domain.budget;

import dev.tollgate.domain.attribution.Attribution;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a budget applies to, written {@code org}, {@code team:support}, {@code workflow:ticket-triage},
 * {@code key:triage-bot}, {@code tag:env=prod}, or with {@code *} as the value ({@code user:*},
 * {@code tag:customer=*}) for "each one separately": every user gets a budget of their own.
 *
 * @param value the dimension's value, {@code *} for each value separately; for tags {@code key=value}
 */
public record BudgetScope(ScopeKind kind, String value) {

  public static final String EACH = "*";

  public static BudgetScope org() {
    return new BudgetScope(ScopeKind.ORG, null);
  }

  /** Parses the written form; throws IllegalArgumentException naming what is allowed. */
  public static BudgetScope parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("org")) return org();
    int colon = t.indexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("scope '" + text + "' must be org or <dimension>:<value> with dimension one of "
          + "team, project, workflow, agent, user, key, conversation, tag (e.g. team:support, user:*, tag:env=prod)");
    }
    ScopeKind kind;
    try {
      kind = ScopeKind.valueOf(t.substring(0, colon).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scope '" + text + "': unknown dimension '" + t.substring(0, colon)
          + "'; use team, project, workflow, agent, user, key, conversation or tag");
    }
    String value = t.substring(colon + 1);
    if (kind == ScopeKind.ORG) throw new IllegalArgumentException("scope 'org' takes no value");
    if (kind == ScopeKind.TAG && (value.indexOf('=') <= 0 || value.endsWith("="))) {
      throw new IllegalArgumentException("scope '" + text + "': a tag scope is tag:<key>=<value> or tag:<key>=*");
    }
    return new BudgetScope(kind, value);
  }

  /**
   * The subject this request is counted under for this scope — e.g. {@code team:support} or, for
   * {@code user:*}, {@code user:ana} — or empty when the scope does not cover the request.
   */
  public Optional<String> subjectFor(Attribution a, String keyName) {
    if (kind == ScopeKind.ORG) return Optional.of("org");
    if (kind == ScopeKind.TAG) {
      int eq = value.indexOf('=');
      String tagKey = value.substring(0, eq);
      String wanted = value.substring(eq + 1);
      String actual = a.tags().get(tagKey);
      if (actual == null || !(wanted.equals(EACH) || wanted.equals(actual))) return Optional.empty();
      return Optional.of("tag:" + tagKey + "=" + actual);
    }
    String actual = switch (kind) {
      case TEAM -> a.team();
      case PROJECT -> a.project();
      case WORKFLOW -> a.workflow();
      case AGENT -> a.agent();
      case USER -> a.user();
      case KEY -> keyName;
      case CONVERSATION -> a.conversation();
      default -> null;
    };
    if (actual == null || !(value.equals(EACH) || value.equals(actual))) return Optional.empty();
    return Optional.of(kind.wire() + ":" + actual);
  }

  @Override
  public String toString() {
    return kind == ScopeKind.ORG ? "org" : kind.wire() + ":" + value;
  }
}
