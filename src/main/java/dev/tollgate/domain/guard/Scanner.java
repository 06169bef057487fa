package dev.tollgate.domain.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a set of detectors over a text and merges what they find into one list of findings that do
 * not overlap, sorted by position. Where findings overlap, the longer one wins, and between equally
 * long ones the type declared later in {@link FindingType} (the more harmful): a private-key block
 * hides the API-key-shaped strings inside it, and an IBAN the card-shaped digits inside it.
 *
 * <p>Immutable and thread-safe; build one per policy and share it.
 *
 * <p>Speed (measured, not asserted): a 64 KB prompt dense with numbers — log lines, JSON, ids, dates,
 * and 296 findings — takes about 0.42 ms of CPU per scan with every detector (median; min 0.38 ms),
 * and 64 KB of plain prose 0.1–0.3 ms; adversarial 64 KB texts ({@code "4111 4111 …"}, {@code "a@a@…"},
 * repeated {@code -----BEGIN} lines) 0.3–1 ms once warm. Measured by {@code ScanTimeTest} (thread
 * CPU time of 200 scans after 1,000 warm-up scans; it prints a per-detector breakdown) on a
 * 2-vCPU AMD EPYC VM shared with other builds (load average 12–20), JDK 25; an idle machine does
 * better. Each detector finds anchors cheaply and reads a bounded distance from each, so the time is
 * linear in the text (see the package documentation).
 */
public final class Scanner {

  private static final Comparator<Finding> PRECEDENCE = Comparator.comparingInt(Finding::length).reversed()
      .thenComparing(Finding::type, Comparator.reverseOrder())
      .thenComparingInt(Finding::start);

  private final List<Detector> detectors;
  private final Set<FindingType> types;

  private Scanner(List<Detector> detectors) {
    this.detectors = List.copyOf(detectors);
    EnumSet<FindingType> t = EnumSet.noneOf(FindingType.class);
    for (Detector d : this.detectors) t.add(d.type());
    this.types = Collections.unmodifiableSet(t);
  }

  /** A scanner with every detector. */
  public static Scanner all() {
    return of(EnumSet.allOf(FindingType.class));
  }

  /** A scanner that looks only for the given types (e.g. those a workload class guards). */
  public static Scanner of(Set<FindingType> types) {
    List<Detector> detectors = new ArrayList<>();
    for (FindingType t : FindingType.values()) {
      if (types.contains(t)) detectors.add(detectorFor(t));
    }
    return new Scanner(detectors);
  }

  /** A scanner over the given detectors, for detectors beyond the built-in ones. */
  public static Scanner using(List<Detector> detectors) {
    return new Scanner(detectors);
  }

  static Detector detectorFor(FindingType type) {
    return switch (type) {
      case EMAIL -> new EmailDetector();
      case PHONE -> new PhoneDetector();
      case NATIONAL_ID -> new NationalIdDetector();
      case IBAN -> new IbanDetector();
      case PAYMENT_CARD -> new PaymentCardDetector();
      case API_KEY -> new ApiKeyDetector();
      case PRIVATE_KEY -> new PrivateKeyDetector();
    };
  }

  public Set<FindingType> types() {
    return types;
  }

  /** The findings in {@code text}: non-overlapping, sorted by start. Empty for an empty text. */
  public List<Finding> scan(String text) {
    Objects.requireNonNull(text, "text");
    List<Finding> all = new ArrayList<>();
    for (Detector d : detectors) all.addAll(d.find(text));
    if (all.size() <= 1) return List.copyOf(all);
    all.sort(PRECEDENCE);
    TreeMap<Integer, Finding> kept = new TreeMap<>();
    for (Finding f : all) {
      Map.Entry<Integer, Finding> before = kept.floorEntry(f.start());
      if (before != null && before.getValue().overlaps(f)) continue;
      Map.Entry<Integer, Finding> after = kept.ceilingEntry(f.start());
      if (after != null && after.getValue().overlaps(f)) continue;
      kept.put(f.start(), f);
    }
    return List.copyOf(kept.values());
  }
}
