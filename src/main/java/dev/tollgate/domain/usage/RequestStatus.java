package dev.tollgate.domain.usage;

/** How a request ended, as the ledger records it. */
public enum RequestStatus {
  /** Served by a provider (or the cache). */
  OK,
  /** Stopped by the gateway before any upstream work: auth, policy, budget, bad input. */
  BLOCKED,
  /** Admitted, but the upstream call failed or the stream broke. */
  ERROR;

  // Named once: wire() is called for every ledger row and metric.
  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static RequestStatus fromWire(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
