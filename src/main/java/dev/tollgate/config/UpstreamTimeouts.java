package dev.tollgate.config;

import java.time.Duration;

/**
 * A provider's {@code timeouts:}. Each is null when not set, and then the server's default applies
 * ({@code server.connect_timeout}, {@code server.request_timeout}, {@code server.idle_timeout}).
 *
 * @param connect to open the TCP/TLS connection
 * @param firstByte from sending the request to the response's status line (for a whole answer this
 *     includes generating it; unset means only {@code total} bounds it)
 * @param idle the longest silence between two pieces of a response once it has started
 * @param total the whole call from sending the request to its last byte, a stream included
 */
public record UpstreamTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

  public static final UpstreamTimeouts DEFAULTS = new UpstreamTimeouts(null, null, null, null);
}
