package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.exception.BudgetException;
import dev.tollgate.domain.exception.ExceptionState;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.ExceptionStore;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exception state machine driven through {@link ExceptionService} by an injected clock: requested →
 * approved → active from its start to the instant before its expiry → expired at exactly its expiry, when
 * it stops covering requests and can no longer be revoked.
 */
class ExceptionLifecycleClockTest {

  static final Instant T0 = Instant.parse("2026-11-10T09:00:00Z");

  /** Exceptions in a list, as the SQL stores keep them. */
  static final class ListStore implements ExceptionStore {
    final List<BudgetException> rows = new ArrayList<>();

    @Override
    public synchronized void insert(BudgetException e) {
      rows.add(e);
    }

    @Override
    public synchronized boolean update(BudgetException e) {
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).id().equals(e.id())) {
          rows.set(i, e);
          return true;
        }
      }
      return false;
    }

    @Override
    public synchronized List<BudgetException> list() {
      return List.copyOf(rows);
    }

    @Override
    public synchronized Optional<BudgetException> find(String id) {
      return rows.stream().filter(e -> e.id().equals(id)).findFirst();
    }
  }

  final MutableClock clock = new MutableClock(T0);
  final ExceptionService service = new ExceptionService(new ListStore(), null, clock);

  BudgetException request(Instant start, Instant expiry) {
    return service.request(new ExceptionService.Request("token:tok_ana", "board deck", "key:deck-bot", "research", null,
        List.of("premium"), List.of(), 0, Money.ZERO, start, expiry));
  }

  ExceptionState state(String id) {
    return service.find(id).orElseThrow().stateAt(clock.instant());
  }

  boolean unlocksPremium() {
    return service.book().unlocking(Attribution.EMPTY, "deck-bot", null, "big-model", "premium", clock.instant()).isPresent();
  }

  @Test
  void anApprovedExceptionIsActiveUntilTheInstantBeforeItsExpiryAndExpiredAtIt() {
    Instant expiry = T0.plus(Duration.ofDays(2));
    String id = request(null, expiry).id();
    assertThat(state(id)).isEqualTo(ExceptionState.REQUESTED);
    assertThat(unlocksPremium()).as("a request unlocks nothing").isFalse();

    ExceptionService.Decided approved = service.approve(id, "token:tok_lead", "finance", List.of(), "ok");
    assertThat(approved.outcome()).isEqualTo(ExceptionService.Outcome.DONE);
    assertThat(approved.before().status()).isEqualTo(ExceptionState.REQUESTED);
    assertThat(state(id)).isEqualTo(ExceptionState.ACTIVE);
    assertThat(unlocksPremium()).isTrue();

    clock.advance(Duration.between(clock.instant(), expiry).minusNanos(1));
    assertThat(state(id)).isEqualTo(ExceptionState.ACTIVE);
    assertThat(unlocksPremium()).isTrue();
    assertThat(service.notices()).extracting(ExceptionService.Notice::kind).containsExactly("expiring");

    clock.advance(Duration.ofNanos(1));
    assertThat(clock.instant()).isEqualTo(expiry);
    assertThat(state(id)).isEqualTo(ExceptionState.EXPIRED);
    assertThat(unlocksPremium()).as("not a nanosecond past its expiry").isFalse();
    assertThat(service.notices()).isEmpty();
    ExceptionService.Decided late = service.revoke(id, "admin-token", null);
    assertThat(late.outcome()).isEqualTo(ExceptionService.Outcome.WRONG_STATE);
    assertThat(late.reason()).contains("expired");
  }

  @Test
  void anExceptionApprovedAheadOfItsStartWaitsForItToTheInstant() {
    Instant start = T0.plus(Duration.ofHours(5));
    String id = request(start, start.plus(Duration.ofDays(1))).id();
    service.approve(id, "token:tok_fin", "finance", List.of(), null);
    assertThat(state(id)).isEqualTo(ExceptionState.APPROVED);
    clock.advance(Duration.ofHours(5).minusNanos(1));
    assertThat(state(id)).isEqualTo(ExceptionState.APPROVED);
    assertThat(unlocksPremium()).isFalse();
    clock.advance(Duration.ofNanos(1));
    assertThat(state(id)).isEqualTo(ExceptionState.ACTIVE);
    assertThat(unlocksPremium()).isTrue();
  }

  @Test
  void deniedAndRevokedAreFinalWhateverTheClockSays() {
    String denied = request(null, T0.plus(Duration.ofDays(1))).id();
    assertThat(service.deny(denied, "token:tok_fin", "finance", List.of(), "not now").outcome()).isEqualTo(ExceptionService.Outcome.DONE);
    assertThat(service.approve(denied, "token:tok_fin", "finance", List.of(), null).outcome())
        .isEqualTo(ExceptionService.Outcome.WRONG_STATE);

    String revoked = request(null, T0.plus(Duration.ofDays(1))).id();
    service.approve(revoked, "token:tok_fin", "finance", List.of(), null);
    ExceptionService.Decided r = service.revoke(revoked, "admin-token", "misuse");
    assertThat(r.before().stateAt(clock.instant())).isEqualTo(ExceptionState.ACTIVE);
    assertThat(state(revoked)).isEqualTo(ExceptionState.REVOKED);
    assertThat(unlocksPremium()).isFalse();
    clock.advance(Duration.ofDays(2));
    assertThat(state(denied)).isEqualTo(ExceptionState.DENIED);
    assertThat(state(revoked)).isEqualTo(ExceptionState.REVOKED);
  }
}
