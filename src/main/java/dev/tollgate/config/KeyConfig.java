package dev.tollgate.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * YAML {@code keys:} entry — a virtual key declared in config. Keys: name and secret (required),
 * team, project, workflow, agent, user, channel, workload_class, tags (map), expires_at (ISO-8601
 * instant), models (names this key may use; default all).
 */
public record KeyConfig(
    String name,
    String secret,
    String team,
    String project,
    String workflow,
    String agent,
    String user,
    String channel,
    String workloadClass,
    Map<String, String> tags,
    Instant expiresAt,
    List<String> models) {}
