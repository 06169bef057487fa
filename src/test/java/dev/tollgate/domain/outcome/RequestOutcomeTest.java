package dev.tollgate.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.money.Money;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grammar of {@code X-Tollgate-Outcome}. */
class RequestOutcomeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "type=ticket_resolved; count=1; value=12.50  | ticket_resolved | 1   | 12.50",
      "type=deal_closed                            | deal_closed     | 1   | 0",
      "count=3;type=crm:lead.qualified-v2;         | crm:lead.qualified-v2 | 3 | 0",
      "  type = refund ;  value = 0.000000001      | refund          | 1   | 0.000000001",
      "value=999999999.999999999;type=big          | big             | 1   | 999999999.999999999",
      "type=x;count=999999999                      | x               | 999999999 | 0"})
  void wellFormedOutcomesParse(String header, String type, long count, String value) {
    RequestOutcome o = RequestOutcome.parse(header);
    assertThat(o.type()).isEqualTo(type);
    assertThat(o.count()).isEqualTo(count);
    assertThat(o.value()).isEqualTo(Money.ofUsd(value));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "count=1                           | type is required",
      "type=                             | type must be",
      "type=ticket resolved              | type must be",
      "type=a; count=0                   | count must be",
      "type=a; count=-1                  | count must be",
      "type=a; count=1.5                 | count must be",
      "type=a; count=1000000000          | count must be",
      "type=a; value=-3                  | value must be",
      "type=a; value=1e3                 | value must be",
      "type=a; value=1000000000          | value must be",
      "type=a; value=0.0000000001        | value must be",
      "type=a; type=b                    | given twice",
      "type=a; colour=red                | unknown parameter 'colour'",
      "type=a;; count=1                  | is not name=value",
      "ticket_resolved                   | is not name=value"})
  void malformedOutcomesSayWhatIsWrong(String header, String message) {
    assertThatThrownBy(() -> RequestOutcome.parse(header)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
