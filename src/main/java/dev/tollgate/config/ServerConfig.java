package dev.tollgate.config;

import java.time.Duration;

/**
 * YAML {@code server:}. Keys: host (default 127.0.0.1), port (8400), max_body_bytes (4194304),
 * connect_timeout (5s), request_timeout (600s; the whole upstream call, a stream included),
 * idle_timeout (120s; longest silence inside a stream), upstream_pool_size (256 connections per provider).
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration idleTimeout,
    int upstreamPoolSize) {

  public ServerConfig withPort(int otherPort) {
    return new ServerConfig(host, otherPort, maxBodyBytes, connectTimeout, requestTimeout, idleTimeout, upstreamPoolSize);
  }

  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8400, 4L * 1024 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(600),
        Duration.ofSeconds(120), 256);
  }
}
