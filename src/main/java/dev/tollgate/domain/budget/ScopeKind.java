package dev.tollgate.domain.budget;

/** What a budget is about: the whole org, or one value of an attribution dimension. */
public enum ScopeKind {
  ORG, TEAM, PROJECT, WORKFLOW, AGENT, USER, KEY, CONVERSATION, TAG;

  // Named once: wire() is called for every budget a request is admitted against.
  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  public String wire() {
    return wire;
  }
}
