package dev.tollgate.port;

import java.time.Duration;

/**
 * What the call path reports about upstream health, for metrics: retries, circuit-breaker changes
 * and credential use. Credentials are named by their configured name or position, never by secret.
 */
public interface UpstreamEvents {

  /** Reports nothing. */
  UpstreamEvents NONE = new UpstreamEvents() {};

  /** A failed call is tried again on the same deployment; {@code cause} is e.g. {@code 429}, {@code 503}, {@code timeout}. */
  default void retried(String provider, String deployment, String cause) {}

  /** A deployment's breaker changed state: {@code closed}, {@code open} or {@code half_open}. */
  default void circuitChanged(String provider, String deployment, String state) {}

  /** A credential was used for a call. */
  default void credentialUsed(String provider, String credential) {}

  /** A credential was refused (401/403) or rate limited (429) and is skipped for {@code cooldown}. */
  default void credentialCooledDown(String provider, String credential, int status, Duration cooldown) {}
}
