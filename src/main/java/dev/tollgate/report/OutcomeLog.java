package dev.tollgate.report;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.outcome.RequestOutcome;
import dev.tollgate.domain.usage.UsageRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** Records outcomes: checks them, gives them an id and a recording time. */
public final class OutcomeLog {

  /** What a caller sends; {@code count} defaults to 1, {@code value} to zero, {@code at} to now. */
  public record Draft(String id, String type, Long count, Money value, String workflow, String agent, String team,
      Instant at, String note) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OutcomeStore store;
  private final Clock clock;

  public OutcomeLog(OutcomeStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @return empty when the caller's own id was recorded before (a retry records nothing twice)
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Optional<Outcome> record(Draft d) {
    if (d.type() == null || d.type().isBlank()) {
      throw new IllegalArgumentException("'type' is required, e.g. \"ticket_resolved\" or \"deal_closed\"");
    }
    if (d.type().length() > 100) throw new IllegalArgumentException("'type' is longer than 100 characters");
    if (d.workflow() == null && d.agent() == null && d.team() == null) {
      throw new IllegalArgumentException("give at least one of 'workflow', 'agent' or 'team', so the outcome can be set "
          + "against the cost that produced it");
    }
    long count = d.count() == null ? 1 : d.count();
    if (count < 1) throw new IllegalArgumentException("'count' must be at least 1");
    Money value = d.value() == null ? Money.ZERO : d.value();
    if (value.nanos() < 0) throw new IllegalArgumentException("'value_usd' cannot be negative");
    if (d.id() != null && (d.id().isBlank() || d.id().length() > 100)) {
      throw new IllegalArgumentException("'id' must be 1 to 100 characters");
    }
    Instant now = clock.instant();
    String id = d.id() != null ? d.id() : "out_" + HexFormat.of().formatHex(bytes());
    Outcome o = new Outcome(id, d.type(), count, value, d.workflow(), d.agent(), d.team(), d.at() == null ? now : d.at(),
        now, d.note());
    return store.insert(o) ? Optional.of(o) : Optional.empty();
  }

  /**
   * Records the outcome a successful request reported, attributed like its ledger row, at the request's
   * start. Its id is derived from the request id, so a row handed over twice records one outcome.
   *
   * @return empty when it was recorded before
   */
  public Optional<Outcome> recordForRequest(RequestOutcome claim, UsageRecord row) {
    Attribution a = row.attribution();
    Outcome o = new Outcome("req_" + row.id(), claim.type(), claim.count(), claim.value(), a.workflow(), a.agent(), a.team(),
        row.startedAt(), clock.instant(), null, a.user(), row.keyName(), row.id());
    return store.insert(o) ? Optional.of(o) : Optional.empty();
  }

  private static byte[] bytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }
}
