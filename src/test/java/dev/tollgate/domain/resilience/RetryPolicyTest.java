package dev.tollgate.domain.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

  private static final RetryPolicy POLICY = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));

  @ParameterizedTest(name = "retry {0} with random {1} waits {2} ms")
  @CsvSource({
      "0, 0.0, 100", "0, 0.999999, 199",       // cap 200: half of it plus jitter up to the other half
      "1, 0.0, 200", "1, 0.5, 300",            // cap 400
      "3, 0.0, 800",                           // cap 1600
      "5, 0.0, 2500", "5, 0.999999, 4999",     // 6400 is capped at max_backoff 5000
      "40, 0.0, 2500", "70, 0.0, 2500"})       // no overflow however many retries
  void theWaitDoublesWithJitterUpToTheCap(int retry, double random, long expectedMs) {
    assertThat(POLICY.backoffMillis(retry, random)).isEqualTo(expectedMs);
  }

  @ParameterizedTest(name = "Retry-After ''{0}'' is {1} ms")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      2                             | 2000
      0                             | 0
      ' 17 '                        | 17000
      Wed, 25 Nov 2026 12:00:03 GMT | 3000
      Wed, 25 Nov 2026 11:59:00 GMT | 0
      soon                          | null
      -1                            | null
      null                          | null
      """)
  void retryAfterIsReadAsSecondsOrAnHttpDate(String header, Long expectedMs) {
    Duration d = RetryPolicy.retryAfter(header, Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(d == null ? null : d.toMillis()).isEqualTo(expectedMs);
  }
}
