package dev.tollgate.service;

import dev.tollgate.config.GatewayConfig;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the audit log says about a running config without giving away a secret: one SHA-256 per
 * top-level section over a canonical rendering with every secret left out (API keys, key secrets,
 * the admin token, alert channel URLs and secrets, upstream headers, passwords in storage URLs), plus, between two
 * configs, the paths of the secrets that changed — compared in memory, never hashed, because a hash
 * of a short secret can be guessed back.
 *
 * <p>The rendering walks the config records by reflection, so a section added to {@link
 * GatewayConfig} is covered without touching this class; a new secret field must be named in {@link
 * #SECRET_FIELDS}.
 */
public final class ConfigFingerprint {

  /** Record components and map keys whose value is a secret ({@code key}: one of a provider's API keys). */
  static final Set<String> SECRET_FIELDS = Set.of("apiKey", "key", "secret", "token", "password", "url", "access_key_id",
      "secret_access_key", "session_token");
  /** Components whose whole map of values may carry credentials (e.g. an Authorization header). */
  static final Set<String> SECRET_MAPS = Set.of("headers");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)([^@/\\s]+)(@)");
  private static final String HIDDEN = "<secret>";

  private final Map<String, String> sections;
  private final Map<String, String> secrets;

  private ConfigFingerprint(Map<String, String> sections, Map<String, String> secrets) {
    this.sections = sections;
    this.secrets = secrets;
  }

  /** The fingerprint of {@code config}; the file it came from ({@code source}) is not part of it. */
  public static ConfigFingerprint of(GatewayConfig config) {
    Map<String, String> sections = new TreeMap<>();
    Map<String, String> secrets = new TreeMap<>();
    for (RecordComponent c : GatewayConfig.class.getRecordComponents()) {
      if (c.getName().equals("source")) continue;
      StringBuilder out = new StringBuilder();
      render(value(c, config), c.getName(), c.getName(), out, secrets);
      sections.put(c.getName(), sha256(out.toString()));
    }
    return new ConfigFingerprint(sections, secrets);
  }

  /** Section name → SHA-256 of its secret-free rendering. */
  public Map<String, String> sections() {
    return sections;
  }

  /** The sections whose rendering differs from {@code before}'s, in name order. */
  public List<String> changedSince(ConfigFingerprint before) {
    Set<String> names = new TreeSet<>(sections.keySet());
    names.addAll(before.sections.keySet());
    return names.stream().filter(n -> !Objects.equals(sections.get(n), before.sections.get(n))).toList();
  }

  /** The paths of secrets added, removed or changed since {@code before} (e.g. {@code providers.openai.apiKey}). */
  public List<String> secretsChangedSince(ConfigFingerprint before) {
    Set<String> paths = new TreeSet<>(secrets.keySet());
    paths.addAll(before.secrets.keySet());
    return paths.stream().filter(p -> !Objects.equals(secrets.get(p), before.secrets.get(p))).toList();
  }

  private static void render(Object v, String name, String path, StringBuilder out, Map<String, String> secrets) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Record r) {
      out.append('{');
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        String field = c.getName();
        out.append(field).append('=');
        Object value = value(c, r);
        if (SECRET_FIELDS.contains(field) && value != null) {
          secrets.put(path + "." + field, value.toString());
          out.append(HIDDEN);
        } else if (SECRET_MAPS.contains(field) && value instanceof Map<?, ?> m) {
          m.forEach((k, x) -> secrets.put(path + "." + field + "." + k, String.valueOf(x)));
          out.append(new TreeSet<>(m.keySet().stream().map(String::valueOf).toList()));
        } else {
          render(value, field, path + "." + field, out, secrets);
        }
        out.append(';');
      }
      out.append('}');
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
      out.append('{');
      sorted.forEach((k, x) -> {
        out.append(k.length()).append(':').append(k).append('=');
        if (SECRET_FIELDS.contains(k) && x != null) {
          secrets.put(path + "." + k, x.toString());
          out.append(HIDDEN);
        } else {
          render(x, k, path + "." + k, out, secrets);
        }
        out.append(';');
      });
      out.append('}');
    } else if (v instanceof Collection<?> list) {
      out.append('[');
      int i = 0;
      for (Object x : list) {
        render(x, name, path + "." + label(x, i++), out, secrets);
        out.append(',');
      }
      out.append(']');
    } else {
      String text = v.toString();
      Matcher m = URL_PASSWORD.matcher(text);
      if (m.find()) {
        secrets.put(path, text);
        text = m.replaceAll("$1" + HIDDEN + "$3");
      }
      out.append(text.length()).append(':').append(text);
    }
  }

  /** A list element's name in a secret's path: a record's {@code name} if it has one (keys), else its index. */
  private static String label(Object x, int index) {
    if (x instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        if (c.getName().equals("name") && value(c, r) instanceof String s) return s;
      }
    }
    return Integer.toString(index);
  }

  private static Object value(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getSimpleName(), e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /** The sections as a JSON object body, for the audit row. */
  String sectionsJson() {
    StringBuilder b = new StringBuilder("{");
    new LinkedHashMap<>(sections).forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
        .append(v).append('"'));
    return b.append('}').toString();
  }

  static String jsonArray(List<String> items) {
    List<String> quoted = new ArrayList<>();
    for (String s : items) quoted.add('"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
    return "[" + String.join(",", quoted) + "]";
  }
}
