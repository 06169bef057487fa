package dev.tollgate.pipeline.route;

import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.ModelChoice;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the model that serves the request, by policy, and says why ({@code route_reason}):
 *
 * <ol>
 *   <li>{@code requested} — the model asked for, when the key and the workload class allow it;
 *   <li>{@code class_preferred} — otherwise the class's preferred model, said openly in
 *       {@code X-Tollgate-Routed-Model}; with no preferred model the request is refused with the
 *       list of models the class allows;
 *   <li>{@code pii_private} — a private-tier model when the guard found data that must not leave.
 * </ol>
 *
 * The class's fallback chain, filtered the same way, is kept for the call stage. An unknown name is
 * answered with the closest configured names, so that a typo is a one-line fix.
 */
public final class Route implements Stage {

  @Override
  public Decision apply(Exchange x) {
    String asked = x.requestedModel();
    Map<String, ModelRoute> models = x.state().models();
    VirtualKey key = x.key();
    WorkloadClass cls = x.workloadClass();
    ModelRoute route = models.get(asked);
    if (route == null) {
      List<String> closest = closest(asked, usable(x).stream().map(ModelRoute::name).toList(), 3);
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
    String reason = "requested";
    var unlock = cls == null || (cls.permits(route.name(), route.tier()) && !cls.needsException(route.tier()))
        ? java.util.Optional.<dev.tollgate.domain.exception.BudgetException>empty() : ModelChoice.unlockedBy(x, route);
    if (unlock.isPresent()) {
      x.exceptionId(unlock.get().id());
      reason = "exception";
    } else if (cls != null && !cls.permits(route.name(), route.tier())) {
      ModelRoute preferred = cls.prefer() == null ? null : models.get(cls.prefer());
      if (preferred == null || !allowed(x, preferred)) {
        List<String> allowed = usable(x).stream().map(ModelRoute::name).toList();
        return Decision.stop(GatewayError.of(ErrorKind.MODEL_NOT_ALLOWED,
            "The workload class '" + cls.name() + "' does not allow the model '" + asked + "'. Allowed: "
                + (allowed.isEmpty() ? "none for this key" : String.join(", ", allowed)) + ".",
            Map.of("allowed_models", allowed, "workload_class", cls.name())));
      }
      route = preferred;
      reason = "class_preferred";
    }
    if (x.privateOnly() && !"private".equals(route.tier())) {
      ModelRoute privateModel = usable(x).stream().filter(m -> "private".equals(m.tier()))
          .min(Comparator.comparingLong(Route::rate)).orElse(null);
      if (privateModel == null) {
        return Decision.stop(GatewayError.of(ErrorKind.POLICY_VIOLATION,
            "This prompt contains " + String.join(", ", x.findings().keySet()) + ", which the workload class '"
                + cls.name() + "' sends only to private-tier models, and no private model is available to this key. "
                + "Remove the sensitive data or ask an admin for a private model.",
            Map.of("findings", List.copyOf(x.findings().keySet()))));
      }
      route = privateModel;
      reason = "pii_private";
    }
    if (cls != null && cls.needsException(route.tier()) && x.exceptionId() == null) {
      return Decision.stop(GatewayError.of(ErrorKind.APPROVAL_REQUIRED,
          "The model '" + route.name() + "' is in the " + route.tier() + " tier, which the workload class '" + cls.name()
              + "' may use only with an approved exception. Request one with POST /admin/v1/exceptions "
              + "{\"scope\", \"team\", \"workload_class\": \"" + cls.name() + "\", \"unlock_tiers\": [\"" + route.tier()
              + "\"], \"justification\", \"expires_at\"}, or use: "
              + String.join(", ", usable(x).stream().filter(m -> !cls.needsException(m.tier())).map(ModelRoute::name).toList()) + ".",
          Map.of("workload_class", cls.name(), "tier", route.tier(), "request_exception", "POST /admin/v1/exceptions")));
    }
    if (!ModelChoice.serves(route, x.endpoint())) return Decision.stop(unserved(x, route));
    x.routed(route, reason);
    x.fallbacks(fallbacks(x, route));
    return Decision.CONTINUE;
  }

  /** The class's fallback chain, minus what the key, the class or the guard does not allow. */
  private static List<ModelRoute> fallbacks(Exchange x, ModelRoute chosen) {
    WorkloadClass cls = x.workloadClass();
    if (cls == null) return List.of();
    List<ModelRoute> out = new ArrayList<>();
    for (String name : cls.fallback()) {
      ModelRoute m = x.state().models().get(name);
      if (m == null || m == chosen || !allowed(x, m) || out.contains(m)) continue;
      if (x.privateOnly() && !"private".equals(m.tier())) continue;
      out.add(m);
    }
    return out;
  }

  /** A model whose provider cannot serve this endpoint: said plainly, with the models that can. */
  private static GatewayError unserved(Exchange x, ModelRoute route) {
    String type = route.placements().get(0).provider().type();
    List<String> able = usable(x).stream().map(ModelRoute::name).toList();
    String which = x.endpoint() == dev.tollgate.pipeline.Endpoint.RESPONSES
        ? "The Responses API (" + x.endpoint().route() + ") is served only by OpenAI-family providers (openai, azure-openai, "
            + "openai-compatible, simulator)"
        : x.endpoint().route() + " is served by openai, azure-openai, openai-compatible, gemini and simulator providers";
    return GatewayError.of(ErrorKind.INVALID_REQUEST,
        which + ", and the model '" + route.name() + "' is served by a provider of type " + type + ". "
            + (able.isEmpty() ? "No model your key may use serves it." : "Use one of: " + String.join(", ", able) + ".")
            + (x.endpoint() == dev.tollgate.pipeline.Endpoint.RESPONSES ? " Or send this model chat requests (/v1/chat/completions or /v1/messages)." : ""),
        Map.of("provider_type", type, "endpoint", x.endpoint().route()));
  }

  private static List<ModelRoute> usable(Exchange x) {
    return ModelChoice.usable(x);
  }

  private static boolean allowed(Exchange x, ModelRoute m) {
    return ModelChoice.allowed(x, m);
  }

  private static long rate(ModelRoute m) {
    return ModelChoice.rate(m);
  }

  /** Names ordered by edit distance to {@code asked}, then alphabetically; only plausible ones. */
  static List<String> closest(String asked, List<String> names, int n) {
    String a = asked.toLowerCase(Locale.ROOT);
    int limit = Math.max(3, a.length() / 2);
    return names.stream()
        .filter(name -> distance(a, name.toLowerCase(Locale.ROOT)) <= limit
            || name.toLowerCase(Locale.ROOT).contains(a) || a.contains(name.toLowerCase(Locale.ROOT)))
        .sorted(Comparator.comparingInt((String name) -> distance(a, name.toLowerCase(Locale.ROOT)))
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
