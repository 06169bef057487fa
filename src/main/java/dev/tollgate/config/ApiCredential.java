package dev.tollgate.config;

/**
 * One of a provider's API keys ({@code api_keys:}), used in turn by weight. Metrics and logs name it
 * by {@link #label()}; {@link #toString()} never shows the key.
 *
 * @param name the configured name, or null
 * @param index its position in the list, from 0
 */
public record ApiCredential(String name, int index, String key, int weight) {

  /** The name, or {@code key-N} (N from 1) when it has none. */
  public String label() {
    return name != null ? name : "key-" + (index + 1);
  }

  @Override
  public String toString() {
    return "ApiCredential[" + label() + ", weight=" + weight + "]";
  }
}
