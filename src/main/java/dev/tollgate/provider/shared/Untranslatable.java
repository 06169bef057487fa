package dev.tollgate.provider.shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * A request that cannot be carried into another protocol without changing its meaning. It is
 * refused with a 400 that names what cannot be translated — never sent half-translated.
 *
 * <p>An inbound edge translates before the route is known, so it cannot refuse on its own: the
 * request may well be served by an adapter of the client's own protocol, which sends the original.
 * It therefore writes what its translation lost into the OpenAI body under {@link #FIELD}; an
 * adapter that would have to send the translation refuses instead ({@link #gapsIn}). An adapter
 * that forgets to look still cannot send a silently wrong request: OpenAI rejects the unknown field.
 */
public final class Untranslatable extends RuntimeException {

  /** Field of the OpenAI body that lists what an inbound translation could not carry over. */
  public static final String FIELD = "tollgate_untranslatable";

  private static final ObjectMapper JSON = new ObjectMapper();

  public Untranslatable(String message) {
    super(message, null, false, false);
  }

  /** Writes the gaps into an OpenAI body (nothing when there are none). */
  public static void mark(com.fasterxml.jackson.databind.node.ObjectNode body, List<String> gaps) {
    if (gaps.isEmpty()) return;
    var arr = body.putArray(FIELD);
    gaps.forEach(arr::add);
  }

  /** The gaps an inbound translation wrote into this OpenAI body, joined; null when there are none. */
  public static String gapsIn(JsonNode body) {
    JsonNode gaps = body == null ? null : body.get(FIELD);
    if (gaps == null || !gaps.isArray() || gaps.isEmpty()) return null;
    StringBuilder sb = new StringBuilder();
    for (JsonNode g : gaps) {
      if (sb.length() > 0) sb.append("; ");
      sb.append(g.asText());
    }
    return sb.toString();
  }

  /** Like {@link #gapsIn(JsonNode)} on raw bytes; an unreadable body has no gaps. */
  public static String gapsIn(byte[] body) {
    try {
      return gapsIn(JSON.readTree(body));
    } catch (IOException e) {
      return null;
    }
  }

  /** The OpenAI-shaped 400 body an adapter answers with instead of sending a request it cannot translate. */
  public static byte[] errorBody(String target, String what) {
    return OpenAiShapes.error("This request cannot be sent to " + target + " faithfully: " + what
        + ". Send it to a model of the protocol it was written for, or leave out what cannot be translated.",
        "invalid_request_error", "untranslatable");
  }
}
