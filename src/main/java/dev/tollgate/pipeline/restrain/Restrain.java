package dev.tollgate.pipeline.restrain;

import dev.tollgate.domain.alert.Restriction;
import dev.tollgate.domain.alert.Restrictions;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Stage;
import java.time.Clock;
import java.util.Map;

/**
 * Applies what alerts did automatically: a suspended key, agent or workflow is refused (403), a
 * throttled one gets 429 with {@code Retry-After} once it has used its requests of the minute. Runs
 * after attribute, so the agent and workflow are known and the refusal is attributed in the ledger.
 * The message names the alert, whose acknowledgement lifts the restriction.
 */
public final class Restrain implements Stage {

  private final Restrictions restrictions;
  private final Clock clock;

  public Restrain(Restrictions restrictions, Clock clock) {
    this.restrictions = restrictions;
    this.clock = clock;
  }

  @Override
  public Decision apply(Exchange x) {
    var a = x.attribution();
    Restrictions.Refusal refusal = restrictions.check(x.key() == null ? null : x.key().name(), a == null ? null : a.agent(),
        a == null ? null : a.workflow(), clock.instant());
    if (refusal == null) return Decision.CONTINUE;
    Restriction r = refusal.restriction();
    String lift = " An admin lifts it by acknowledging alert " + r.alertId() + " (POST /admin/v1/alerts/" + r.alertId() + "/ack).";
    if (r.kind() == Restriction.Kind.SUSPEND) {
      ErrorKind kind = r.subject().startsWith("key:") ? ErrorKind.KEY_SUSPENDED : ErrorKind.SUSPENDED_BY_ALERT;
      String what = r.subject().startsWith("key:") ? "The virtual key '" + r.subject().substring(4) + "'" : r.subject();
      return Decision.stop(GatewayError.of(kind, what + " is suspended: " + r.reason() + " (alert " + r.alertId() + ")." + lift,
          Map.of("alert_id", r.alertId())));
    }
    return Decision.stop(GatewayError.of(ErrorKind.THROTTLED_BY_ALERT, r.subject() + " is throttled to " + r.perMinute()
        + " requests a minute: " + r.reason() + " (alert " + r.alertId() + "). Try again in " + refusal.retryAfterSeconds() + " s." + lift,
        Map.of("alert_id", r.alertId(), "retry_after_seconds", refusal.retryAfterSeconds())));
  }
}
