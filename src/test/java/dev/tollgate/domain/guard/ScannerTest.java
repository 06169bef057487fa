package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ScannerTest {

  private static final String PEM_WITH_KEYS_INSIDE = """
      -----BEGIN PRIVATE KEY-----
      AKIAIOSFODNN7EXAMPLE
      tg-0123456789abcdef0123456789abcdef01234567
      -----END PRIVATE KEY-----""";

  @Test
  void aPrivateKeyBlockWinsOverTheApiKeysInsideIt() {
    String text = "key: " + PEM_WITH_KEYS_INSIDE + " done";
    assertThat(Scanner.detectorFor(FindingType.API_KEY).find(text)).hasSize(2);
    assertThat(Scanner.all().scan(text))
        .containsExactly(new Finding(FindingType.PRIVATE_KEY, 5, 5 + PEM_WITH_KEYS_INSIDE.length()));
  }

  @Test
  void anIbanHidesTheCardShapedDigitsInItsAccountNumber() {
    String iban = withCheckDigits("DE", "4111 1111 1111 1111 00");
    assertThat(Scanner.detectorFor(FindingType.PAYMENT_CARD).find(iban)).hasSize(1);
    assertThat(Scanner.all().scan(iban)).containsExactly(new Finding(FindingType.IBAN, 0, iban.length()));
  }

  @Test
  void anEmailThatContainsDigitsIsOneEmailFinding() {
    String text = "mail 4155552671@example.com now";
    assertThat(Scanner.all().scan(text)).containsExactly(new Finding(FindingType.EMAIL, 5, 27));
  }

  @Test
  void findingsComeSortedByPositionAndNeverOverlap() {
    String text = "Card 4111 1111 1111 1111, mail jane@example.com, call +44 20 7946 0958, "
        + "IBAN GB82 WEST 1234 5698 7654 32, SSN 078-05-1120, key AKIAIOSFODNN7EXAMPLE.";
    List<Finding> found = Scanner.all().scan(text);
    assertThat(found).extracting(Finding::type).containsExactly(FindingType.PAYMENT_CARD, FindingType.EMAIL,
        FindingType.PHONE, FindingType.IBAN, FindingType.NATIONAL_ID, FindingType.API_KEY);
    for (int i = 1; i < found.size(); i++) {
      assertThat(found.get(i).start()).isGreaterThanOrEqualTo(found.get(i - 1).end());
    }
    assertThat(found).extracting(f -> f.valueIn(text)).containsExactly("4111 1111 1111 1111", "jane@example.com",
        "+44 20 7946 0958", "GB82 WEST 1234 5698 7654 32", "078-05-1120", "AKIAIOSFODNN7EXAMPLE");
  }

  @ParameterizedTest
  @EnumSource(FindingType.class)
  void aScannerOfChosenTypesFindsOnlyThose(FindingType only) {
    String text = "4111 1111 1111 1111 jane@example.com +44 20 7946 0958 GB82 WEST 1234 5698 7654 32 "
        + "078-05-1120 AKIAIOSFODNN7EXAMPLE -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----";
    Scanner scanner = Scanner.of(EnumSet.of(only));
    assertThat(scanner.types()).containsExactly(only);
    assertThat(scanner.scan(text)).extracting(Finding::type).containsExactly(only);
  }

  @Test
  void anEmptyTextOrAScannerOfNoTypesFindsNothing() {
    assertThat(Scanner.all().scan("")).isEmpty();
    assertThat(Scanner.of(Set.of()).scan("jane@example.com")).isEmpty();
  }

  @Test
  void aCustomDetectorTakesPartInOverlapResolution() {
    Detector everything = new Detector() {
      @Override public FindingType type() { return FindingType.API_KEY; }
      @Override public List<Finding> find(String text) { return List.of(new Finding(FindingType.API_KEY, 0, text.length())); }
    };
    Scanner scanner = Scanner.using(List.of(Scanner.detectorFor(FindingType.EMAIL), everything));
    assertThat(scanner.scan("to jane@example.com")).containsExactly(new Finding(FindingType.API_KEY, 0, 19));
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "-1, 3", "5, 4"})
  void aFindingMustCoverAtLeastOneCharacter(int start, int end) {
    assertThatThrownBy(() -> new Finding(FindingType.EMAIL, start, end)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findingCountsAreKeyedByTypeAndByWireName() {
    List<Finding> found = Scanner.all().scan("a@example.com b@example.com 4111111111111111");
    assertThat(Finding.countByType(found)).isEqualTo(Map.of(FindingType.EMAIL, 2, FindingType.PAYMENT_CARD, 1));
    assertThat(Finding.countByWire(found)).isEqualTo(Map.of("email", 2, "payment_card", 1));
  }

  @ParameterizedTest
  @CsvSource({
      "EMAIL, email", "PHONE, phone", "NATIONAL_ID, national_id", "IBAN, iban",
      "PAYMENT_CARD, payment_card", "API_KEY, api_key", "PRIVATE_KEY, private_key"})
  void everyTypeHasALowerCaseWireNameThatParsesBack(FindingType type, String wire) {
    assertThat(type.wire()).isEqualTo(wire);
    assertThat(FindingType.fromWire(wire)).contains(type);
  }

  @Test
  void anUnknownWireNameIsNoType() {
    assertThat(FindingType.fromWire("PAYMENT_CARD")).isEmpty();
    assertThat(FindingType.fromWire("credit_card")).isEmpty();
  }

  /** {@code country + check digits + bban}, with the check digits computed (ISO 7064 mod 97-10). */
  static String withCheckDigits(String country, String bban) {
    String compact = bban.replace(" ", "") + country + "00";
    int r = 0;
    for (char c : compact.toCharArray()) {
      r = Character.isDigit(c) ? (r * 10 + (c - '0')) % 97 : (r * 100 + (c - 'A' + 10)) % 97;
    }
    return country + String.format("%02d", 98 - r) + " " + bban;
  }
}
