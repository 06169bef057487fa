package dev.tollgate.domain.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * What an alert's automatic action put on a key, agent or workflow until someone acknowledges or
 * resolves the alert: {@code suspend} refuses every request, {@code throttle} lets through at most
 * {@code perMinute} requests a minute.
 *
 * @param subject {@code key:<name>}, {@code agent:<name>} or {@code workflow:<name>}
 * @param perMinute the requests a minute a throttle allows; 0 for a suspension
 * @param alertId the alert whose acknowledgement lifts it
 * @param reason what callers and the audit log are told
 */
public record Restriction(String subject, Kind kind, int perMinute, String alertId, String reason, Instant since) {

  /** The automatic actions an alert rule may take; {@code NONE} takes none. */
  public enum Kind {
    NONE, THROTTLE, SUSPEND;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static Kind fromWire(String s) {
      for (Kind k : values()) if (k.wire().equals(s)) return k;
      throw new IllegalArgumentException("action must be none, throttle or suspend; got '" + s + "'");
    }
  }

  public Restriction {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(alertId, "alertId");
    if (kind == null || kind == Kind.NONE) throw new IllegalArgumentException("a restriction throttles or suspends");
    if (!(subject.startsWith("key:") || subject.startsWith("agent:") || subject.startsWith("workflow:"))) {
      throw new IllegalArgumentException("only a key, agent or workflow can be restricted, not " + subject);
    }
    if (kind == Kind.THROTTLE && perMinute < 1) throw new IllegalArgumentException("a throttle allows at least 1 request a minute");
  }

  /** How the restriction reads in an alert and its notices: {@code suspend key:nightly-sync}, {@code throttle agent:x to 6/min}. */
  public String describe() {
    return kind == Kind.SUSPEND ? "suspend " + subject : "throttle " + subject + " to " + perMinute + "/min";
  }
}
