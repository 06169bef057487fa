package dev.tollgate.config;

/** YAML {@code admin:}. {@code token} is the bootstrap bearer token of the admin API; null disables it. */
public record AdminConfig(String token) {}
