package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an email alert channel:
 *
 * <pre>
 * { type: email, smtp: { host, port, tls: starttls | tls | none, username, password: ${SMTP_PASSWORD} },
 *   from: tollgate@example.com, to: [finops@example.com], teams: { support: [support-leads@example.com] },
 *   console_url: https://tollgate.example.com }
 * </pre>
 */
final class AlertEmailParser {

  private AlertEmailParser() {}

  static AlertsConfig.Email email(ParseContext ctx, Section c) {
    Section smtp = c.section("smtp", List.of("host", "port", "tls", "username", "password"));
    if (!c.present("smtp")) c.error("smtp", "is required for an email channel: { host, port, tls, username, password }");
    String host = smtp.requiredText("host", "the SMTP server's host name");
    String tls = smtp.text("tls", "starttls");
    if (tls != null && !List.of("starttls", "tls", "none").contains(tls)) smtp.error("tls", "must be starttls, tls or none");
    long defaultPort = "tls".equals(tls) ? 465 : "none".equals(tls) ? 25 : 587;
    Long port = smtp.whole("port", 1, 65535, defaultPort);
    String username = smtp.text("username");
    String password = smtp.text("password");
    if (username != null && password == null) smtp.error("password", "is required with a username (e.g. ${SMTP_PASSWORD})");
    String from = c.requiredText("from", "the sender address, e.g. tollgate@example.com");
    if (from != null && !from.contains("@")) c.error("from", "must be an email address");
    List<String> to = orEmpty(c.texts("to"));
    to.stream().filter(a -> !a.contains("@")).forEach(a -> c.error("to", "'" + a + "' is not an email address"));
    Map<String, List<String>> teams = new LinkedHashMap<>();
    JsonNode teamsNode = c.raw("teams");
    if (teamsNode != null && teamsNode.isObject()) {
      List<String> names = new ArrayList<>();
      teamsNode.fieldNames().forEachRemaining(names::add);
      Section t = c.section("teams", names);
      for (String team : names) {
        List<String> list = orEmpty(t.texts(team));
        list.stream().filter(a -> !a.contains("@")).forEach(a -> t.error(team, "'" + a + "' is not an email address"));
        teams.put(team, List.copyOf(list));
      }
    } else if (c.present("teams")) {
      c.error("teams", "must map team names to lists of addresses");
    }
    if (to.isEmpty() && teams.isEmpty()) c.error("to", "is required: the addresses that get alerts (or per team under teams)");
    String console = c.text("console_url");
    if (console != null && !console.startsWith("http://") && !console.startsWith("https://")) c.error("console_url", "must be an http(s) URL");
    return new AlertsConfig.Email(host, port == null ? (int) defaultPort : port.intValue(), tls, username, password, from,
        List.copyOf(to), Map.copyOf(teams), console == null ? null : console.replaceAll("/+$", ""));
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
