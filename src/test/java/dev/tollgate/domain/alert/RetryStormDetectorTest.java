package dev.tollgate.domain.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retry storms (one prompt again and again from one key and workflow) against traffic that only resembles them. */
class RetryStormDetectorTest {

  private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

  @Test
  void aClientRetryingOnePromptInALoopIsReportedOnceAtTheTenthCopy() {
    RetryStormDetector d = new RetryStormDetector(10, Duration.ofMinutes(5));
    List<RetryStormDetector.Storm> storms = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      RetryStormDetector.Storm s = d.arrived("key-sync", "nightly-sync", "p-abc", T0.plusSeconds(i * 3L));
      if (s != null) storms.add(s);
      if (i == 9) assertThat(storms).as("the tenth copy makes the storm").hasSize(1);
    }

    assertThat(storms).containsExactly(new RetryStormDetector.Storm("key-sync", "nightly-sync", "p-abc", 10, T0));
  }

  @Test
  void aChatWithDistinctPromptsAndAClassifierOverManyInputsAreNotStorms() {
    RetryStormDetector d = new RetryStormDetector(10, Duration.ofMinutes(5));
    List<RetryStormDetector.Storm> storms = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // A conversation: each turn carries the whole history, so each prompt hash is new.
      storms.add(d.arrived("key-chat", "support-chat", "turn-" + i, T0.plusSeconds(i * 5L)));
      // A classifier: one system prompt, a different ticket each time, 500 a minute.
      for (int k = 0; k < 500; k++) storms.add(d.arrived("key-triage", "triage", "ticket-" + i + "-" + k, T0.plusSeconds(i * 60L)));
    }
    storms.removeIf(s -> s == null);

    assertThat(storms).isEmpty();
  }

  @Test
  void copiesSpreadWiderThanTheWindowOrFromOtherKeysAreNotAStorm() {
    RetryStormDetector d = new RetryStormDetector(5, Duration.ofMinutes(5));
    List<RetryStormDetector.Storm> storms = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // The same daily-summary prompt every two minutes: only two or three fall in any five minutes.
      storms.add(d.arrived("key-a", "digest", "p-same", T0.plus(Duration.ofMinutes(2L * i))));
      // Sixteen services asking the same question within a minute: one copy per key.
      if (i < 16) storms.add(d.arrived("key-" + i, "faq", "p-faq", T0.plusSeconds(i)));
    }
    storms.removeIf(s -> s == null);

    assertThat(storms).isEmpty();
  }

  @Test
  void aStormThatStopsForAWholeWindowAndStartsAgainIsReportedAgain() {
    RetryStormDetector d = new RetryStormDetector(3, Duration.ofMinutes(1));
    List<RetryStormDetector.Storm> storms = new ArrayList<>();
    for (int burst = 0; burst < 2; burst++) {
      Instant start = T0.plus(Duration.ofMinutes(10L * burst));
      for (int i = 0; i < 6; i++) {
        RetryStormDetector.Storm s = d.arrived("k", null, "p", start.plusSeconds(i));
        if (s != null) storms.add(s);
      }
    }

    assertThat(storms).extracting(RetryStormDetector.Storm::since).containsExactly(T0, T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void oneOffPromptsAreForgottenSoMemoryFollowsTheStormsNotTheTraffic() {
    RetryStormDetector d = new RetryStormDetector(3, Duration.ofMinutes(1));
    for (int i = 0; i < 100_000; i++) d.arrived("k", "w", "p-" + i, T0.plusMillis(i * 10L));

    assertThat(d.tracked()).isLessThan(12_000);
  }
}
