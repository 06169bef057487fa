package dev.tollgate.report.efficiency;

import static dev.tollgate.report.efficiency.Rows.T0;
import static dev.tollgate.report.efficiency.Rows.call;
import static dev.tollgate.report.efficiency.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Waste detectors on synthetic ledgers: planted waste is found, clean look-alikes are not. */
class WasteSignalsTest {

  static WasteSignals.Group only(List<LedgerFacts> rows) {
    List<WasteSignals.Group> groups = WasteSignals.of(rows, WasteSignals.By.WORKFLOW);
    assertThat(groups).hasSize(1);
    return groups.get(0);
  }

  @Test
  void theSamePromptAnsweredTwiceWithinADayIsADuplicateAndItsCostIsWaste() {
    var g = only(List.of(call(T0, "k1", "triage", "h1", 100, 20, 1_000), call(T0.plusSeconds(3600), "k2", "triage", "h1", 100, 20, 1_000)));
    assertThat(g.duplicates()).isEqualTo(1);
    assertThat(g.duplicateCost()).isEqualTo(Money.ofNanos(1_000));
    assertThat(g.waste()).isEqualTo(Money.ofNanos(1_000));
    assertThat(g.score()).isEqualTo(70); // 100 − 60 × (1000 / 2000)
  }

  @Test
  void aNightlyBatchOfDistinctPromptsAtTheSameMomentIsNotDuplicates() {
    List<LedgerFacts> rows = new ArrayList<>();
    for (int night = 0; night < 3; night++) {
      for (int i = 0; i < 50; i++) rows.add(call(T0.plus(Duration.ofDays(night)), "batch", "nightly", "doc-" + night + "-" + i, 800, 100, 1_000));
    }
    var g = only(rows);
    assertThat(g.duplicates()).isZero();
    assertThat(g.retries()).isZero();
    assertThat(g.score()).isEqualTo(100);
  }

  @Test
  void theSamePromptMoreThanADayLaterOrInAnotherWorkflowIsNotADuplicate() {
    List<LedgerFacts> rows = List.of(call(T0, "k", "daily-report", "h", 100, 20, 1_000),
        call(T0.plus(Duration.ofHours(25)), "k", "daily-report", "h", 100, 20, 1_000),
        call(T0.plusSeconds(60), "k", "other", "h", 100, 20, 1_000));
    assertThat(WasteSignals.of(rows, WasteSignals.By.WORKFLOW)).allSatisfy(g -> assertThat(g.duplicates()).isZero());
  }

  @Test
  void aRetryAfterAnErrorFromTheSameKeyIsAChainAndTheFailedAttemptIsWaste() {
    LedgerFacts failed = with(call(T0, "k", "agent-loop", "h", 100, 0, 400), "error", null);
    LedgerFacts retried = call(T0.plusSeconds(30), "k", "agent-loop", "h", 100, 20, 1_000);
    var g = only(List.of(failed, retried));
    assertThat(g.retries()).isEqualTo(1);
    assertThat(g.retryCost()).isEqualTo(Money.ofNanos(400));
    assertThat(g.duplicates()).as("a retry is not also a duplicate").isZero();
  }

  @Test
  void anErrorThenTheSamePromptMuchLaterOrFromAnotherKeyIsNoRetryChain() {
    LedgerFacts failed = with(call(T0, "k", "w", "h", 100, 0, 400), "error", null);
    var g = only(List.of(failed, call(T0.plus(Duration.ofMinutes(10)), "k", "w", "h", 100, 20, 1_000),
        call(T0.plusSeconds(20), "other-key", "w", "h", 100, 20, 1_000)));
    assertThat(g.retries()).isZero();
    assertThat(g.retryCost()).isEqualTo(Money.ZERO);
  }

  @ParameterizedTest(name = "{0} in, {1} out → flagged {2}")
  @CsvSource({"4000, 50, true", "12000, 3, true", "3999, 10, false", "8000, 51, false", "200, 2, false"})
  void aLongPromptWithATinyAnswerIsFlagged(long in, long out, boolean flagged) {
    var g = only(List.of(call(T0, "k", "w", "h", in, out, 1_000)));
    assertThat(g.longPromptTinyOutput()).isEqualTo(flagged ? 1 : 0);
  }

  @ParameterizedTest(name = "max_tokens {0}, {1} used → oversized {2}")
  @CsvSource({"4096, 200, true", "1024, 256, true", "1024, 257, false", "1000, 10, false", "2000, 1500, false"})
  void maxTokensFarAboveWhatIsUsedIsFlagged(long maxTokens, long out, boolean flagged) {
    var g = only(List.of(with(call(T0, "k", "w", "h", 100, out, 1_000), "ok", maxTokens)));
    assertThat(g.oversizedMaxTokens()).isEqualTo(flagged ? 1 : 0);
    assertThat(g.withMaxTokens()).isEqualTo(1);
    assertThat(g.unusedMaxTokens()).isEqualTo(flagged ? maxTokens - out : 0);
  }

  @Test
  void theScoreFollowsItsDocumentedFormula() {
    // docs/efficiency.md: W = 0.25, L = 0.5, M = 1 → 100 − 15 − 12.5 − 15 = 57.5 → 58
    assertThat(WasteSignals.score(Money.ofNanos(250), Money.ofNanos(1_000), 1, 2, 3, 3)).isEqualTo(58);
    assertThat(WasteSignals.score(Money.ofNanos(5_000), Money.ofNanos(1_000), 2, 2, 1, 1)).isZero();
    assertThat(WasteSignals.score(Money.ZERO, Money.ZERO, 0, 0, 0, 0)).isEqualTo(100);
  }

  @Test
  void groupsAreOrderedByWasteAndCanBeByAgentOrUser() {
    List<LedgerFacts> rows = List.of(call(T0, "k", "clean", "a", 100, 20, 5_000),
        call(T0, "k", "wasteful", "b", 100, 20, 1_000), call(T0.plusSeconds(5), "k", "wasteful", "b", 100, 20, 1_000));
    assertThat(WasteSignals.of(rows, WasteSignals.By.WORKFLOW)).extracting(WasteSignals.Group::name).containsExactly("wasteful", "clean");
    assertThat(WasteSignals.of(rows, WasteSignals.By.AGENT)).extracting(WasteSignals.Group::name)
        .containsExactly("agent-wasteful", "agent-clean");
    assertThat(WasteSignals.of(rows, WasteSignals.By.USER)).singleElement().satisfies(g -> assertThat(g.duplicates()).isEqualTo(1));
  }

  @Test
  void cacheHitsAreNeverWaste() {
    LedgerFacts first = call(T0, "k", "w", "h", 100, 20, 1_000);
    LedgerFacts hit = new LedgerFacts("hit", T0.plusSeconds(1), "k", "support", "w", null, null, "chat", "openai", "mini", "mini-up",
        "requested", "ok", dev.tollgate.domain.usage.TokenUsage.NONE, Money.ZERO, true, Money.ofNanos(1_000), "h", null, null, null);
    assertThat(only(List.of(first, hit)).duplicates()).isZero();
  }
}
