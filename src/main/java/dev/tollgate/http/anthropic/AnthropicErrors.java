package dev.tollgate.http.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.GatewayError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link GatewayError} in Anthropic's error shape,
 * {@code {"type":"error","error":{"type","message",…},"request_id"}}, with the gateway's status. The
 * type follows the status as Anthropic's API reference lists it; an upstream Anthropic error keeps
 * its own type (e.g. {@code overloaded_error}).
 */
final class AnthropicErrors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES = Set.of("invalid_request_error", "authentication_error", "permission_error",
      "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "billing_error",
      "timeout_error");

  private AnthropicErrors() {}

  static String type(GatewayError error) {
    Object upstream = error.details().get("upstream_type");
    if (upstream != null && TYPES.contains(upstream.toString())) return upstream.toString();
    return switch (error.httpStatus()) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  static ObjectNode node(GatewayError error, String requestId) {
    ObjectNode root = JSON.createObjectNode().put("type", "error");
    ObjectNode err = root.putObject("error");
    err.put("type", type(error));
    err.put("message", error.message());
    err.put("code", error.kind().code());
    for (Map.Entry<String, Object> e : error.details().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Number n) err.put(e.getKey(), n.longValue());
      else if (v instanceof List<?> list) {
        var arr = err.putArray(e.getKey());
        list.forEach(item -> arr.add(String.valueOf(item)));
      } else err.put(e.getKey(), String.valueOf(v));
    }
    if (requestId != null) root.put("request_id", requestId);
    return root;
  }

  static byte[] body(GatewayError error, String requestId) {
    return node(error, requestId).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The same error as an SSE {@code error} event, for a stream that has already started. */
  static byte[] event(ObjectNode errorNode) {
    return ("event: error\ndata: " + errorNode + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Answers with the gateway's error in Anthropic's shape and the gateway's status, naming the error
   * code in a header and, for a rate limit, when to retry.
   */
  static void send(ClientChannel transport, GatewayError error, String requestId) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("x-tollgate-error-code", error.kind().code());
    Object retryAfter = error.details().get("retry_after_seconds");
    if (retryAfter != null) headers.put("retry-after", String.valueOf(retryAfter));
    transport.sendBody(error.httpStatus(), headers, body(error, requestId));
  }
}
