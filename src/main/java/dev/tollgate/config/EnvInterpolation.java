package dev.tollgate.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} inside one scalar value of the config with values
 * from an injected environment ({@code System::getenv} in production), so secrets stay out of the file.
 *
 * <p>It runs on each scalar after the YAML is parsed, so a value from the environment that contains
 * {@code :} or {@code #} is taken literally and cannot change the file's structure. Rules:
 * <ul>
 *   <li>{@code ${VAR}} — the variable's value; unset is an error naming the variable and the key path.
 *       Set but empty gives the empty string.
 *   <li>{@code ${VAR:-default}} — the default when VAR is unset or empty (as in a POSIX shell).
 *   <li>{@code $${…}} — a literal {@code ${…}}.
 * </ul>
 * Values from the environment are not interpolated again. Error messages never repeat the value of a
 * key that may hold a secret (see {@link #isSecretKey}).
 *
 * <p>Instances are immutable and thread-safe if the environment function is.
 */
public final class EnvInterpolation {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final List<String> SECRET_WORDS = List.of("key", "secret", "token", "password", "authorization");

  private final Function<String, String> env;

  public EnvInterpolation(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** Reads the process environment. */
  public static EnvInterpolation fromSystem() {
    return new EnvInterpolation(System::getenv);
  }

  /**
   * Returns {@code value} with every reference replaced, or null after adding one error per problem
   * (unset variable, malformed or unclosed reference) to {@code errors}.
   *
   * @param file the config file's name, for the errors
   * @param keyPath where the value sits, e.g. {@code providers.openai.api_key}
   */
  public String interpolate(String value, String file, String keyPath, List<ConfigError> errors) {
    if (value.indexOf('$') < 0) return value;
    StringBuilder out = new StringBuilder(value.length());
    boolean ok = true;
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (value.startsWith("${", i)) {
        int end = value.indexOf('}', i + 2);
        if (end < 0) {
          errors.add(new ConfigError(file, keyPath,
              "'${' without a closing '}'; write ${NAME} or ${NAME:-default}, or $${ for a literal ${"));
          return null;
        }
        String resolved = resolve(value.substring(i + 2, end), file, keyPath, errors);
        if (resolved == null) ok = false;
        else out.append(resolved);
        i = end + 1;
      } else {
        out.append(value.charAt(i++));
      }
    }
    return ok ? out.toString() : null;
  }

  private String resolve(String expression, String file, String keyPath, List<ConfigError> errors) {
    int sep = expression.indexOf(":-");
    String name = sep < 0 ? expression : expression.substring(0, sep);
    String fallback = sep < 0 ? null : expression.substring(sep + 2);
    if (!NAME.matcher(name).matches()) {
      String shown = isSecretKey(keyPath) ? "" : " in ${" + expression + "}";
      errors.add(new ConfigError(file, keyPath, "malformed environment reference" + shown
          + "; expected ${NAME} or ${NAME:-default}, NAME made of letters, digits and _ (write $${ for a literal ${)"));
      return null;
    }
    if (fallback != null && fallback.contains("${")) {
      errors.add(new ConfigError(file, keyPath, "nested ${…} inside the default of ${" + name
          + ":-…} is not supported; give a plain default"));
      return null;
    }
    String fromEnv = env.apply(name);
    if (fallback != null) return fromEnv == null || fromEnv.isEmpty() ? fallback : fromEnv;
    if (fromEnv == null) {
      errors.add(new ConfigError(file, keyPath, "environment variable " + name
          + " is not set; set it, or give a default with ${" + name + ":-default}"));
      return null;
    }
    return fromEnv;
  }

  /**
   * Whether the value at this key path may be a secret and must never appear in a message: the last
   * key's name contains key, secret, token, password or authorization, or the value is an upstream
   * header (those usually carry credentials).
   */
  public static boolean isSecretKey(String keyPath) {
    if (keyPath == null || keyPath.isEmpty()) return false;
    String last = keyPath.substring(keyPath.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
    String lower = last.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) if (lower.contains(word)) return true;
    return keyPath.contains(".headers.") || keyPath.startsWith("headers.");
  }
}
