package dev.tollgate.pipeline;

/**
 * Every way the gateway refuses or fails a request, in one table: HTTP status, the {@code code} in
 * the error body, the OpenAI error {@code type}, and whether it is a refusal by policy ({@code blocked})
 * or a failure of the work ({@code error}) in the ledger.
 */
public enum ErrorKind {
  INVALID_API_KEY(401, "invalid_api_key", "invalid_request_error", true),
  INVALID_REQUEST(400, "invalid_request", "invalid_request_error", true),
  REQUEST_TOO_LARGE(413, "request_too_large", "invalid_request_error", true),
  MODEL_NOT_FOUND(404, "model_not_found", "invalid_request_error", true),
  MODEL_NOT_ALLOWED(403, "model_not_allowed", "permission_error", true),
  NOT_FOUND(404, "not_found", "invalid_request_error", true),
  BUDGET_EXCEEDED(429, "budget_exceeded", "insufficient_quota", true),
  RATE_LIMIT_EXCEEDED(429, "rate_limit_exceeded", "rate_limit_error", true),
  APPROVAL_REQUIRED(403, "approval_required", "permission_error", true),
  POLICY_VIOLATION(400, "policy_violation", "invalid_request_error", true),
  KEY_SUSPENDED(403, "key_suspended", "permission_error", true),
  /** An agent or workflow suspended by an alert's automatic action until the alert is acknowledged. */
  SUSPENDED_BY_ALERT(403, "suspended", "permission_error", true),
  /** A key, agent or workflow throttled by an alert's automatic action and over its requests of the minute. */
  THROTTLED_BY_ALERT(429, "throttled", "rate_limit_error", true),
  UPSTREAM_ERROR(502, "upstream_error", "api_error", false),
  UPSTREAM_UNAVAILABLE(502, "upstream_unavailable", "api_error", false),
  UPSTREAM_TIMEOUT(504, "upstream_timeout", "api_error", false),
  UPSTREAM_STREAM_BROKEN(502, "upstream_stream_broken", "api_error", false),
  CLIENT_DISCONNECTED(499, "client_disconnected", "api_error", false),
  SHUTTING_DOWN(503, "shutting_down", "api_error", false),
  /** The shared budget counters (Redis) did not answer and on_redis_down is fail_closed; nothing was used. */
  COUNTERS_UNAVAILABLE(503, "counters_unavailable", "api_error", true),
  INTERNAL(500, "internal_error", "api_error", false);

  private final int httpStatus;
  private final String code;
  private final String type;
  private final boolean refusal;

  ErrorKind(int httpStatus, String code, String type, boolean refusal) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.type = type;
    this.refusal = refusal;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return code;
  }

  public String type() {
    return type;
  }

  /** True when the gateway refused before any upstream work (ledger status {@code blocked}). */
  public boolean refusal() {
    return refusal;
  }
}
