package dev.tollgate.domain.policy;

import java.util.Locale;

/** What a workload class does with personal data and secrets found in a prompt. */
public enum PiiAction {
  /** Let it through; count the findings. */
  ALLOW,
  /** Replace each finding by a placeholder before the prompt leaves; put allowed values back in the answer. */
  REDACT,
  /** Send the request to a private-tier model only. */
  ROUTE_PRIVATE,
  /** Refuse the request with 400 {@code policy_violation}. */
  BLOCK;

  public static PiiAction fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
