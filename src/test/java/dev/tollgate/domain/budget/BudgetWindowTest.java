package dev.tollgate.domain.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetWindowTest {

  @ParameterizedTest(name = "{0} at {1} in {2} runs {3} – {4}")
  @CsvSource({
      // Just before midnight UTC on Nov 30 is already December 1st in Berlin.
      "MONTH, 2026-11-30T23:30:00Z, Europe/Berlin,    2026-11-30T23:00:00Z, 2026-12-31T23:00:00Z",
      "MONTH, 2026-11-30T22:30:00Z, Europe/Berlin,    2026-10-31T23:00:00Z, 2026-11-30T23:00:00Z",
      "MONTH, 2026-12-01T04:59:00Z, America/New_York, 2026-11-01T04:00:00Z, 2026-12-01T05:00:00Z",
      // The month that contains the end of DST is an hour longer in local time.
      "MONTH, 2026-10-15T12:00:00Z, Europe/Berlin,    2026-09-30T22:00:00Z, 2026-10-31T23:00:00Z",
      "DAY,   2026-03-29T12:00:00Z, Europe/Berlin,    2026-03-28T23:00:00Z, 2026-03-29T22:00:00Z",
      "DAY,   2026-11-25T02:00:00Z, Asia/Kolkata,     2026-11-24T18:30:00Z, 2026-11-25T18:30:00Z",
      "HOUR,  2026-11-25T10:59:59Z, Asia/Kolkata,     2026-11-25T10:30:00Z, 2026-11-25T11:30:00Z",
      "MINUTE,2026-11-25T10:00:30Z, UTC,              2026-11-25T09:59:30Z, 2026-11-25T10:00:30Z",
  })
  void periodsFollowTheOrgsCalendar(WindowKind kind, Instant now, ZoneId zone, Instant start, Instant end) {
    BudgetWindow.Span span = BudgetWindow.of(kind).spanAt(now, zone);
    assertThat(span.start()).isEqualTo(start);
    assertThat(span.end()).isEqualTo(end);
  }

  @ParameterizedTest
  @CsvSource({"MONTH", "DAY", "HOUR"})
  void consecutivePeriodsHaveDistinctKeys(WindowKind kind) {
    BudgetWindow w = BudgetWindow.of(kind);
    ZoneId zone = ZoneId.of("Europe/Berlin");
    BudgetWindow.Span first = w.spanAt(Instant.parse("2026-10-25T00:30:00Z"), zone);
    BudgetWindow.Span next = w.spanAt(first.end(), zone);
    assertThat(next.key()).isNotEqualTo(first.key());
    assertThat(next.start()).isEqualTo(first.end());
    assertThat(w.spanAt(first.end().minusMillis(1), zone).key()).isEqualTo(first.key());
  }

  @ParameterizedTest
  @CsvSource({
      "2026-10-31T23:59:59Z, false",
      "2026-11-01T00:00:00Z, true",
      "2026-12-31T23:59:59Z, true",
      "2027-01-01T00:00:00Z, false"})
  void aCustomPeriodCoversOnlyItsOwnTime(Instant now, boolean covered) {
    BudgetWindow q4 = new BudgetWindow(WindowKind.CUSTOM, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(q4.spanAt(now, ZoneId.of("UTC")) != null).isEqualTo(covered);
  }
}
