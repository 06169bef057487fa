package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.tollgate.config.AlertsConfig;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestGateway;
import io.vertx.core.Vertx;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Alerts reach the right people by email, once per incident, through a real SMTP exchange. */
class EmailAlertsTest {

  static final String PASSWORD = "smtp-pass-never-logged";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("tollgate@example.com", "tollgate", PASSWORD))
      .withPerMethodLifecycle(false);

  @TempDir static Path dir;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T01:00:00Z"));
  static TestGateway gw;

  @BeforeAll
  static void start() {
    var cfg = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim:   { type: simulator, output_tokens: 5 }
          flaky: { type: simulator, error_rate: 1.0 }
        models:
          gpt-4o-mini:  { provider: sim }
          broken-model: { provider: flaky, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        teams:
          support: {}
        keys:
          - { name: ticket-sync, secret: tg-email-ticket-sync-00001, team: support }
          - { name: ops, secret: tg-email-ops-key-0000000001 }
        alerts:
          channels:
            - type: email
              smtp: { host: 127.0.0.1, port: "${SMTP_PORT}", tls: none, username: tollgate, password: "${SMTP_PASSWORD}" }
              from: tollgate@example.com
              to: [ finops@example.com ]
              teams: { support: [ support-leads@example.com, ana@example.com ] }
              console_url: https://tollgate.example.com/
          runaway: { min_runs: 6, min_period: 5m, tolerance: 0.1, action: none }
          error_rate: { window_minutes: 5, min_calls: 10, threshold: 0.5 }
        """, Map.of("DIR", dir.toString(), "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SMTP_PASSWORD", PASSWORD), dir);
    gw = TestGateway.start(cfg, clock);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static void chat(String key, String model) {
    gw.post("/v1/chat/completions", key, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"sync\"}]}");
  }

  static List<MimeMessage> mailAbout(String subjectPart) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject().contains(subjectPart);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void aTeamsRunawayIsMailedOnceToThatTeamWithWhatHappenedAndHowToAcknowledge() throws Exception {
    for (int i = 0; i < 6; i++) {
      chat("tg-email-ticket-sync-00001", "gpt-4o-mini");
      clock.advance(Duration.ofMinutes(15));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout("key:ticket-sync").size() == 2); // one message per recipient
    chat("tg-email-ticket-sync-00001", "gpt-4o-mini"); // the same incident again, within the cooldown
    clock.advance(Duration.ofMinutes(10));
    chat("tg-email-ticket-sync-00001", "gpt-4o-mini");

    MimeMessage mail = mailAbout("key:ticket-sync").get(0);
    assertThat(mail.getSubject()).isEqualTo("[Tollgate critical] runaway automation: key:ticket-sync");
    assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
        .containsExactlyInAnyOrder("support-leads@example.com", "ana@example.com");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("tollgate@example.com");
    String body = GreenMailUtil.getBody(mail);
    assertThat(body).contains("key:ticket-sync has run every 15 min for the last 6 calls")
        .contains("Subject:  key:ticket-sync").contains("Team:     support")
        .contains("https://tollgate.example.com/console/#alerts")
        .contains("https://tollgate.example.com/admin/v1/alerts/alr_").contains("/ack")
        .contains("<a href=\"https://tollgate.example.com/console/#alerts\">console</a>")
        .doesNotContain(PASSWORD);
    assertThat(mailAbout("key:ticket-sync")).as("one incident, one email (the server keeps a copy per recipient)").hasSize(2);
    assertThat(mailAbout("key:ticket-sync").stream().flatMap(m -> recipients(m).stream()))
        .as("the default list does not get the team's alert").doesNotContain("finops@example.com");
  }

  @Test
  void anAlertOfNoTeamGoesToTheDefaultList() throws Exception {
    for (int i = 0; i < 10; i++) chat("tg-email-ops-key-0000000001", "broken-model");
    await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout("provider:simulator").size() == 1);
    MimeMessage mail = mailAbout("provider:simulator").get(0);
    assertThat(recipients(mail)).containsExactly("finops@example.com");
    assertThat(mail.getSubject()).isEqualTo("[Tollgate critical] error rate: provider:simulator");
    assertThat(GreenMailUtil.getBody(mail)).contains("failed 10 of 10 calls");
  }

  @Test
  void aMailServerThatDropsTheFirstAttemptIsTriedAgainWithBackoff() throws Exception {
    // First a server that hangs up at once (the first attempt fails for sure), then a real one on the same port.
    ServerSocket rude = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    int port = rude.getLocalPort();
    java.util.concurrent.CountDownLatch hungUp = new java.util.concurrent.CountDownLatch(1);
    Thread.ofVirtual().start(() -> {
      try (rude; var s = rude.accept()) {
        hungUp.countDown();
      } catch (java.io.IOException e) {
        // closed by the test
      }
    });
    Vertx vertx = Vertx.vertx();
    GreenMail late = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    try {
      var cfg = new AlertsConfig.Email("127.0.0.1", port, "none", null, null, "tollgate@example.com",
          List.of("oncall@example.com"), Map.of(), null);
      new EmailChannel(vertx, cfg, 300).send(new Alert("alr_1", "budget_threshold", "team:support", "support", null, "warning",
          "team:support has used 80% of its monthly budget", clock.instant(), clock.instant(), 1, "open", null, null));
      assertThat(hungUp.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the first attempt reached the server").isTrue();
      rude.close();
      late.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> late.getReceivedMessages().length == 1);
      assertThat(GreenMailUtil.getBody(late.getReceivedMessages()[0])).contains("/admin/v1/alerts/alr_1/ack");
    } finally {
      late.stop();
      vertx.close().await();
    }
  }

  @Test
  void theSmtpPasswordNeverShowsAndABadSettingNamesItsKey() {
    var cfg = ConfigLoader.parse("""
        alerts:
          channels:
            - { type: email, smtp: { host: mail, username: u, password: "${P}" }, from: a@example.com, to: [b@example.com] }
        """, "t.yaml", Map.of("P", PASSWORD)::get, dir);
    AlertsConfig.Email email = cfg.alerts().channels().get(0).email();
    assertThat(email.port()).as("starttls by default, on the submission port").isEqualTo(587);
    assertThat(email.password()).isEqualTo(PASSWORD);
    assertThat(email.toString()).doesNotContain(PASSWORD);
    assertThat(cfg.alerts().toString()).doesNotContain(PASSWORD);

    assertThatThrownBy(() -> ConfigLoader.parse("""
        alerts:
          channels:
            - { type: email, smtp: { host: mail, tls: ssl }, from: a@example.com }
        """, "t.yaml", k -> null, dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts.channels[0].smtp.tls").hasMessageContaining("alerts.channels[0].to");
  }

  static List<String> recipients(MimeMessage m) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
