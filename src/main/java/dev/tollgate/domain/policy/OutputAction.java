package dev.tollgate.domain.policy;

import java.util.Locale;

/**
 * What a workload class's output guard does with secrets and personal data found in a model's
 * answer (whole or streamed): nothing, replace them by placeholders, or stop the answer.
 */
public enum OutputAction {
  /** The answer is not scanned. */
  OFF,
  /** Each finding is replaced by a placeholder such as {@code [API_KEY_1]} before it reaches the client. */
  REDACT,
  /** The answer is refused ({@code policy_violation}); a stream ends with an error event before the finding. */
  BLOCK;

  /** {@code off}, {@code redact} or {@code block}; {@code true} means redact and {@code false} off, as in the config. */
  public static OutputAction fromWire(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) return REDACT;
    if (v.equals("false")) return OFF;
    return valueOf(v.toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
