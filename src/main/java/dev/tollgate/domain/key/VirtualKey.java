package dev.tollgate.domain.key;

import dev.tollgate.domain.attribution.Attribution;
import java.time.Instant;
import java.util.List;

/**
 * A credential a client presents instead of a provider key. Only the SHA-256 of the secret is kept;
 * the secret itself is shown once, when the key is made.
 *
 * @param id stable identifier, e.g. {@code key_01J…}
 * @param name human name, unique; what the ledger records as {@code key}
 * @param secretHash lowercase hex SHA-256 of the secret
 * @param secretPrefix the first characters of the secret ({@code tg-ab12…}), to recognise it in lists
 * @param defaults attribution applied to every request made with this key; its org and team cannot be
 *     overridden by a request header
 * @param allowedModels model names this key may use; empty means every configured model
 * @param source {@code config} for keys declared in the YAML, {@code api} for keys made at runtime
 */
public record VirtualKey(
    String id,
    String name,
    String secretHash,
    String secretPrefix,
    Attribution defaults,
    List<String> allowedModels,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    String source) {

  public VirtualKey {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    if (defaults == null) defaults = Attribution.EMPTY;
  }

  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  public boolean allowsModel(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }
}
