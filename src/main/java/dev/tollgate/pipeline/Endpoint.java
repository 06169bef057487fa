package dev.tollgate.pipeline;

/** The data-plane operations the pipeline serves; each names its upstream path. */
public enum Endpoint {
  CHAT_COMPLETIONS("/chat/completions");

  private final String upstreamPath;

  Endpoint(String upstreamPath) {
    this.upstreamPath = upstreamPath;
  }

  public String upstreamPath() {
    return upstreamPath;
  }
}
