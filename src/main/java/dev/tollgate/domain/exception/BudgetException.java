package dev.tollgate.domain.exception;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * A time-limited exception to cost policy: more budget (tokens or USD) and/or model tiers or models a
 * workload class otherwise keeps closed, for one scope, justified, approved, and always expiring.
 *
 * @param scope who it is for: {@code user:…}, {@code team:…}, {@code workflow:…}, {@code agent:…} or {@code key:…}
 * @param team the team it is charged to and approved within (the scope's team for {@code team:…})
 * @param workloadClass the class it applies to, or null for any
 * @param extraTokens extra tokens beyond the budgets it covers (0 for none)
 * @param extraUsd extra USD beyond the budgets it covers (zero for none)
 * @param status the stored state (requested, approved, denied or revoked); see {@link #stateAt}
 * @param renewedFrom the exception this one renews, or null
 */
public record BudgetException(
    String id,
    String requester,
    String justification,
    BudgetScope scope,
    String team,
    String workloadClass,
    List<String> unlockedTiers,
    List<String> unlockedModels,
    long extraTokens,
    Money extraUsd,
    Instant startsAt,
    Instant expiresAt,
    ExceptionState status,
    String decidedBy,
    Instant decidedAt,
    String decisionNote,
    Instant createdAt,
    String renewedFrom,
    List<String> outcomeNotes) {

  public BudgetException {
    unlockedTiers = unlockedTiers == null ? List.of() : List.copyOf(unlockedTiers);
    unlockedModels = unlockedModels == null ? List.of() : List.copyOf(unlockedModels);
    outcomeNotes = outcomeNotes == null ? List.of() : List.copyOf(outcomeNotes);
    if (extraUsd == null) extraUsd = Money.ZERO;
    if (expiresAt == null) throw new IllegalArgumentException("an exception must have an expiry");
    if (startsAt != null && !startsAt.isBefore(expiresAt)) throw new IllegalArgumentException("an exception must start before it expires");
  }

  /** The state at {@code now}: an approved exception is active from its start until its expiry (exclusive), then expired. */
  public ExceptionState stateAt(Instant now) {
    if (status != ExceptionState.APPROVED) return status;
    if (!now.isBefore(expiresAt)) return ExceptionState.EXPIRED;
    return startsAt == null || !now.isBefore(startsAt) ? ExceptionState.ACTIVE : ExceptionState.APPROVED;
  }

  /** Whether this exception covers a request: active now, for this scope and class. */
  public boolean covers(Attribution a, String keyName, String requestClass, Instant now) {
    return stateAt(now) == ExceptionState.ACTIVE && scope.subjectFor(a, keyName).isPresent()
        && (workloadClass == null || workloadClass.equals(requestClass));
  }

  public boolean unlocks(String model, String tier) {
    return unlockedModels.contains(model) || (tier != null && unlockedTiers.contains(tier));
  }

  public BudgetException withDecision(ExceptionState decision, String by, Instant at, String note) {
    return new BudgetException(id, requester, justification, scope, team, workloadClass, unlockedTiers, unlockedModels, extraTokens,
        extraUsd, startsAt, expiresAt, decision, by, at, note, createdAt, renewedFrom, outcomeNotes);
  }

  public BudgetException withNote(String note) {
    List<String> notes = new java.util.ArrayList<>(outcomeNotes);
    notes.add(note);
    return new BudgetException(id, requester, justification, scope, team, workloadClass, unlockedTiers, unlockedModels, extraTokens,
        extraUsd, startsAt, expiresAt, status, decidedBy, decidedAt, decisionNote, createdAt, renewedFrom, notes);
  }
}
