package dev.tollgate.config;

/**
 * One problem found in a config file, located by its key path so the user can find the line to fix.
 *
 * @param file the file as the user named it, e.g. {@code tollgate.yaml}
 * @param keyPath where in the file, e.g. {@code providers.openai.api_key} or {@code keys[2].team}; empty
 *     when the problem concerns the file as a whole (then the message carries the line and column)
 * @param message what is wrong and what is allowed instead; never contains a secret value
 */
public record ConfigError(String file, String keyPath, String message) {

  public ConfigError {
    file = file == null ? "" : file;
    keyPath = keyPath == null ? "" : keyPath;
  }

  /** {@code tollgate.yaml: models.fast-local.provider: unknown provider 'locl'; declared providers: …}. */
  public String render() {
    StringBuilder line = new StringBuilder();
    if (!file.isEmpty()) line.append(file).append(": ");
    if (!keyPath.isEmpty()) line.append(keyPath).append(": ");
    return line.append(message).toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
