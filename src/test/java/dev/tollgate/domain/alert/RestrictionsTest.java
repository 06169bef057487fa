package dev.tollgate.domain.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restrictions the request path reads: suspend refuses, throttle counts the minute, lifting and syncing. */
class RestrictionsTest {

  private static final Instant T = Instant.parse("2026-11-25T10:00:20Z");

  @Test
  void aThrottleLetsItsRateThroughEachMinuteAndTellsWhenToComeBack() {
    Restrictions r = new Restrictions();
    r.put(new Restriction("agent:looper", Restriction.Kind.THROTTLE, 3, "alr_1", "retry storm", T));

    for (int i = 0; i < 3; i++) assertThat(r.check("key-a", "looper", null, T)).isNull();
    Restrictions.Refusal refused = r.check("key-b", "looper", "wf", T.plusSeconds(10));
    assertThat(refused.restriction().alertId()).isEqualTo("alr_1");
    assertThat(refused.retryAfterSeconds()).isEqualTo(30);
    assertThat(r.check("key-a", "other-agent", null, T)).as("other subjects are not touched").isNull();
    assertThat(r.check("key-a", "looper", null, T.plusSeconds(40))).as("the next minute").isNull();
  }

  @Test
  void aSuspensionRefusesEveryRequestOfItsSubjectUntilItsAlertLiftsIt() {
    Restrictions r = new Restrictions();
    r.put(new Restriction("workflow:nightly", Restriction.Kind.SUSPEND, 0, "alr_2", "runaway automation", T));

    assertThat(r.check("any-key", null, "nightly", T).restriction().kind()).isEqualTo(Restriction.Kind.SUSPEND);
    assertThat(r.check("any-key", null, "daytime", T)).isNull();
    assertThat(r.liftFor("alr_1")).isEmpty();
    assertThat(r.liftFor("alr_2")).hasSize(1);
    assertThat(r.check("any-key", null, "nightly", T)).isNull();
  }

  @Test
  void syncingToTheDatabaseAddsAndLiftsWhatOtherReplicasDid() {
    Restrictions r = new Restrictions();
    Restriction keep = new Restriction("key:k1", Restriction.Kind.THROTTLE, 1, "alr_1", "retry storm", T);
    Restriction gone = new Restriction("key:k2", Restriction.Kind.SUSPEND, 0, "alr_2", "runaway automation", T);
    Restriction added = new Restriction("agent:a", Restriction.Kind.SUSPEND, 0, "alr_3", "spend spike", T);
    r.put(keep);
    r.put(gone);
    assertThat(r.check("k1", null, null, T)).isNull();

    r.syncTo(List.of(keep, added));

    assertThat(r.all()).containsExactlyInAnyOrder(keep, added);
    assertThat(r.check("k1", null, null, T)).as("the minute's count goes on").isNotNull();
    assertThat(r.check("k2", null, null, T)).isNull();
    assertThat(r.check("k3", "a", null, T)).isNotNull();
  }
}
