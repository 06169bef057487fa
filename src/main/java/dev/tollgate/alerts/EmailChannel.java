package dev.tollgate.alerts;

import dev.tollgate.config.AlertsConfig;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.port.AlertChannel;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts as email over SMTP (Vert.x's non-blocking mail client), to the alert's team's
 * recipients when that team has its own list, else to the default list. Each email has a plain-text
 * and an HTML part ({@link AlertEmail}). Delivery is retried with exponential backoff (1 s, 2 s, 4 s,
 * 8 s), like the webhook channel. The SMTP password is never logged.
 */
public final class EmailChannel implements AlertChannel {

  private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);
  static final int ATTEMPTS = 5;

  private final Vertx vertx;
  private final MailClient client;
  private final AlertsConfig.Email config;
  private final long firstBackoffMs;

  public EmailChannel(Vertx vertx, AlertsConfig.Email config, long firstBackoffMs) {
    this.vertx = vertx;
    this.config = config;
    this.firstBackoffMs = firstBackoffMs;
    MailConfig mail = new MailConfig().setHostname(config.host()).setPort(config.port())
        .setStarttls(switch (config.tls()) {
          case "starttls" -> StartTLSOptions.REQUIRED;
          default -> StartTLSOptions.DISABLED;
        })
        .setSsl("tls".equals(config.tls()));
    if (config.username() != null) {
      mail.setLogin(LoginOption.REQUIRED).setUsername(config.username()).setPassword(config.password());
    } else {
      mail.setLogin(LoginOption.DISABLED);
    }
    this.client = MailClient.create(vertx, mail);
  }

  @Override
  public String name() {
    return "email smtp://" + config.host() + ":" + config.port();
  }

  @Override
  public void send(Alert alert) {
    List<String> to = config.recipients(alert.team());
    if (to.isEmpty()) return;
    AlertEmail email = AlertEmail.of(alert, config.consoleUrl());
    MailMessage message = new MailMessage().setFrom(config.from()).setTo(to).setSubject(email.subject())
        .setText(email.text()).setHtml(email.html());
    attempt(message, 1);
  }

  private void attempt(MailMessage message, int n) {
    client.sendMail(message).onComplete(ar -> {
      if (ar.succeeded()) return;
      if (n >= ATTEMPTS) {
        log.warn("alert email not delivered via {} after {} attempts: {}", name(), n, ar.cause().getMessage());
        return;
      }
      vertx.setTimer(firstBackoffMs << (n - 1), t -> attempt(message, n + 1));
    });
  }
}
