package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {

  private static final Scanner SCANNER = Scanner.all();
  private static final String CARD = "4111 1111 1111 1111";
  private static final String KEY = "sk-proj-Xy7Zq2Lm9Nk4Rt6Vb8Wc1Pd3Fg5Hj0Ks";

  private static Redaction redact(Redactor redactor, String text) {
    return redactor.redact(text, SCANNER.scan(text));
  }

  @Test
  void findingsAreReplacedByNumberedPlaceholdersPerType() {
    Redaction r = redact(Redactor.withDefaultRestore(),
        "Mail jane@example.com or bob@example.com, card " + CARD + ", call +44 20 7946 0958.");
    assertThat(r.text()).isEqualTo("Mail [EMAIL_1] or [EMAIL_2], card [PAYMENT_CARD_1], call [PHONE_1].");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jane@example.com and JANE@Example.COM      | [EMAIL_1] and [EMAIL_1]",
      "4111 1111 1111 1111 and 4111-1111-1111-1111 | [PAYMENT_CARD_1] and [PAYMENT_CARD_1]",
      "GB82 WEST 1234 5698 7654 32 = GB82WEST12345698765432 | [IBAN_1] = [IBAN_1]",
      "+1 415 555 2671 or +1-415-555-2671         | [PHONE_1] or [PHONE_1]",
      "078-05-1120 vs SSN 078 05 1120             | [NATIONAL_ID_1] vs SSN [NATIONAL_ID_1]",
      "AKIAIOSFODNN7EXAMPLE twice: AKIAIOSFODNN7EXAMPLE | [API_KEY_1] twice: [API_KEY_1]"})
  void theSameValueGetsTheSamePlaceholderHoweverItIsWritten(String text, String redacted) {
    assertThat(redact(Redactor.withDefaultRestore(), text).text()).isEqualTo(redacted);
  }

  @Test
  void placeholdersStayConsistentAcrossTheMessagesOfOneRequest() {
    Redactor.Session session = Redactor.withDefaultRestore().session();
    String system = "The user is jane@example.com.";
    String user = "Email bob@example.com and jane@example.com.";
    assertThat(session.redact(system, SCANNER.scan(system))).isEqualTo("The user is [EMAIL_1].");
    assertThat(session.redact(user, SCANNER.scan(user))).isEqualTo("Email [EMAIL_2] and [EMAIL_1].");
    assertThat(session.map().counts()).isEqualTo(Map.of(FindingType.EMAIL, 3));
  }

  @Test
  void restoringPutsBackOnlyTheTypesThePolicyAllows() {
    Redaction r = redact(Redactor.withDefaultRestore(), "Card " + CARD + " belongs to jane@example.com, key " + KEY);
    String answer = "I will email [EMAIL_1] about [PAYMENT_CARD_1]; rotate [API_KEY_1].";
    assertThat(r.map().restore(answer))
        .isEqualTo("I will email jane@example.com about [PAYMENT_CARD_1]; rotate [API_KEY_1].");
  }

  @Test
  void aPolicyThatRestoresNothingLeavesEveryPlaceholder() {
    Redaction r = redact(new Redactor(Set.of()), "mail jane@example.com");
    assertThat(r.map().restoresAnything()).isFalse();
    assertThat(r.map().restore("Hi [EMAIL_1]")).isEqualTo("Hi [EMAIL_1]");
  }

  @Test
  void ibansAndNationalIdsComeBackOnlyWhenThePolicySaysSo() {
    String text = "IBAN GB82 WEST 1234 5698 7654 32, SSN 078-05-1120";
    String answer = "[IBAN_1] / [NATIONAL_ID_1]";
    assertThat(redact(Redactor.withDefaultRestore(), text).map().restore(answer)).isEqualTo(answer);
    Redactor both = new Redactor(EnumSet.of(FindingType.IBAN, FindingType.NATIONAL_ID));
    assertThat(redact(both, text).map().restore(answer)).isEqualTo("GB82 WEST 1234 5698 7654 32 / 078-05-1120");
  }

  @ParameterizedTest
  @EnumSource(value = FindingType.class, names = {"PAYMENT_CARD", "API_KEY", "PRIVATE_KEY"})
  void cardsKeysAndPrivateKeysCanNeverBeMadeRestorable(FindingType type) {
    assertThat(type.mayBeRestored()).isFalse();
    assertThatThrownBy(() -> new Redactor(EnumSet.of(FindingType.EMAIL, type)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(type.wire());
  }

  @Test
  void theRoundTripRestoresTheOriginalWhenEveryTypeInItIsRestorable() {
    String text = "From jane@example.com (+1 415 555 2671) to bob@example.com, re: JANE@EXAMPLE.COM";
    Redaction r = redact(Redactor.withDefaultRestore(), text);
    assertThat(r.text()).doesNotContain("@", "415");
    // The second spelling of Jane's address comes back as the first: same value, same placeholder.
    assertThat(r.map().restore(r.text()))
        .isEqualTo("From jane@example.com (+1 415 555 2671) to bob@example.com, re: jane@example.com");
  }

  @Test
  void placeholderShapedTextAlreadyInThePromptIsNeverReused() {
    String text = "Earlier you wrote [EMAIL_1] and [PAYMENT_CARD_1]; my mail is jane@example.com, card " + CARD;
    Redaction r = redact(Redactor.withDefaultRestore(), text);
    assertThat(r.text()).isEqualTo("Earlier you wrote [EMAIL_1] and [PAYMENT_CARD_1]; my mail is [EMAIL_2], card [PAYMENT_CARD_2]");
    assertThat(r.map().restore("[EMAIL_1] [EMAIL_2]")).isEqualTo("[EMAIL_1] jane@example.com");
  }

  @Test
  void countsCountEveryOccurrenceForTheLedger() {
    Redaction r = redact(Redactor.withDefaultRestore(), "a@example.com a@example.com b@example.com " + CARD);
    assertThat(r.map().counts()).isEqualTo(Map.of(FindingType.EMAIL, 3, FindingType.PAYMENT_CARD, 1));
    assertThat(r.map().countsByWire()).isEqualTo(Map.of("email", 3, "payment_card", 1));
    assertThat(r.map().isEmpty()).isFalse();
  }

  @Test
  void aTextWithoutFindingsIsReturnedAsItIs() {
    String text = "nothing to see";
    Redaction r = redact(Redactor.withDefaultRestore(), text);
    assertThat(r.text()).isSameAs(text);
    assertThat(r.map().isEmpty()).isTrue();
    assertThat(r.map().restore("[EMAIL_1]")).isEqualTo("[EMAIL_1]");
  }

  @Test
  void noToStringShowsAValue() {
    String text = "jane@example.com " + CARD + " " + KEY + " +44 20 7946 0958";
    Redaction r = redact(Redactor.withDefaultRestore(), text);
    Redactor.Session session = Redactor.withDefaultRestore().session();
    session.redact(text, SCANNER.scan(text));
    for (Object o : List.of(r, r.map(), session.map(), SCANNER.scan(text), r.map().restorer())) {
      assertThat(o.toString()).doesNotContain("jane", "4111", "sk-proj", "7946");
    }
    assertThat(r.map().toString()).contains("email=1", "payment_card=1", "api_key=1", "phone=1");
  }

  @Test
  void findingsOutOfOrderOrOverlappingAreRefused() {
    Redactor redactor = Redactor.withDefaultRestore();
    String text = "jane@example.com";
    List<Finding> overlapping = List.of(new Finding(FindingType.EMAIL, 0, 10), new Finding(FindingType.PHONE, 5, 12));
    assertThatThrownBy(() -> redactor.redact(text, overlapping)).isInstanceOf(IllegalArgumentException.class);
    List<Finding> beyond = List.of(new Finding(FindingType.EMAIL, 0, 99));
    assertThatThrownBy(() -> redactor.redact(text, beyond)).isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Integer> cutPoints() {
    return IntStream.rangeClosed(0, "Hi [EMAIL_1], re [PHONE_1]!".length()).boxed();
  }

  @ParameterizedTest(name = "cut at {0}")
  @MethodSource("cutPoints")
  void aStreamedAnswerIsRestoredWhereverThePiecesAreCut(int cut) {
    Redaction r = redact(Redactor.withDefaultRestore(), "jane@example.com +44 20 7946 0958");
    String answer = "Hi [EMAIL_1], re [PHONE_1]!";
    RedactionMap.Restorer restorer = r.map().restorer();
    String out = restorer.push(answer.substring(0, cut)) + restorer.push(answer.substring(cut)) + restorer.finish();
    assertThat(out).isEqualTo("Hi jane@example.com, re +44 20 7946 0958!");
  }

  @Test
  void aStreamedAnswerHoldsBackOnlyWhatCouldStillBecomeAPlaceholder() {
    Redaction r = redact(Redactor.withDefaultRestore(), "jane@example.com");
    RedactionMap.Restorer restorer = r.map().restorer();
    assertThat(restorer.push("a [b] c [EM")).isEqualTo("a [b] c ");
    assertThat(restorer.push("PTY] d [")).isEqualTo("[EMPTY] d ");
    assertThat(restorer.push("x")).isEqualTo("[x");
    assertThat(restorer.push(" [EMAIL_")).isEqualTo(" ");
    assertThat(restorer.finish()).isEqualTo("[EMAIL_");
  }

  @Test
  void aStreamThatRestoresNothingIsPassedThroughUntouched() {
    Redaction r = redact(Redactor.withDefaultRestore(), "card " + CARD);
    RedactionMap.Restorer restorer = r.map().restorer();
    assertThat(restorer.push("your [PAYMENT_")).isEqualTo("your [PAYMENT_");
    assertThat(restorer.push("CARD_1]")).isEqualTo("CARD_1]");
  }
}
