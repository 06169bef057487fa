package dev.tollgate.alerts;

import dev.tollgate.domain.alert.Alert;

/**
 * The words of an alert email: what happened, to whom (the subject scope), the numbers (how often,
 * since when) and how to acknowledge it — in the console and with the admin API.
 */
record AlertEmail(String subject, String text, String html) {

  static AlertEmail of(Alert a, String consoleUrl) {
    String base = consoleUrl == null ? "" : consoleUrl;
    String console = base + "/console/#alerts";
    String ack = "curl -X POST -H \"Authorization: Bearer $TOLLGATE_ADMIN_TOKEN\" " + (base.isEmpty() ? "https://<gateway>" : base)
        + "/admin/v1/alerts/" + a.id() + "/ack";
    String kind = a.kind().replace('_', ' ');
    String subject = "[Tollgate " + a.severity() + "] " + kind + ": " + a.subject();
    String times = a.count() == 1 ? "once, at " + a.firstAt() : a.count() + " times, first at " + a.firstAt() + ", last at " + a.lastAt();
    String action = a.action() == null ? "" : "Action taken: " + a.action() + " (lifted when the alert is acknowledged).\n";
    String text = a.message() + "\n\n"
        + "Alert:    " + a.id() + " (" + kind + ", " + a.severity() + ", " + a.state() + ")\n"
        + "Subject:  " + a.subject() + "\n"
        + (a.team() == null ? "" : "Team:     " + a.team() + "\n")
        + "Seen:     " + times + "\n"
        + action + "\n"
        + "Acknowledge it in the console: " + console + "\n"
        + "or with the admin API:\n  " + ack + "\n";
    String html = "<html><body>"
        + "<p>" + esc(a.message()) + "</p>"
        + "<table>"
        + row("Alert", a.id() + " (" + kind + ", " + a.severity() + ", " + a.state() + ")")
        + row("Subject", a.subject())
        + (a.team() == null ? "" : row("Team", a.team()))
        + row("Seen", times)
        + (a.action() == null ? "" : row("Action taken", a.action() + " (lifted when the alert is acknowledged)"))
        + "</table>"
        + "<p>Acknowledge it in the <a href=\"" + esc(console) + "\">console</a> or with the admin API:</p>"
        + "<pre>" + esc(ack) + "</pre>"
        + "</body></html>";
    return new AlertEmail(subject, text, html);
  }

  private static String row(String name, String value) {
    return "<tr><th align=\"left\">" + name + "</th><td>" + esc(value) + "</td></tr>";
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
