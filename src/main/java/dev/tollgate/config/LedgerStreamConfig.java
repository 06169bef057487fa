package dev.tollgate.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * YAML {@code ledger.stream:} — a copy of every ledger row produced to a Kafka topic, next to the
 * database (which budget rebuilds, reports and the console keep reading). See docs/scale-out.md.
 *
 * @param bootstrapServers {@code host:port[,host:port…]} from {@code kafka://host:port[,…]/topic}
 * @param topic the topic every row goes to, keyed by request id
 * @param compression {@code lz4} (default), {@code zstd}, {@code gzip}, {@code snappy} or {@code none}
 * @param queueCapacity rows held in memory for the producer; beyond it rows go to the stream's spool (100000)
 */
public record LedgerStreamConfig(String bootstrapServers, String topic, String compression, int queueCapacity) {

  public static final List<String> COMPRESSIONS = List.of("lz4", "zstd", "gzip", "snappy", "none");
  public static final String DEFAULT_COMPRESSION = "lz4";
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9._-]+|\\[[0-9a-fA-F:.]+\\]");

  /** How the stream is named in its spool's segment headers and in logs: no credentials, none are accepted. */
  public String url() {
    return "kafka://" + bootstrapServers + "/" + topic;
  }

  /**
   * Reads {@code kafka://host:port[,host:port…]/topic}.
   *
   * @return {@code {bootstrapServers, topic}}
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static String[] parseUrl(String url) {
    if (!url.startsWith("kafka://")) throw new IllegalArgumentException("must be kafka://host:port[,host:port…]/topic; got '" + url + "'");
    String rest = url.substring("kafka://".length());
    if (rest.contains("@")) {
      // Never echo the value: it may hold a password.
      throw new IllegalArgumentException("must not hold credentials; SASL and TLS to Kafka are not supported yet");
    }
    if (rest.contains("?") || rest.contains("#")) throw new IllegalArgumentException("takes no query or fragment; got '" + url + "'");
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) throw new IllegalArgumentException("names no topic: use kafka://host:port/topic; got '" + url + "'");
    String hosts = rest.substring(0, slash);
    String topic = rest.substring(slash + 1);
    if (!TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("topic '" + topic + "' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)");
    }
    if (hosts.isEmpty()) throw new IllegalArgumentException("names no broker: use kafka://host:port/topic; got '" + url + "'");
    for (String broker : hosts.split(",", -1)) {
      int colon = broker.lastIndexOf(':');
      String host = colon < 0 ? broker : broker.substring(0, colon);
      if (colon < 0 || !HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("broker '" + broker + "' must be host:port");
      }
      int port;
      try {
        port = Integer.parseInt(broker.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) throw new IllegalArgumentException("broker '" + broker + "' has no port from 1 to 65535");
    }
    return new String[] {hosts, topic};
  }
}
