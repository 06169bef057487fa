package dev.tollgate.domain.exception;

import java.util.Locale;

/**
 * Where an exception stands: requested → approved or denied → active → expired or revoked. Only
 * {@code REQUESTED}, {@code APPROVED}, {@code DENIED} and {@code REVOKED} are stored; {@code ACTIVE}
 * and {@code EXPIRED} follow from an approved exception's start and expiry and the clock.
 */
public enum ExceptionState {
  REQUESTED, APPROVED, DENIED, ACTIVE, EXPIRED, REVOKED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExceptionState fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
