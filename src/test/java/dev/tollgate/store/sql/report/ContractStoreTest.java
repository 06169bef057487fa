package dev.tollgate.store.sql.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.report.ContractStore;
import dev.tollgate.store.sql.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contracts table (V34) on SQLite and on the local PostgreSQL (skipped, saying so, without it). */
class ContractStoreTest {

  @TempDir static Path dir;

  static Stream<String> databases() {
    return Stream.of("sqlite", "postgresql");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void contractsAreInsertedOnceReplacedListedByNameAndDeleted(String kind) {
    String url;
    String schema = null;
    if (kind.equals("sqlite")) {
      url = "sqlite:" + dir.resolve("contracts.db");
    } else {
      if (!ReportPostgres.available()) System.out.println(ReportPostgres.SKIP_MESSAGE);
      assumeTrue(ReportPostgres.available(), ReportPostgres.SKIP_MESSAGE);
      schema = ReportPostgres.newSchemaName();
      url = ReportPostgres.storageUrl(schema);
    }
    try (Storage storage = Storage.open(url, 100, Duration.ofMillis(20), 10_000)) {
      var store = new SqlContractStore(storage.database());
      Instant t0 = Instant.parse("2026-11-01T00:00:00.123456789Z");
      Instant t1 = t0.plusSeconds(60);
      assertThat(store.insert(new ContractStore.Stored("b", "{\"provider\":\"sim\"}", t0, t0))).isTrue();
      assertThat(store.insert(new ContractStore.Stored("a", "{}", t0, t0))).isTrue();
      assertThat(store.insert(new ContractStore.Stored("a", "{\"x\":1}", t1, t1))).as("a name is taken once").isFalse();
      assertThat(store.replace(new ContractStore.Stored("b", "{\"provider\":\"local\"}", t0, t1))).isTrue();
      assertThat(store.replace(new ContractStore.Stored("zz", "{}", t0, t1))).isFalse();
      assertThat(store.find("b")).hasValue(new ContractStore.Stored("b", "{\"provider\":\"local\"}", t0, t1));
      assertThat(store.list()).extracting(ContractStore.Stored::name).containsExactly("a", "b");
      assertThat(store.delete("a")).isTrue();
      assertThat(store.delete("a")).isFalse();
      assertThat(store.list()).extracting(ContractStore.Stored::name).containsExactly("b");
    } finally {
      if (schema != null) ReportPostgres.dropSchema(schema);
    }
  }
}
