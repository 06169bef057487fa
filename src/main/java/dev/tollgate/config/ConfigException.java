package dev.tollgate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a config file is refused. It carries every problem found, not just the first, so one
 * edit can fix them all; {@link #getMessage()} renders one line per error.
 */
public final class ConfigException extends RuntimeException {

  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    if (errors == null || errors.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one error");
    this.errors = List.copyOf(errors);
  }

  public static ConfigException of(String file, String keyPath, String message) {
    return new ConfigException(List.of(new ConfigError(file, keyPath, message)));
  }

  /** Every problem found, in file order as far as the checks allow. */
  public List<ConfigError> errors() {
    return errors;
  }

  @Override
  public String getMessage() {
    return errors.stream().map(ConfigError::render).collect(Collectors.joining("\n"));
  }
}
