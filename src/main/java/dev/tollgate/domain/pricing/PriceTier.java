package dev.tollgate.domain.pricing;

/**
 * A higher rate card that applies to the whole request once its prompt exceeds
 * {@code aboveInputTokens} (e.g. Gemini's and Anthropic's prices above 200K input tokens).
 */
public record PriceTier(long aboveInputTokens, Rates rates) {}
