package dev.tollgate.domain.pricing;

import java.util.Objects;

/**
 * One model in a price catalog: its name as clients ask for it, who serves it, what kind of call
 * it answers, its price and its context limits (which admission uses to reserve the worst case).
 *
 * @param provider the serving provider as the source names it, e.g. {@code openai}, {@code bedrock}
 * @param mode the kind of call: {@code chat}, {@code embedding}, {@code completion}, {@code responses}…
 * @param maxInputTokens the prompt limit, or {@code null} when the source does not say
 * @param maxOutputTokens the completion limit, or {@code null} when the source does not say
 */
public record CatalogEntry(
    String model, String provider, String mode, Price price, Integer maxInputTokens, Integer maxOutputTokens) {

  public CatalogEntry {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(price, "price");
    if (model.isBlank()) throw new IllegalArgumentException("model name cannot be blank");
  }
}
