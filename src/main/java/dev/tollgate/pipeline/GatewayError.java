package dev.tollgate.pipeline;

import java.util.Map;

/**
 * A refusal or failure as a value: its kind, a message that names the cause and the way forward,
 * and extra fields for the error body (e.g. {@code allowed_models}). Turned into the protocol's
 * error shape at the HTTP edge.
 *
 * @param httpStatus the status to answer with; usually {@code kind.httpStatus()}, but an upstream
 *     error keeps the upstream's own status
 * @param details extra JSON fields of the error object; values are strings, numbers or lists of strings
 */
public record GatewayError(ErrorKind kind, int httpStatus, String message, Map<String, Object> details) {

  public GatewayError {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public static GatewayError of(ErrorKind kind, String message) {
    return new GatewayError(kind, kind.httpStatus(), message, Map.of());
  }

  public static GatewayError of(ErrorKind kind, String message, Map<String, Object> details) {
    return new GatewayError(kind, kind.httpStatus(), message, details);
  }
}
