package dev.tollgate.pipeline;

/**
 * The data-plane operations the pipeline serves; each names its upstream path (relative to an
 * OpenAI-style base URL) and the route clients call, for messages.
 */
public enum Endpoint {
  CHAT_COMPLETIONS("/chat/completions", "POST /v1/chat/completions"),
  /** OpenAI embeddings: input tokens only, never streamed. */
  EMBEDDINGS("/embeddings", "POST /v1/embeddings"),
  /** OpenAI's Responses API, passed through to OpenAI-family providers only. */
  RESPONSES("/responses", "POST /v1/responses");

  private final String upstreamPath;
  private final String route;

  Endpoint(String upstreamPath, String route) {
    this.upstreamPath = upstreamPath;
    this.route = route;
  }

  public String upstreamPath() {
    return upstreamPath;
  }

  /** The client-facing route, e.g. {@code POST /v1/embeddings}. */
  public String route() {
    return route;
  }
}
