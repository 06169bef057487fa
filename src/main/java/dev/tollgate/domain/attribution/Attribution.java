package dev.tollgate.domain.attribution;

import java.util.Map;
import java.util.TreeMap;

/**
 * Who spent a request, and on what: the dimensions every ledger row, budget and report is keyed by.
 * Any field may be null when nothing named it. Tags are free-form {@code key=value} pairs, kept sorted
 * so that equal attributions compare and serialise equally.
 */
public record Attribution(
    String org,
    String team,
    String project,
    String workflow,
    String agent,
    String user,
    String channel,
    String conversation,
    String workloadClass,
    Map<String, String> tags) {

  public static final Attribution EMPTY =
      new Attribution(null, null, null, null, null, null, null, null, null, Map.of());

  public Attribution {
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /** The value of a named dimension ({@code team}, {@code workflow}…, or {@code tag:<key>}); null if unset. */
  public String dimension(String name) {
    return switch (name) {
      case "org" -> org;
      case "team" -> team;
      case "project" -> project;
      case "workflow" -> workflow;
      case "agent" -> agent;
      case "user" -> user;
      case "channel" -> channel;
      case "conversation" -> conversation;
      case "workload_class" -> workloadClass;
      default -> name.startsWith("tag:") ? tags.get(name.substring(4)) : null;
    };
  }

  /** Tags as {@code k=v,k2=v2}, the same form the {@code X-Tollgate-Tags} header takes. */
  public String tagsAsString() {
    StringBuilder sb = new StringBuilder();
    tags.forEach((k, v) -> {
      if (sb.length() > 0) sb.append(',');
      sb.append(k).append('=').append(v);
    });
    return sb.toString();
  }

  public static Map<String, String> parseTags(String text) {
    Map<String, String> tags = new TreeMap<>();
    if (text == null || text.isBlank()) return tags;
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) continue;
      tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return tags;
  }
}
