package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.AlertChannel;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Pending approvals and coming expiries reach the alert channels once each, for the exception's team;
 * an approval reminder resolves itself once the request is decided.
 */
class ExceptionRemindersTest {

  static final Instant T0 = Instant.parse("2026-11-10T09:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  final ExceptionService exceptions = new ExceptionService(new ExceptionLifecycleClockTest.ListStore(), null, clock);
  final AlertService alerts = new AlertService(clock, null);
  final List<Alert> sent = new CopyOnWriteArrayList<>();
  final ExceptionReminders reminders = new ExceptionReminders(exceptions, alerts);

  ExceptionRemindersTest() {
    alerts.configure(AlertService.Settings.quiet(), List.of(new AlertChannel() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public void send(Alert alert) {
        sent.add(alert);
      }
    }));
  }

  String request(Instant expiry) {
    return exceptions.request(new ExceptionService.Request("token:tok_ana", "board deck", "key:deck-bot", "research", null,
        List.of("premium"), List.of(), 0, Money.ZERO, null, expiry)).id();
  }

  @Test
  void aRequestWaitingForApprovalIsSentOnceToItsTeamAndResolvesItselfWhenDecided() {
    String id = request(T0.plus(Duration.ofDays(10)));
    reminders.tick();
    clock.advance(Duration.ofMinutes(1));
    reminders.tick(); // still waiting: the same incident, not sent again within the cooldown
    assertThat(sent).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(ExceptionReminders.PENDING);
      assertThat(a.subject()).isEqualTo("exception:" + id);
      assertThat(a.team()).isEqualTo("research");
      assertThat(a.message()).contains("waits for approval").contains("board deck");
    });

    exceptions.approve(id, "token:tok_lead", "team-lead", List.of("research"), "ok");
    reminders.tick();
    assertThat(alerts.list()).filteredOn(a -> a.kind().equals(ExceptionReminders.PENDING)).singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo("resolved"));
  }

  @Test
  void anActiveExceptionEndingSoonIsSentAsExpiring() {
    String id = request(T0.plus(Duration.ofHours(20)));
    exceptions.approve(id, "token:tok_lead", "team-lead", List.of("research"), "ok");
    reminders.tick();
    assertThat(sent).extracting(Alert::kind).containsExactly(ExceptionReminders.EXPIRING);
    assertThat(sent.get(0).team()).isEqualTo("research");
  }
}
