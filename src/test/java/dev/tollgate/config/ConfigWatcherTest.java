package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

  private static final Duration NEVER_IN_A_TEST = Duration.ofHours(1);
  private static final Function<Path, GatewayConfig> LOADER = p -> ConfigLoader.load(p, name -> null);

  @TempDir Path dir;
  private Path file;
  private final List<GatewayConfig> reloaded = new CopyOnWriteArrayList<>();
  private final List<ConfigException> rejected = new CopyOnWriteArrayList<>();
  private ConfigWatcher watcher;

  @BeforeEach
  void writeInitialConfig() throws IOException {
    file = dir.resolve("tollgate.yaml");
    write("server: { port: 8400 }\n");
  }

  @AfterEach
  void stop() {
    if (watcher != null) watcher.close();
  }

  @Test
  void unchangedFileIsNotReloaded() {
    watcher = new ConfigWatcher(file, NEVER_IN_A_TEST, LOADER, reloaded::add, rejected::add);

    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.UNCHANGED);
    assertThat(reloaded).isEmpty();
    assertThat(rejected).isEmpty();
  }

  @Test
  void validChangeIsAppliedBrokenChangeIsRejectedOnceAndAFixAppliesAgain() throws IOException {
    watcher = new ConfigWatcher(file, NEVER_IN_A_TEST, LOADER, reloaded::add, rejected::add);

    write("server: { port: 8401 }\n");
    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.RELOADED);
    assertThat(reloaded).singleElement().satisfies(c -> assertThat(c.server().port()).isEqualTo(8401));

    write("server: { port: 99999 }\n");
    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.REJECTED);
    assertThat(rejected).singleElement().satisfies(e ->
        assertThat(e.errors()).extracting(ConfigError::keyPath).containsExactly("server.port"));
    assertThat(reloaded).as("the previous config stays in force").hasSize(1);
    assertThat(watcher.checkNow()).as("the same broken content is reported once").isEqualTo(ConfigWatcher.Outcome.UNCHANGED);
    assertThat(rejected).hasSize(1);

    write("server: { port: 8402 }\n");
    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.RELOADED);
    assertThat(reloaded).extracting(c -> c.server().port()).containsExactly(8401, 8402);
  }

  @Test
  void editorStyleAtomicRenameIsSeen() throws IOException {
    watcher = new ConfigWatcher(file, NEVER_IN_A_TEST, LOADER, reloaded::add, rejected::add);

    Path temp = dir.resolve(".tollgate.yaml.swp");
    Files.writeString(temp, "server: { port: 8500 }\n");
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.RELOADED);
    assertThat(reloaded).singleElement().satisfies(c -> assertThat(c.server().port()).isEqualTo(8500));
  }

  @Test
  void deletedFileIsRejectedAndItsReturnIsApplied() throws IOException {
    watcher = new ConfigWatcher(file, NEVER_IN_A_TEST, LOADER, reloaded::add, rejected::add);

    Files.delete(file);
    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.REJECTED);
    assertThat(rejected.get(0).getMessage()).contains("file not found");

    write("server: { port: 8403 }\n");
    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.RELOADED);
  }

  @Test
  void configRefusedByTheReloadHandlerCountsAsRejected() throws IOException {
    watcher = new ConfigWatcher(file, NEVER_IN_A_TEST, LOADER, config -> {
      throw ConfigException.of("tollgate.yaml", "models.x.price", "no price for model x");
    }, rejected::add);

    write("server: { port: 8404 }\n");

    assertThat(watcher.checkNow()).isEqualTo(ConfigWatcher.Outcome.REJECTED);
    assertThat(rejected).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("no price for model x"));
  }

  @Test
  void backgroundPollingPicksUpAChange() throws IOException {
    watcher = new ConfigWatcher(file, Duration.ofMillis(20), LOADER, reloaded::add, rejected::add);

    write("server: { port: 8405 }\n");

    await().atMost(Duration.ofSeconds(5)).until(() -> !reloaded.isEmpty());
    assertThat(reloaded.get(0).server().port()).isEqualTo(8405);
  }

  private void write(String yaml) throws IOException {
    Files.writeString(file, yaml);
  }
}
