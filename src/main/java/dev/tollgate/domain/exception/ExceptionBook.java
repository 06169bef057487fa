package dev.tollgate.domain.exception;

import dev.tollgate.domain.attribution.Attribution;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The exceptions that may be active; the request path asks which one covers a request. Immutable. */
public final class ExceptionBook {

  public static final ExceptionBook EMPTY = new ExceptionBook(List.of());

  private final List<BudgetException> approved;

  public ExceptionBook(List<BudgetException> exceptions) {
    this.approved = exceptions.stream().filter(e -> e.status() == ExceptionState.APPROVED).toList();
  }

  /** Active exceptions covering a request, newest expiry first. */
  public List<BudgetException> covering(Attribution a, String keyName, String requestClass, Instant now) {
    if (approved.isEmpty()) return List.of();
    return approved.stream().filter(e -> e.covers(a, keyName, requestClass, now))
        .sorted((x, y) -> y.expiresAt().compareTo(x.expiresAt())).toList();
  }

  /** The first active exception covering the request that unlocks this model or tier. */
  public Optional<BudgetException> unlocking(Attribution a, String keyName, String requestClass, String model, String tier,
      Instant now) {
    return covering(a, keyName, requestClass, now).stream().filter(e -> e.unlocks(model, tier)).findFirst();
  }

  public boolean isEmpty() {
    return approved.isEmpty();
  }
}
