package dev.tollgate.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.policy.CachePolicy;
import dev.tollgate.pipeline.Exchange;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The response cache's key: SHA-256 over the isolation scope, the client's protocol and answer form,
 * the model that serves the request (after routing) and the request body in canonical form without
 * {@code model}, {@code stream} and {@code stream_options}. Everything else the client sent —
 * messages, tools, temperature, max_tokens, user… — is part of it, so a different setting is a
 * different answer.
 *
 * <p>The scope is what keeps answers inside their boundary: by default the key's team and the key
 * itself; with {@code share: team} the team; with {@code share: org} the org.
 */
final class CacheKey {

  private static final Set<String> NOT_IN_KEY = Set.of("model", "stream", "stream_options");

  private CacheKey() {}

  /**
   * @param body the body as the client sent it (before any redaction by the guard: two prompts that
   *     differ only in an email address must never share an answer)
   */
  static String of(Exchange x, JsonNode body, CachePolicy.Share share) {
    MessageDigest digest = Canonical.sha256();
    Canonical.text(digest, scope(x, share));
    var nativeRequest = x.nativeRequest();
    Canonical.text(digest, nativeRequest == null ? "openai" : nativeRequest.protocol());
    // A stream's replay holds the usage chunk only if its first client asked for it.
    Canonical.text(digest, !x.stream() ? "json" : x.clientAskedForUsage() ? "sse+usage" : "sse");
    Canonical.text(digest, x.route().name());
    Canonical.feed(digest, body, NOT_IN_KEY);
    if (nativeRequest != null) {
      // The native body is what an upstream of that protocol is sent; fields the translation drops still count.
      digest.update(nativeRequest.body());
    }
    return Canonical.hex(digest.digest(), 32);
  }

  static String scope(Exchange x, CachePolicy.Share share) {
    Attribution a = x.attribution();
    return switch (share) {
      case KEY -> "key\u0000" + a.org() + "\u0000" + a.team() + "\u0000" + x.key().name();
      case TEAM -> "team\u0000" + a.org() + "\u0000" + a.team();
      case ORG -> "org\u0000" + a.org();
    };
  }
}
