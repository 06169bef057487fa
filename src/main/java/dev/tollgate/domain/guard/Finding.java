package dev.tollgate.domain.guard;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a detector found sensitive data: a type and the half-open range {@code [start, end)} of
 * {@code char} offsets in the scanned text. It holds no part of the value, so it is safe to log.
 */
public record Finding(FindingType type, int start, int end) {

  public Finding {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
  }

  public int length() {
    return end - start;
  }

  /** Whether this finding shares at least one character with the other. */
  public boolean overlaps(Finding other) {
    return start < other.end && other.start < end;
  }

  /** The found value in the text it was found in. Handle with care: this is the secret. */
  public String valueIn(String text) {
    return text.substring(start, end);
  }

  /** How many findings there are of each type, in declaration order of the types, for the ledger. */
  public static Map<FindingType, Integer> countByType(Collection<Finding> findings) {
    Map<FindingType, Integer> counts = new EnumMap<>(FindingType.class);
    for (Finding f : findings) counts.merge(f.type(), 1, Integer::sum);
    return Collections.unmodifiableMap(counts);
  }

  /** The same counts keyed by wire name ({@code email → 2}), the shape the ledger stores. */
  public static Map<String, Integer> countByWire(Collection<Finding> findings) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    countByType(findings).forEach((t, n) -> counts.put(t.wire(), n));
    return Collections.unmodifiableMap(counts);
  }
}
