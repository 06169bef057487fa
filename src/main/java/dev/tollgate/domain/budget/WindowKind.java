package dev.tollgate.domain.budget;

import java.util.Locale;

/**
 * How a budget's counting period runs. {@code REQUEST} caps one call; {@code CONVERSATION} counts each
 * conversation's whole life; {@code MINUTE} is a rolling sixty seconds (TPM, RPM, cost per minute);
 * {@code HOUR}, {@code DAY} and {@code MONTH} are calendar periods in the org's time zone;
 * {@code CUSTOM} is one fixed period with a start and an end (a quarter, a pilot's six weeks).
 */
public enum WindowKind {
  REQUEST, CONVERSATION, MINUTE, HOUR, DAY, MONTH, CUSTOM;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WindowKind fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
