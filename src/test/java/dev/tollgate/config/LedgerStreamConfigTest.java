package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ledger.stream}: the Kafka copy of the ledger, and the errors a wrong setting gets. */
class LedgerStreamConfigTest {

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "tollgate.yaml", Map.<String, String>of()::get, Path.of("/etc/tollgate"));
  }

  @Test
  void withoutAStreamRowsGoToTheDatabaseOnly() {
    assertThat(parse("ledger: { durability: strict }\n").ledger().stream()).isNull();
  }

  @Test
  void aKafkaStreamIsReadWithItsDefaults() {
    LedgerStreamConfig s = parse("ledger:\n  stream: { kafka: \"kafka://k1:9092,k2.internal:9093/tollgate.ledger\" }\n")
        .ledger().stream();

    assertThat(s).isEqualTo(new LedgerStreamConfig("k1:9092,k2.internal:9093", "tollgate.ledger", "lz4", 100_000));
    assertThat(s.url()).isEqualTo("kafka://k1:9092,k2.internal:9093/tollgate.ledger");
  }

  @Test
  void compressionAndQueueCanBeSet() {
    LedgerStreamConfig s = parse("ledger:\n  stream: { kafka: \"kafka://k1:9092/usage\", compression: zstd, queue_capacity: 5000 }\n")
        .ledger().stream();

    assertThat(s).isEqualTo(new LedgerStreamConfig("k1:9092", "usage", "zstd", 5000));
  }

  static Stream<Arguments> badStreams() {
    return Stream.of(
        Arguments.of("no kafka", "{ compression: lz4 }", "ledger.stream.kafka", "is required; kafka://host:port"),
        Arguments.of("another scheme", "{ kafka: \"pulsar://p:6650/t\" }", "ledger.stream.kafka",
            "must be kafka://host:port[,host:port…]/topic; got 'pulsar://p:6650/t'"),
        Arguments.of("no topic", "{ kafka: \"kafka://k1:9092\" }", "ledger.stream.kafka", "names no topic"),
        Arguments.of("empty topic", "{ kafka: \"kafka://k1:9092/\" }", "ledger.stream.kafka", "names no topic"),
        Arguments.of("bad topic", "{ kafka: \"kafka://k1:9092/led ger\" }", "ledger.stream.kafka",
            "topic 'led ger' is not a Kafka topic name"),
        Arguments.of("no port", "{ kafka: \"kafka://k1/t\" }", "ledger.stream.kafka", "broker 'k1' must be host:port"),
        Arguments.of("port out of range", "{ kafka: \"kafka://k1:9092,k2:70000/t\" }", "ledger.stream.kafka",
            "broker 'k2:70000' has no port from 1 to 65535"),
        Arguments.of("no broker", "{ kafka: \"kafka:///t\" }", "ledger.stream.kafka", "names no broker"),
        Arguments.of("query", "{ kafka: \"kafka://k1:9092/t?acks=1\" }", "ledger.stream.kafka", "takes no query"),
        Arguments.of("compression", "{ kafka: \"kafka://k1:9092/t\", compression: brotli }", "ledger.stream.compression",
            "unknown compression 'brotli'; available: lz4, zstd, gzip, snappy, none"),
        Arguments.of("queue", "{ kafka: \"kafka://k1:9092/t\", queue_capacity: 0 }", "ledger.stream.queue_capacity",
            "must be a whole number from 1 to 100000000"),
        Arguments.of("unknown key", "{ kafka: \"kafka://k1:9092/t\", acks: 1 }", "ledger.stream.acks",
            "unknown key 'acks'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStreams")
  void aWrongStreamIsRefusedWithItsKeyPath(String rule, String stream, String keyPath, String fragment) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("ledger:\n  stream: " + stream + "\n"));

    assertThat(e).as("refused: " + rule).isNotNull();
    List<ConfigError> errors = e.errors();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).keyPath()).isEqualTo(keyPath);
    assertThat(errors.get(0).message()).contains(fragment);
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse("ledger:\n  stream: { kafka: \"kafka://tollgate:hunter2@k1:9092/t\" }\n"));

    assertThat(e.errors()).singleElement().satisfies(err -> {
      assertThat(err.keyPath()).isEqualTo("ledger.stream.kafka");
      assertThat(err.message()).contains("must not hold credentials; SASL and TLS to Kafka are not supported yet");
    });
    assertThat(e.getMessage()).doesNotContain("hunter2");
  }
}
