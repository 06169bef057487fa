package dev.tollgate.domain.budget;

/** What one request uses, or is expected to use at most, in every unit a budget can count. */
public record Consumption(long inputTokens, long outputTokens, long nanos, long requests) {

  public static final Consumption NONE = new Consumption(0, 0, 0, 0);
}
