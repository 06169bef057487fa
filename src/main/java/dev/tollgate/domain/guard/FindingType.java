package dev.tollgate.domain.guard;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of sensitive data the input guard recognises, declared in rising order of how much harm
 * a leak does. The order breaks ties when two findings cover the same characters.
 */
public enum FindingType {
  EMAIL(true),
  PHONE(true),
  /** A US Social Security number or a UK National Insurance number. */
  NATIONAL_ID(true),
  IBAN(true),
  PAYMENT_CARD(false),
  /** An API key or bearer token of a common provider, a Tollgate key, or a JWT. */
  API_KEY(false),
  /** A PEM or PGP private-key block. */
  PRIVATE_KEY(false);

  private final boolean mayBeRestored;
  private final String wire;

  FindingType(boolean mayBeRestored) {
    this.mayBeRestored = mayBeRestored;
    this.wire = name().toLowerCase(Locale.ROOT);
  }

  /** The name used in API bodies, configuration and the ledger, e.g. {@code payment_card}. */
  public String wire() {
    return wire;
  }

  /**
   * Whether a policy may ever put values of this type back into an answer. Card numbers, keys and
   * private keys never come back: a model can be steered into echoing a placeholder anywhere.
   */
  public boolean mayBeRestored() {
    return mayBeRestored;
  }

  /** The type with that wire name, if any. */
  public static Optional<FindingType> fromWire(String wire) {
    for (FindingType t : values()) {
      if (t.wire.equals(wire)) return Optional.of(t);
    }
    return Optional.empty();
  }
}
