package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The detectors against the positive and negative corpora in {@code src/test/resources/guard/}. */
class CorpusTest {

  private static final Scanner ALL = Scanner.all();

  static Stream<Corpus.Case> positives() {
    return Corpus.files("positive-");
  }

  static Stream<Corpus.Case> negatives() {
    return Corpus.files("negative-");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("positives")
  void everyMarkedValueIsFoundAndNothingElse(Corpus.Case c) {
    assertThat(ALL.scan(c.text())).as(c.text()).isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("positives")
  void aPositiveIsFoundByItsOwnDetectorAlone(Corpus.Case c) {
    Detector only = Scanner.detectorFor(c.expected().get(0).type());
    assertThat(only.find(c.text())).as(c.text()).isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("negatives")
  void aNegativeGivesNoFindingAtAll(Corpus.Case c) {
    // Each detector alone, so that one detector's hit cannot hide behind another's longer one.
    for (FindingType t : FindingType.values()) {
      assertThat(Scanner.detectorFor(t).find(c.text())).as(t + " in: " + c.text()).isEmpty();
    }
  }

  @Test
  void everyTypeHasAPositiveCorpus() {
    List<FindingType> covered = positives().map(c -> c.expected().get(0).type()).distinct().toList();
    assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FindingType.class));
  }
}
