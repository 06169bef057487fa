package dev.tollgate.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.alert.Alert;
import dev.tollgate.port.AlertChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts as JSON to a webhook, or as a Slack-compatible incoming-webhook payload
 * ({@code {"text": …}}). A webhook body is signed with HMAC-SHA256 over the exact bytes sent
 * ({@code X-Tollgate-Signature: sha256=<hex>}) when a secret is set, so the receiver can trust it.
 * Delivery is retried with exponential backoff (1 s, 2 s, 4 s, 8 s) on failures and non-2xx answers.
 */
public final class WebhookChannel implements AlertChannel {

  private static final Logger log = LoggerFactory.getLogger(WebhookChannel.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int ATTEMPTS = 5;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String url;
  private final String secret;
  private final boolean slack;
  private final long firstBackoffMs;

  public WebhookChannel(Vertx vertx, String url, String secret, boolean slack, long firstBackoffMs) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
    this.url = url;
    this.secret = secret;
    this.slack = slack;
    this.firstBackoffMs = firstBackoffMs;
  }

  @Override
  public String name() {
    return (slack ? "slack " : "webhook ") + url.replaceAll("//[^/@]*@", "//");
  }

  @Override
  public void send(Alert alert) {
    byte[] body = body(alert);
    attempt(body, 1);
  }

  byte[] body(Alert a) {
    ObjectNode n = JSON.createObjectNode();
    if (slack) {
      n.put("text", ":rotating_light: *" + a.kind().replace('_', ' ') + "* (" + a.severity() + ") — " + a.message()
          + (a.count() > 1 ? " [" + a.count() + "×]" : ""));
    } else {
      n.put("id", a.id()).put("kind", a.kind()).put("subject", a.subject()).put("severity", a.severity())
          .put("message", a.message()).put("first_at", a.firstAt().toString()).put("last_at", a.lastAt().toString())
          .put("count", a.count()).put("state", a.state()).put("action", a.action());
    }
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
    }
  }

  private void attempt(byte[] body, int n) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("content-type", "application/json");
    if (secret != null && !slack) o.putHeader("x-tollgate-signature", signature(secret, body));
    client.request(o).compose(req -> req.send(Buffer.buffer(body))).onComplete(ar -> {
      boolean ok = ar.succeeded() && ar.result().statusCode() / 100 == 2;
      if (ar.succeeded()) ar.result().body();
      if (ok) return;
      if (n >= ATTEMPTS) {
        log.warn("alert not delivered to {} after {} attempts", name(), n);
        return;
      }
      vertx.setTimer(firstBackoffMs << (n - 1), t -> attempt(body, n + 1));
    });
  }
}
