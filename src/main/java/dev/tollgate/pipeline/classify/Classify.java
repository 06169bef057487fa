package dev.tollgate.pipeline.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.policy.Classifier;
import dev.tollgate.domain.policy.RequestFacts;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.pipeline.Stage;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives the request its workload class — from the {@code X-Tollgate-Workload-Class} header or the
 * key, else the first matching rule, else the org default — and records why. The class then decides
 * which models the request may use and how its data is guarded.
 */
public final class Classify implements Stage {

  private final PromptEstimator estimator;

  public Classify(PromptEstimator estimator) {
    this.estimator = estimator;
  }

  @Override
  public Decision apply(Exchange x) {
    Classifier policy = x.state().policy();
    Attribution a = x.attribution();
    String header = x.header("x-tollgate-workload-class");
    String named = a.workloadClass();
    String namedBy = header != null && !header.isBlank() ? "header" : "key";
    RequestFacts facts = new RequestFacts(a, x.key().name(), x.requestedModel(), hasTools(x.body()), metadata(x.body()),
        () -> x.promptTokens(() -> estimator.promptTokens(x.requestedModel(), x.body())));
    Classifier.Classification c = policy.classify(facts, named, namedBy);
    if (c == null) {
      return Decision.stop(GatewayError.of(ErrorKind.INVALID_REQUEST, "Unknown workload class '" + named + "' (from the "
          + namedBy + "). Declared classes: " + (policy.classes().isEmpty() ? "none" : String.join(", ", policy.classes().keySet())) + "."));
    }
    x.classified(c.workloadClass(), c.reason());
    if (c.workloadClass() != null && !c.workloadClass().name().equals(a.workloadClass())) {
      x.attribution(new Attribution(a.org(), a.team(), a.project(), a.workflow(), a.agent(), a.user(), a.channel(),
          a.conversation(), c.workloadClass().name(), a.tags()));
    }
    return Decision.CONTINUE;
  }

  private static boolean hasTools(JsonNode body) {
    JsonNode tools = body.get("tools");
    return (tools != null && tools.isArray() && !tools.isEmpty()) || body.has("functions");
  }

  private static Map<String, String> metadata(JsonNode body) {
    Map<String, String> out = new HashMap<>();
    JsonNode m = body.get("metadata");
    if (m != null && m.isObject()) m.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
