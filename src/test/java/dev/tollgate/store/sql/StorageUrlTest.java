package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      postgresql://app:s3cret@db.internal:6543/tollgate                  | jdbc:postgresql://db.internal:6543/tollgate?reWriteBatchedInserts=true                        | app      | s3cret | 
      postgresql://app@127.0.0.1/tollgate?schema=tg_a                    | jdbc:postgresql://127.0.0.1:5432/tollgate?reWriteBatchedInserts=true&currentSchema=tg_a      | app      |        | tg_a
      postgres://app:p%40ss@db/tollgate?sslmode=require&currentSchema=s1 | jdbc:postgresql://db:5432/tollgate?sslmode=require&reWriteBatchedInserts=true&currentSchema=s1 | app   | p@ss   | s1
      """)
  void postgresUrlsBecomeJdbcUrlsWithTheCredentialsApart(
      String url, String jdbc, String user, String password, String schema) {
    StorageUrl parsed = StorageUrl.parse(url);
    assertThat(parsed.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(parsed.jdbcUrl()).isEqualTo(jdbc);
    assertThat(parsed.user()).isEqualTo(user);
    assertThat(parsed.password()).isEqualTo(password);
    assertThat(parsed.schema()).isEqualTo(schema);
  }

  @Test
  void aSqliteUrlNamesAFile() {
    StorageUrl parsed = StorageUrl.parse("sqlite:data/tollgate.db");
    assertThat(parsed.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(parsed.sqliteFile()).isEqualTo(Path.of("data/tollgate.db").toAbsolutePath());
    assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("data/tollgate.db").toAbsolutePath());
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "mysql://u@h/db", "sqlite:", "sqlite::memory:", "postgresql://u@h", "postgresql:///db",
      "postgresql://u@h:99999/db", "postgresql://u@h/db?schema=bad-name", "postgresql://u@h/db?flag", "data/tollgate.db"})
  void aBadUrlIsRefusedWithTheAllowedForms(String url) {
    assertThatThrownBy(() -> StorageUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("sqlite:path/to/file.db", "schema", "parameter", "port"));
  }

  @Test
  void aRefusalNeverShowsThePassword() {
    assertThatThrownBy(() -> StorageUrl.parse("postgresql://app:hunter2@db/x/y"))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("postgresql://user[:password]@host[:port]/database");
  }
}
