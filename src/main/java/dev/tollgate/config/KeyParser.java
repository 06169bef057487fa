package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code keys:}, the virtual keys declared in config, and checks what they refer to. */
final class KeyParser {

  static final int MIN_SECRET_LENGTH = 16;

  private static final List<String> KEY_KEYS = List.of("name", "secret", "team", "project", "workflow", "agent", "user",
      "channel", "workload_class", "tags", "expires_at", "models");

  private KeyParser() {}

  static List<KeyConfig> parse(ParseContext ctx, JsonNode keys, Set<String> teams, Set<String> classes,
      Set<String> models) {
    List<KeyConfig> out = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> secrets = new HashMap<>();
    List<JsonNode> elements = ctx.elements("keys", keys);
    for (int i = 0; i < elements.size(); i++) {
      String path = ParseContext.index("keys", i);
      Section s = Section.of(ctx, path, elements.get(i), KEY_KEYS);
      String name = s.requiredText("name", "a name for the key, shown in reports");
      if (name != null) {
        Integer other = names.putIfAbsent(name, i);
        if (other != null) s.error("name", "duplicate key name '" + name + "' (also keys[" + other + "])");
      }
      String secret = secret(s, i, secrets);
      String team = s.text("team");
      if (team != null && !teams.isEmpty() && !teams.contains(team)) {
        s.error("team", "unknown team '" + team + "'; declared teams: " + String.join(", ", teams));
      }
      String workloadClass = s.text("workload_class");
      if (workloadClass != null && !classes.contains(workloadClass)) {
        s.error("workload_class", "unknown workload class '" + workloadClass + "'; declared workload classes: "
            + ParseContext.listOrNone(classes));
      }
      Map<String, String> tags = s.textMap("tags");
      Instant expiresAt = instant(s, "expires_at");
      List<String> allowedModels = s.texts("models");
      if (allowedModels != null && allowedModels.isEmpty() && s.raw("models").isEmpty()) {
        s.error("models", "is empty, which would allow no model; omit it to allow every model");
      }
      if (allowedModels != null) {
        for (int m = 0; m < allowedModels.size(); m++) {
          String model = allowedModels.get(m);
          if (!models.contains(model)) {
            ctx.error(ParseContext.index(s.path("models"), m), "unknown model '" + model + "'; declared models: "
                + ParseContext.listOrNone(models));
          }
        }
      }
      out.add(new KeyConfig(name, secret, team, s.text("project"), s.text("workflow"), s.text("agent"),
          s.text("user"), s.text("channel"), workloadClass, tags == null ? Map.of() : tags, expiresAt,
          allowedModels == null ? List.of() : allowedModels));
    }
    return List.copyOf(out);
  }

  /** The secret, checked for length and uniqueness; messages never contain it. */
  private static String secret(Section s, int index, Map<String, Integer> secrets) {
    String secret = s.requiredText("secret", "the bearer token clients send, at least " + MIN_SECRET_LENGTH
        + " characters, e.g. secret: ${TRIAGE_KEY}");
    if (secret == null) return null;
    if (secret.length() < MIN_SECRET_LENGTH) {
      s.error("secret", "must be at least " + MIN_SECRET_LENGTH + " characters long");
    } else if (secret.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      s.error("secret", "must not contain spaces or control characters (it travels in an HTTP header)");
    }
    Integer other = secrets.putIfAbsent(secret, index);
    if (other != null) {
      s.error("secret", "the same secret as keys[" + other + "]; every key needs its own secret");
    }
    return secret;
  }

  private static Instant instant(Section s, String key) {
    String text = s.text(key);
    if (text == null) return null;
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text.trim()).toInstant();
      } catch (DateTimeParseException e2) {
        s.error(key, "must be an ISO-8601 instant such as 2026-12-31T23:59:59Z or 2026-12-31T23:59:59+01:00; got '"
            + text + "'");
        return null;
      }
    }
  }
}
