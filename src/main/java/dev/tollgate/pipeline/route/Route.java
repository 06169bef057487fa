package dev.tollgate.pipeline.route;

import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.Stage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses the model that serves the request. In this build: the model the client named, if it is
 * configured and the key may use it. An unknown name is answered with the closest configured names,
 * so that a typo is a one-line fix.
 */
public final class Route implements Stage {

  @Override
  public Decision apply(Exchange x) {
    String asked = x.requestedModel();
    ModelRoute route = x.state().models().get(asked);
    VirtualKey key = x.key();
    if (route == null) {
      List<String> closest = closest(asked, x.state().models().keySet().stream().filter(key::allowsModel).toList(), 3);
      return Decision.stop(GatewayError.of(ErrorKind.MODEL_NOT_FOUND,
          "The model '" + asked + "' does not exist on this gateway."
              + (closest.isEmpty() ? "" : " Did you mean: " + String.join(", ", closest) + "?")
              + " GET /v1/models lists the models your key may use.",
          Map.of("closest_models", closest)));
    }
    if (!key.allowsModel(asked)) {
      return Decision.stop(GatewayError.of(ErrorKind.MODEL_NOT_ALLOWED,
          "The key '" + key.name() + "' may not use the model '" + asked + "'. Allowed: "
              + String.join(", ", key.allowedModels()) + ".",
          Map.of("allowed_models", key.allowedModels())));
    }
    x.routed(route, "requested");
    return Decision.CONTINUE;
  }

  /** Names ordered by edit distance to {@code asked}, then alphabetically; only plausible ones. */
  static List<String> closest(String asked, List<String> names, int n) {
    String a = asked.toLowerCase(java.util.Locale.ROOT);
    int limit = Math.max(3, a.length() / 2);
    return names.stream()
        .filter(name -> distance(a, name.toLowerCase(java.util.Locale.ROOT)) <= limit
            || name.toLowerCase(java.util.Locale.ROOT).contains(a) || a.contains(name.toLowerCase(java.util.Locale.ROOT)))
        .sorted(Comparator.comparingInt((String name) -> distance(a, name.toLowerCase(java.util.Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .limit(n)
        .toList();
  }

  static int distance(String s, String t) {
    int[] prev = new int[t.length() + 1];
    int[] cur = new int[t.length() + 1];
    for (int j = 0; j <= t.length(); j++) prev[j] = j;
    for (int i = 1; i <= s.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= t.length(); j++) {
        int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    return prev[t.length()];
  }
}
