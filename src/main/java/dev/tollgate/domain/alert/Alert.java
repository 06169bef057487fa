package dev.tollgate.domain.alert;

import java.time.Instant;

/**
 * One incident, told once: every further trigger of the same rule for the same subject while it is
 * open only counts up. {@code state} is open, acknowledged or resolved.
 *
 * @param kind budget_threshold, runaway_automation, error_rate, exception_expiring…
 * @param subject what it is about: {@code team:support}, {@code key:nightly-sync}, {@code provider:openai}
 * @param team the team it belongs to, or null when it belongs to none (a provider, the org): who may see it
 * @param user the ledger user it is about (a {@code user:…} budget), or null
 */
public record Alert(String id, String kind, String subject, String team, String user, String severity, String message,
    Instant firstAt, Instant lastAt, long count, String state, String actedBy, String action) {

  public Alert triggeredAgain(Instant at, String newMessage) {
    return new Alert(id, kind, subject, team, user, severity, newMessage, firstAt, at, count + 1, state, actedBy, action);
  }

  public Alert withState(String newState, String by) {
    return new Alert(id, kind, subject, team, user, severity, message, firstAt, lastAt, count, newState, by, action);
  }

  public Alert withAction(String taken) {
    return new Alert(id, kind, subject, team, user, severity, message, firstAt, lastAt, count, state, actedBy, taken);
  }

  public boolean open() {
    return "open".equals(state);
  }
}
