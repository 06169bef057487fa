package dev.tollgate.config;

/**
 * YAML {@code admission:} — default_output_tokens (4096: reserved for output when a request sets no
 * max_tokens and the model's output limit is unknown) and tokenizer_safety_percent (110: prompts for
 * models whose tokenizer is not public are counted this much higher).
 */
public record AdmissionConfig(long defaultOutputTokens, int tokenizerSafetyPercent) {

  public static AdmissionConfig defaults() {
    return new AdmissionConfig(4096, 110);
  }
}
