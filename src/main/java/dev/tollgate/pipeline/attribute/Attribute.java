package dev.tollgate.pipeline.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.outcome.RequestOutcome;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Stage;
import java.util.Map;
import java.util.TreeMap;

/**
 * Works out who and what a request is for. Precedence, highest first: {@code X-Tollgate-*} headers,
 * then the OpenAI body's {@code user} and {@code metadata}, then the key's defaults. The org and the
 * team always come from the key: a caller cannot bill another team by sending a header.
 *
 * <p>{@code metadata} entries named like a dimension (project, workflow, agent, channel,
 * conversation) set it; all others become tags.
 *
 * <p>A business outcome the request reports ({@code X-Tollgate-Outcome}, else {@code metadata.outcome}) is
 * read here too, so that a malformed one is refused before anything is spent.
 */
public final class Attribute implements Stage {

  @Override
  public Decision apply(Exchange x) {
    Attribution d = x.key().defaults();
    JsonNode metadata = x.body() == null ? null : x.body().get("metadata");
    String outcome = pick(x.header("x-tollgate-outcome"), meta(metadata, "outcome"), null);
    if (outcome != null) {
      try {
        x.outcome(RequestOutcome.parse(outcome));
      } catch (IllegalArgumentException e) {
        return Decision.stop(GatewayError.of(ErrorKind.INVALID_REQUEST, "Invalid X-Tollgate-Outcome: " + e.getMessage() + "."));
      }
    }
    String bodyUser = x.body() == null ? null : text(x.body().get("user"));

    Map<String, String> tags = new TreeMap<>(d.tags());
    if (metadata != null && metadata.isObject()) {
      metadata.fields().forEachRemaining(e -> {
        if (!isDimension(e.getKey()) && e.getValue().isValueNode()) tags.put(e.getKey(), e.getValue().asText());
      });
    }
    tags.putAll(Attribution.parseTags(x.header("x-tollgate-tags")));

    x.attribution(new Attribution(
        x.state().org(),
        d.team(),
        pick(x.header("x-tollgate-project"), meta(metadata, "project"), d.project()),
        pick(x.header("x-tollgate-workflow"), meta(metadata, "workflow"), d.workflow()),
        pick(x.header("x-tollgate-agent"), meta(metadata, "agent"), d.agent()),
        pick(x.header("x-tollgate-user"), bodyUser, d.user()),
        pick(x.header("x-tollgate-channel"), meta(metadata, "channel"), d.channel()),
        pick(x.header("x-tollgate-conversation"), meta(metadata, "conversation"), d.conversation()),
        pick(x.header("x-tollgate-workload-class"), null, d.workloadClass()),
        tags));
    return Decision.CONTINUE;
  }

  private static boolean isDimension(String name) {
    return switch (name) {
      case "project", "workflow", "agent", "channel", "conversation", "outcome" -> true;
      default -> false;
    };
  }

  private static String meta(JsonNode metadata, String field) {
    return metadata == null ? null : text(metadata.get(field));
  }

  private static String text(JsonNode node) {
    return node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
  }

  private static String pick(String first, String second, String third) {
    if (first != null && !first.isBlank()) return first.trim();
    if (second != null) return second;
    return third;
  }
}
