package dev.tollgate.domain.budget;

/** What a budget is about: the whole org, or one value of an attribution dimension. */
public enum ScopeKind {
  ORG, TEAM, PROJECT, WORKFLOW, AGENT, USER, KEY, CONVERSATION, TAG;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
