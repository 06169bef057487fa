package dev.tollgate.pipeline.authenticate;

import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Stage;
import java.time.Clock;
import java.util.Optional;

/**
 * Finds the virtual key a request presents ({@code Authorization: Bearer …} or {@code x-api-key}).
 * Deny by default: no key, an unknown key, a revoked or an expired one all stop here. The secret is
 * never repeated in an answer or a log.
 */
public final class Authenticate implements Stage {

  private final Clock clock;

  public Authenticate(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Decision apply(Exchange x) {
    String secret = presentedSecret(x);
    if (secret == null) {
      return refuse("No API key was given. Send your Tollgate virtual key as 'Authorization: Bearer tg-…' "
          + "or 'x-api-key'; an admin can make one with POST /admin/v1/keys.");
    }
    Optional<VirtualKey> found = x.state().keys().findBySecret(secret);
    if (found.isEmpty()) {
      return refuse("The API key is not a valid Tollgate virtual key. Check the key, or ask an admin for a new one.");
    }
    VirtualKey key = found.get();
    if (key.revokedAt() != null) {
      x.key(key);
      return refuse("The virtual key '" + key.name() + "' was revoked at " + key.revokedAt() + ". Ask an admin for a new one.");
    }
    if (!key.isActiveAt(clock.instant())) {
      x.key(key);
      return refuse("The virtual key '" + key.name() + "' expired at " + key.expiresAt() + ". Ask an admin for a new one.");
    }
    x.key(key);
    return Decision.CONTINUE;
  }

  private static Decision refuse(String message) {
    return Decision.stop(GatewayError.of(ErrorKind.INVALID_API_KEY, message));
  }

  private static String presentedSecret(Exchange x) {
    String auth = x.header("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String s = auth.substring(7).trim();
      if (!s.isEmpty()) return s;
    }
    String apiKey = x.header("x-api-key");
    return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
  }
}
