package dev.tollgate.domain.guard;

import java.util.Objects;

/**
 * A text with its findings replaced by placeholders, and the map that can put the restorable ones
 * back into an answer.
 */
public record Redaction(String text, RedactionMap map) {

  public Redaction {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(map, "map");
  }

  /** Prints no text: even redacted, a prompt is the customer's data. */
  @Override
  public String toString() {
    return "Redaction[" + text.length() + " chars, " + map + "]";
  }
}
