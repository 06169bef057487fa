package dev.tollgate.config;

import dev.tollgate.domain.policy.CachePolicy;
import java.util.List;

/**
 * Reads a workload class's {@code cache:} section: {@code ttl_s} (required), one bound —
 * {@code max_entries} or {@code max_bytes} (neither: 64 MiB) — {@code share} ({@code key} | {@code team}
 * | {@code org}, default {@code key}) and {@code default} ({@code on} | {@code off}, default {@code on}).
 */
final class CacheSettings {

  static final List<String> KEYS = List.of("ttl_s", "max_entries", "max_bytes", "share", "default");
  static final List<String> SHARES = List.of("key", "team", "org");
  /** 16 GiB: a larger in-memory bound is almost certainly a unit mistake. */
  static final long MAX_BYTES = 16L * 1024 * 1024 * 1024;

  private CacheSettings() {}

  /** The policy, or null when the section has an error (already reported with its key path). */
  static CachePolicy parse(Section cache, Long ttl) {
    Long maxEntries = cache.present("max_entries") ? cache.whole("max_entries", 1, 100_000_000) : null;
    Long maxBytes = cache.present("max_bytes") ? cache.whole("max_bytes", 1024, MAX_BYTES) : null;
    boolean ok = true;
    if (maxEntries != null && maxBytes != null) {
      cache.error("max_bytes", "give either max_entries or max_bytes, not both");
      ok = false;
    }
    String share = cache.text("share", "key");
    if (share != null && !SHARES.contains(share)) {
      cache.error("share", "unknown share '" + share + "'; allowed: " + String.join(", ", SHARES));
      ok = false;
    }
    String byDefault = cache.text("default", "on");
    // YAML 1.1 reads a bare on/off as a boolean.
    if ("true".equals(byDefault)) byDefault = "on";
    if ("false".equals(byDefault)) byDefault = "off";
    if (byDefault != null && !byDefault.equals("on") && !byDefault.equals("off")) {
      cache.error("default", "must be on or off");
      ok = false;
    }
    if (!ok || ttl == null || (cache.present("max_entries") && maxEntries == null)
        || (cache.present("max_bytes") && maxBytes == null)) return null;
    return new CachePolicy(ttl, maxEntries, maxBytes,
        CachePolicy.Share.valueOf(share.toUpperCase(java.util.Locale.ROOT)), "on".equals(byDefault));
  }
}
