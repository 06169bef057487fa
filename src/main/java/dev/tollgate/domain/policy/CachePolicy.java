package dev.tollgate.domain.policy;

/**
 * A workload class's response-cache settings ({@code cache:} in its config).
 *
 * @param ttlSeconds how long a stored answer may be served
 * @param maxEntries the most answers kept for this class, or null when bounded by bytes
 * @param maxBytes the most bytes of answers kept for this class, or null when bounded by entries
 * @param share who may be served an answer stored for someone else: {@code KEY} (default: the same
 *     key of the same team), {@code TEAM} (any key of the team) or {@code ORG} (anyone in the org)
 * @param byDefault true when requests of the class use the cache unless they send
 *     {@code X-Tollgate-Cache: off}; false when only requests sending {@code on} or {@code refresh} do
 */
public record CachePolicy(long ttlSeconds, Long maxEntries, Long maxBytes, Share share, boolean byDefault) {

  /** The byte bound when a class names neither {@code max_entries} nor {@code max_bytes}. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** The isolation scope of cached answers. */
  public enum Share {
    KEY, TEAM, ORG;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public CachePolicy {
    if (ttlSeconds <= 0) throw new IllegalArgumentException("ttl_s must be positive");
    if (maxEntries == null && maxBytes == null) maxBytes = DEFAULT_MAX_BYTES;
    if (share == null) share = Share.KEY;
  }

  /** Only a TTL: bounded to {@link #DEFAULT_MAX_BYTES}, isolated per key, on by default. */
  public static CachePolicy ttl(long ttlSeconds) {
    return new CachePolicy(ttlSeconds, null, null, Share.KEY, true);
  }
}
