package dev.tollgate.port;

import dev.tollgate.domain.alert.Alert;

/** Where alerts go: a webhook, a Slack-compatible incoming webhook… Sending must not block the caller. */
public interface AlertChannel {

  String name();

  void send(Alert alert);
}
