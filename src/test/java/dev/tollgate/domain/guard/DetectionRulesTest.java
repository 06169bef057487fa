package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One rule per test, each a table of texts that must be found whole, or not at all, by the detector
 * the rule belongs to. The corpora hold the broad cases; these pin down the edges of each rule.
 */
class DetectionRulesTest {

  private static void assertFoundWhole(FindingType type, String text, boolean found) {
    List<Finding> findings = Scanner.detectorFor(type).find(text);
    if (found) {
      assertThat(findings).as(text).containsExactly(new Finding(type, 0, text.length()));
    } else {
      assertThat(findings).as(text).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "4111111111111111, true", "4111111111119, true", "41111111111111113, false", "4222222222222, true",
      "5555555555554444, true", "2221000000000009, true", "2720990000000007, true", "2721000000000004, false",
      "378282246310005, true", "3782822463100052, false",
      "6011111111111117, true", "6445644564456445, true", "6500000000000002, true",
      "3530111333300000, true", "3589000000000003, true",
      "30569309025904, true", "36000000000008, true", "3060000000000001, false",
      "6200000000000005, true",
      "1234567812345670, false", "7000000000000000003, false", "9999999999999995, false"})
  void cardsNeedANetworkPrefixAtALengthThatNetworkIssues(String number, boolean found) {
    assertFoundWhole(FindingType.PAYMENT_CARD, number, found);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"4111111111111111, true", "4111111111111112, false", "5555555555554445, false", "378282246310006, false"})
  void cardsMustPassTheLuhnCheck(String number, boolean found) {
    assertFoundWhole(FindingType.PAYMENT_CARD, number, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'4111 1111 1111 1111', true", "'4111-1111-1111-1111', true", "'3782 822463 10005', true",
      "'4111 1111-1111 1111', false", "'4111  1111 1111 1111', false", "'41111 111 1111 1111', false",
      "'411 1111 1111 11111', false", "'4111 11 11 1111 1111', false"})
  void cardGroupsStartWithFourAndUseOneKindOfSingleSeparator(String number, boolean found) {
    assertFoundWhole(FindingType.PAYMENT_CARD, number, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'GB82 WEST 1234 5698 7654 32', true", "'GB82WEST12345698765432', true",
      "'GB82 WEST 1234 5698 7654 3', false", "'GB82 WEST 1234 5698 7654 321', false",
      "'GB82 WEST 12345698765432', false", "'GB82WEST 1234 5698 7654 32', false",
      "'gb82 west 1234 5698 7654 32', false", "'ZZ82 WEST 1234 5698 7654 32', false",
      "'GB83 WEST 1234 5698 7654 32', false"})
  void ibansHaveTheirCountrysLengthInOneLayoutAndACheckDigitThatHolds(String iban, boolean found) {
    assertFoundWhole(FindingType.IBAN, iban, found);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "078-05-1120, true", "001-01-0001, true", "899-99-9999, true",
      "000-12-3456, false", "666-12-3456, false", "900-12-3456, false", "999-12-3456, false",
      "123-00-4567, false", "123-45-0000, false", "123-456-789, false", "1234-56-789, false"})
  void ssnsAreDashedThreeTwoFourWithoutTheNumbersNeverIssued(String ssn, boolean found) {
    assertFoundWhole(FindingType.NATIONAL_ID, ssn, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'SSN 078051120', true", "'social security no. 078 05 1120', true", "'My ssn: 078051120', true",
      "'ID 078051120', false", "'078 05 1120', false", "'lessn 078051120', false"})
  void bareAndSpacedSsnsNeedAContextWord(String text, boolean found) {
    List<Finding> findings = Scanner.detectorFor(FindingType.NATIONAL_ID).find(text);
    assertThat(findings).as(text).hasSize(found ? 1 : 0);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "'AB 12 34 56 C', true", "'CE 12 34 56 D', true",
      "'DA 12 34 56 C', false", "'AO 12 34 56 C', false", "'GB 12 34 56 C', false", "'NK 12 34 56 A', false",
      "'AB 12 34 56 E', false", "'AB 12 34 56', false", "'AB123456C', false"})
  void ninosHaveAnIssuedPrefixAndASuffixFromAToD(String nino, boolean found) {
    assertFoundWhole(FindingType.NATIONAL_ID, nino, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'+14155552671', true", "'+1 415 555 2671', true", "'+358 40 123 4567', true",
      "'+0 415 555 2671', false", "'+12345678', false", "'+123456789', false", "'+1234567890123456', false",
      "'+100.000.000', false", "'+100 000 000', false"})
  void internationalNumbersHaveNineToFifteenDigitsAndAreNotAmounts(String phone, boolean found) {
    assertFoundWhole(FindingType.PHONE, phone, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'415-555-2671', true", "'(415) 555-2671', true", "'1-415-555-2671', true",
      "'115-555-2671', false", "'415-155-2671', false", "'415-555.2671', false", "'415/555/2671', false",
      "'4155-55-2671', false", "'415-5552-671', false"})
  void northAmericanNumbersAreThreeThreeFourWithValidAreaAndExchange(String phone, boolean found) {
    assertFoundWhole(FindingType.PHONE, phone, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'020 7946 0958', true", "'0161 496 0000', true", "'01.23.45.67.89', true",
      "'00 44 20 7946 09', false", "'020 7946 09', false", "'0207 946 0958', true", "'020 7946 09581', false", "'020-7946 0958', false", "'0 207 946 0958', false",
      "'020.7946.0958', false", "'01/12/2026', false"})
  void trunkZeroNumbersHaveTenOrElevenDigitsInGroupsOfAtLeastTwo(String phone, boolean found) {
    assertFoundWhole(FindingType.PHONE, phone, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'call 4155552671', true", "'phone: 02079460958', true", "'Tel. 14155552671', true",
      "'id 4155552671', false", "'hotel 4155552671', false", "'called 4155552671', false", "'call 1732531200', false"})
  void bareNumbersAreFoundOnlyAfterAPhoneWord(String text, boolean found) {
    assertThat(Scanner.detectorFor(FindingType.PHONE).find(text)).as(text).hasSize(found ? 1 : 0);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "jane@example.com, true", "jane.doe+x@a-b.example.org, true", "j@x.io, true",
      "jane@example, false", "jane@example.c, false", "jane@-example.com, false", "jane@example-.com, false",
      "jane@example.123, false", "jane.@example.com, false", "@example.com, false", "logo@2x.png, false"})
  void emailsHaveALocalPartAndAHostWithAnAlphabeticTopLevelDomain(String email, boolean found) {
    assertFoundWhole(FindingType.EMAIL, email, found);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "AKIAIOSFODNN7EXAMPLE, true", "AKIAIOSFODNN7EXAMPL, false", "AKIAIOSFODNN7EXAMPLEX, false",
      "AKIAiosfodnn7example, false", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A, true", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5, false",
      "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q, true", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6, false",
      "tg-0123456789abcdef0123456789abcdef01234567, true", "tg-0123456789ABCDEF0123456789abcdef01234567, false",
      "sk-Ab3dEf5gHi7jKl9mNo1pQr3s, true", "sk-learn-compatible-wrapper-v2, false", "sk-abcdefghijklmnopqrstuvwxyz, false",
      "xoxb-123456789012-AbCdEfGhIjKl, true", "xoxb-notanumber-AbCdEfGhIjKl, false",
      "sk_live_51Hx2yZ3aB4cD5eF6, true", "sk_live_short, false"})
  void apiKeysHaveTheirProvidersPrefixCharactersAndLength(String key, boolean found) {
    assertFoundWhole(FindingType.API_KEY, key, found);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
      "'mask-Ab3dEf5gHi7jKl9mNo1pQr3s', false", "'x_AKIAIOSFODNN7EXAMPLE', false", "'=AKIAIOSFODNN7EXAMPLE', true",
      "'\"AKIAIOSFODNN7EXAMPLE\"', true", "'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', true"})
  void apiKeysStartATokenRatherThanContinueAWord(String text, boolean found) {
    assertThat(Scanner.detectorFor(FindingType.API_KEY).find(text)).as(text).hasSize(found ? 1 : 0);
  }
}
