package dev.tollgate.service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about exceptions that need them: a request waiting for approval (to its team's
 * approvers) and an active exception about to expire (to its team, so it is renewed or let go). Each
 * is one alert through the alert channels — deduplicated and cooled down like any alert — and one log
 * line. An approval reminder resolves itself once the request has been approved, denied or withdrawn.
 * Run {@link #tick} periodically, off the event loop (it reads the exception store).
 */
public final class ExceptionReminders {

  public static final String PENDING = "exception_pending_approval";
  public static final String EXPIRING = "exception_expiring";
  static final String SYSTEM = "system:exceptions";

  private static final Logger log = LoggerFactory.getLogger(ExceptionReminders.class);

  private final ExceptionService exceptions;
  private final AlertService alerts;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public ExceptionReminders(ExceptionService exceptions, AlertService alerts) {
    this.exceptions = exceptions;
    this.alerts = alerts;
  }

  /** One round: alert on what needs someone now, resolve approval reminders that no longer do. */
  public Void tick() {
    List<ExceptionService.Notice> notices = exceptions.notices();
    Set<String> waiting = new HashSet<>();
    for (ExceptionService.Notice n : notices) {
      String subject = "exception:" + n.exception().id();
      if (logged.add(n.kind() + subject)) log.info("exception notice: {}", n.message());
      switch (n.kind()) {
        case "pending_approval" -> {
          waiting.add(subject);
          alerts.trigger(PENDING, subject, n.exception().team(), null, "info", n.message(), null);
        }
        case "expiring" -> alerts.trigger(EXPIRING, subject, n.exception().team(), null, "warning", n.message(), null);
        default -> { }
      }
    }
    alerts.resolveWhere(PENDING, subject -> !waiting.contains(subject), SYSTEM);
    return null;
  }
}
