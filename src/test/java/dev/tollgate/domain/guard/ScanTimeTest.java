package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Measures how long a scan of a 64 KB prompt takes, and prints it (target/surefire-reports/
 * dev.tollgate.domain.guard.ScanTimeTest-output.txt). Times are the scanning thread's CPU time, so
 * that other processes on a busy build machine do not inflate them. Timings are never asserted: they
 * depend on the machine. What is asserted is that adversarial texts are scanned at all — a detector
 * that backtracked would take minutes on them instead of about a millisecond.
 */
class ScanTimeTest {

  private static final int SIZE = 64 * 1024;
  private static final String PARAGRAPH = """
      Hi team, following up on ticket 4821 from 2026-11-25T10:15:30Z: the customer (jane.doe@example.com, \
      +1 415 555 2671) says the charge on card 4111 1111 1111 1111 failed twice at 10:15:30 and again at 11:02. \
      Their IBAN is GB82 WEST 1234 5698 7654 32. Order #4111111111111112, invoice INV-2026-000123, total $1,299.99.
      2026-11-25 10:15:30,123 INFO  [vert.x-eventloop-thread-1] c.t.Router - routed req_8f3a9b2c in 34 ms to 10.0.0.12:8080 (v2.15.0)
      {"id": "550e8400-e29b-41d4-a716-446655440000", "model": "gpt-4o-mini", "tokens": 1532, "ts": 1732531200}
      for (int i = 0; i < items.size(); i++) { total += items.get(i).price() * 1.2; } // commit a94a8fe5ccb19ba61c4c0873d391e987982fbbd3
      Please summarise the attached quarterly report and list the three largest cost drivers by department, with \
      the numbers from the table on page 12, and suggest which workloads could move to a cheaper model tier.
      """;

  static String realisticPrompt() {
    StringBuilder b = new StringBuilder(SIZE + PARAGRAPH.length());
    while (b.length() < SIZE) b.append(PARAGRAPH);
    return b.substring(0, SIZE);
  }

  @Test
  void aScanOfA64KbPromptIsMeasured() {
    String prompt = realisticPrompt();
    Scanner scanner = Scanner.all();
    int findings = scanner.scan(prompt).size();
    // Four findings per paragraph: the e-mail, the phone, the card and the IBAN; nothing else.
    assertThat(findings).isBetween(SIZE / PARAGRAPH.length() * 4, (SIZE / PARAGRAPH.length() + 1) * 4);
    long[] times = times(() -> scanner.scan(prompt), 200);
    System.out.printf("64 KB realistic prompt, %d findings, all detectors: min %d µs, median %d µs, p90 %d µs%n",
        findings, times[0], times[times.length / 2], times[times.length * 9 / 10]);
    for (FindingType t : FindingType.values()) {
      Detector d = Scanner.detectorFor(t);
      System.out.printf("  %-12s median %d µs%n", t.wire(), median(times(() -> d.find(prompt), 30)));
    }
    String prose = "The quick brown fox jumps over the lazy dog while the team reviews costs. ".repeat(SIZE / 74 + 1);
    long[] proseTimes = times(() -> scanner.scan(prose), 50);
    System.out.printf("64 KB of plain prose: min %d µs, median %d µs%n", proseTimes[0], median(proseTimes));
  }

  @Test
  void adversarialTextsAreScannedInLinearTime() {
    Scanner scanner = Scanner.all();
    List<String> texts = List.of(
        "4".repeat(SIZE),
        "4111 ".repeat(SIZE / 5),
        "1-".repeat(SIZE / 2),
        "+1 ".repeat(SIZE / 3),
        "(415) ".repeat(SIZE / 6),
        "a@".repeat(SIZE / 2),
        "a.".repeat(SIZE / 2 - 40) + "@" + "b.".repeat(40),
        "x".repeat(SIZE - 20) + "@example.com",
        "-----BEGIN RSA PRIVATE KEY-----".repeat(SIZE / 31),
        "-----BEGIN ".repeat(SIZE / 11),
        "sk-".repeat(SIZE / 3),
        "sk-" + "a".repeat(SIZE),
        "eyJ".repeat(SIZE / 3),
        "eyJaaaaaaaaaaa.".repeat(SIZE / 15),
        "GB82 ".repeat(SIZE / 5),
        "AB 12 34 ".repeat(SIZE / 9),
        "SSN ".repeat(SIZE / 8) + "123456789 ".repeat(SIZE / 20),
        "[EMAIL_".repeat(SIZE / 7));
    for (String text : texts) {
      long micros = median(times(() -> scanner.scan(text), 3));
      System.out.printf("adversarial %-40s median %d µs%n", "\"" + text.substring(0, 24).replace("\n", " ") + "…\"", micros);
    }
  }

  /** The sorted CPU times in µs of {@code runs} calls, after five times as many to warm up. */
  private static long[] times(Supplier<?> scan, int runs) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < runs * 5; i++) scan.get();
    long[] micros = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      scan.get();
      micros[i] = (cpu.getCurrentThreadCpuTime() - t0) / 1000;
    }
    Arrays.sort(micros);
    return micros;
  }

  private static long median(long[] sorted) {
    return sorted[sorted.length / 2];
  }
}
