package dev.tollgate.service;

import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.ScopeKind;
import dev.tollgate.domain.exception.ApprovalPolicy;
import dev.tollgate.domain.exception.BudgetException;
import dev.tollgate.domain.exception.ExceptionBook;
import dev.tollgate.domain.exception.ExceptionState;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.port.ExceptionStore;
import dev.tollgate.port.UsageQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exceptions to cost policy: requested with a justification and a mandatory expiry, approved or
 * denied by whoever the {@link ApprovalPolicy} allows, active until they expire or are revoked, and
 * reviewed with what they were used for. Every change is announced so that the gateway's request path
 * sees it at once.
 */
public final class ExceptionService {

  private static final Logger log = LoggerFactory.getLogger(ExceptionService.class);
  /** How far ahead an approaching expiry is announced. */
  public static final Duration EXPIRY_NOTICE = Duration.ofDays(3);

  private final ExceptionStore store;
  private final UsageQuery ledger;
  private final Clock clock;
  private volatile ApprovalPolicy policy = ApprovalPolicy.defaults();
  private volatile Runnable onChange = () -> {};

  public ExceptionService(ExceptionStore store, UsageQuery ledger, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
  }

  public void usePolicy(ApprovalPolicy p) {
    this.policy = p;
  }

  public ApprovalPolicy policy() {
    return policy;
  }

  public void onChange(Runnable action) {
    this.onChange = action;
  }

  public ExceptionBook book() {
    return new ExceptionBook(store.list());
  }

  /** What a requester asks for. */
  public record Request(String requester, String justification, String scope, String team, String workloadClass,
      List<String> unlockTiers, List<String> unlockModels, long extraTokens, Money extraUsd, Instant startsAt, Instant expiresAt) {}

  /** Files a request; throws IllegalArgumentException naming what is wrong. */
  public BudgetException request(Request r) {
    Instant now = clock.instant();
    if (r.justification() == null || r.justification().isBlank()) throw new IllegalArgumentException("'justification' is required: the business reason");
    if (r.expiresAt() == null) throw new IllegalArgumentException("'expires_at' is required: every exception ends");
    BudgetScope scope;
    try {
      scope = BudgetScope.parse(r.scope());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'scope': " + e.getMessage());
    }
    if (scope.kind() == ScopeKind.ORG || scope.kind() == ScopeKind.TAG || scope.kind() == ScopeKind.CONVERSATION
        || BudgetScope.EACH.equals(scope.value())) {
      throw new IllegalArgumentException("'scope' must name one user, team, workflow, agent or key (e.g. user:ana, team:support)");
    }
    String team = scope.kind() == ScopeKind.TEAM ? scope.value() : r.team();
    if (team == null) throw new IllegalArgumentException("'team' is required for a " + scope.kind().wire() + " scope: the team it is charged to");
    Instant start = r.startsAt() == null ? now : r.startsAt();
    if (!r.expiresAt().isAfter(start)) throw new IllegalArgumentException("'expires_at' must be after the start");
    Duration length = Duration.between(start, r.expiresAt());
    if (length.compareTo(policy.maxDuration()) > 0) {
      throw new IllegalArgumentException("an exception may last at most " + policy.maxDuration().toDays() + " days; this one asks for "
          + length.toDays() + " (renew it when it ends if it still earns its place)");
    }
    if (r.extraTokens() < 0 || r.extraUsd().nanos() < 0) throw new IllegalArgumentException("extra budget cannot be negative");
    if (r.extraTokens() == 0 && r.extraUsd().isZero() && r.unlockTiers().isEmpty() && r.unlockModels().isEmpty()) {
      throw new IllegalArgumentException("ask for something: extra_usd, extra_tokens, unlock_tiers or unlock_models");
    }
    BudgetException e = new BudgetException("exc_" + Long.toString(now.toEpochMilli(), 36)
        + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).substring(0, 5), r.requester(),
        r.justification(), scope, team, r.workloadClass(), r.unlockTiers(), r.unlockModels(), r.extraTokens(), r.extraUsd(),
        start, r.expiresAt(), ExceptionState.REQUESTED, null, null, null, now, null, List.of());
    store.insert(e);
    log.info("exception requested, awaiting approval: {} for {} (team {}) by {}: {}", e.id(), scope, team, r.requester(), r.justification());
    onChange.run();
    return e;
  }

  public enum Outcome { DONE, NOT_FOUND, NOT_ALLOWED, WRONG_STATE }

  /**
   * The result of a decision: what happened, the exception before and after (the same when refused;
   * both null when not found), and the reason when refused.
   */
  public record Decided(Outcome outcome, BudgetException before, BudgetException exception, String reason) {

    static Decided notFound(String id) {
      return new Decided(Outcome.NOT_FOUND, null, null, "no exception " + id);
    }

    static Decided refused(Outcome outcome, BudgetException e, String reason) {
      return new Decided(outcome, e, e, reason);
    }
  }

  public Decided approve(String id, String actor, String role, List<String> teams, String note) {
    return decide(id, actor, role, teams, note, ExceptionState.APPROVED);
  }

  public Decided deny(String id, String actor, String role, List<String> teams, String note) {
    return decide(id, actor, role, teams, note, ExceptionState.DENIED);
  }

  private Decided decide(String id, String actor, String role, List<String> teams, String note, ExceptionState decision) {
    Optional<BudgetException> found = store.find(id);
    if (found.isEmpty()) return Decided.notFound(id);
    BudgetException e = found.get();
    if (e.status() != ExceptionState.REQUESTED) {
      return Decided.refused(Outcome.WRONG_STATE, e, "it is " + e.stateAt(clock.instant()).wire() + ", not requested");
    }
    String refusal = policy.refusal(role, teams, e);
    if (refusal != null) return Decided.refused(Outcome.NOT_ALLOWED, e, refusal);
    if (e.requester() != null && e.requester().equals(actor) && !"admin".equals(role)) {
      return Decided.refused(Outcome.NOT_ALLOWED, e, "nobody approves their own request");
    }
    BudgetException next = e.withDecision(decision, actor, clock.instant(), note);
    store.update(next);
    log.info("exception {} {} by {} ({})", id, decision.wire(), actor, role);
    onChange.run();
    return new Decided(Outcome.DONE, e, next, null);
  }

  public Decided revoke(String id, String actor, String note) {
    Optional<BudgetException> found = store.find(id);
    if (found.isEmpty()) return Decided.notFound(id);
    BudgetException e = found.get();
    ExceptionState now = e.stateAt(clock.instant());
    if (now != ExceptionState.APPROVED && now != ExceptionState.ACTIVE && now != ExceptionState.REQUESTED) {
      return Decided.refused(Outcome.WRONG_STATE, e, "it is " + now.wire());
    }
    BudgetException next = e.withDecision(ExceptionState.REVOKED, actor, clock.instant(), note);
    store.update(next);
    log.info("exception {} revoked by {}", id, actor);
    onChange.run();
    return new Decided(Outcome.DONE, e, next, null);
  }

  /** Renewal asks again whether the exception still earns its place: a new request, linked to the old one. */
  public BudgetException renew(String id, String requester, String justification, Instant expiresAt) {
    BudgetException old = store.find(id).orElseThrow(() -> new IllegalArgumentException("no exception " + id));
    Instant start = old.expiresAt().isAfter(clock.instant()) ? old.expiresAt() : clock.instant();
    BudgetException fresh = request(new Request(requester, justification, old.scope().toString(), old.team(), old.workloadClass(),
        old.unlockedTiers(), old.unlockedModels(), old.extraTokens(), old.extraUsd(), start, expiresAt));
    BudgetException linked = new BudgetException(fresh.id(), fresh.requester(), fresh.justification(), fresh.scope(), fresh.team(),
        fresh.workloadClass(), fresh.unlockedTiers(), fresh.unlockedModels(), fresh.extraTokens(), fresh.extraUsd(), fresh.startsAt(),
        fresh.expiresAt(), fresh.status(), null, null, null, fresh.createdAt(), old.id(), List.of());
    store.update(linked);
    return linked;
  }

  /** Adds an outcome note (what the exception achieved), for the review. */
  public Decided addNote(String id, String note) {
    Optional<BudgetException> found = store.find(id);
    if (found.isEmpty()) return Decided.notFound(id);
    BudgetException next = found.get().withNote(note);
    store.update(next);
    return new Decided(Outcome.DONE, found.get(), next, null);
  }

  public List<BudgetException> list() {
    return store.list();
  }

  public Optional<BudgetException> find(String id) {
    return store.find(id);
  }

  /** An exception with what was done under it: requests, tokens and cost from the ledger. */
  public record Review(BudgetException exception, ExceptionState state, long requests, long inputTokens, long outputTokens, Money cost) {}

  public List<Review> review() {
    Instant now = clock.instant();
    Map<String, UsageAggregate> usage = new java.util.HashMap<>();
    for (UsageAggregate a : ledger.aggregate(new UsageFilter(null, null, null, List.of("exception_id"), null, null))) {
      String id = a.group().get("exception_id");
      if (id != null) usage.put(id, a);
    }
    List<Review> out = new ArrayList<>();
    for (BudgetException e : store.list()) {
      UsageAggregate a = usage.get(e.id());
      out.add(new Review(e, e.stateAt(now), a == null ? 0 : a.requests(), a == null ? 0 : a.inputTokens(),
          a == null ? 0 : a.outputTokens(), a == null ? Money.ZERO : a.cost()));
    }
    return out;
  }

  /** What people should hear about: requests waiting for a decision, and active exceptions ending soon. */
  public record Notice(String kind, BudgetException exception, String message) {}

  public List<Notice> notices() {
    Instant now = clock.instant();
    List<Notice> out = new ArrayList<>();
    for (BudgetException e : store.list()) {
      ExceptionState s = e.stateAt(now);
      if (s == ExceptionState.REQUESTED) {
        out.add(new Notice("pending_approval", e, "Exception " + e.id() + " for " + e.scope() + " (team " + e.team()
            + ") waits for approval: " + e.justification()));
      } else if (s == ExceptionState.ACTIVE && Duration.between(now, e.expiresAt()).compareTo(EXPIRY_NOTICE) <= 0) {
        out.add(new Notice("expiring", e, "Exception " + e.id() + " for " + e.scope() + " expires at " + e.expiresAt()
            + "; renew it if it still earns its place."));
      }
    }
    return out;
  }
}
