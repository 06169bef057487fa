package dev.tollgate.store.sql;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tollgate serve --config FILE} in a child JVM on this test's classpath, so that a test can
 * {@code kill -9} it ({@link Process#destroyForcibly()} sends SIGKILL) and start it again.
 */
final class ChildGateway implements AutoCloseable {

  private static final Pattern BANNER = Pattern.compile("Tollgate listening on http://[^:\\s]+:(\\d+)");
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final Process process;
  private final Path log;
  private final int port;

  private ChildGateway(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the gateway and waits for its banner (the storage is open and any spool replayed by then). */
  static ChildGateway start(Path config) throws IOException {
    Path log = config.resolveSibling("gateway-" + STARTS.incrementAndGet() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire may hand the JVM a manifest-only jar; its real classpath is in surefire.test.class.path.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classpath, "dev.tollgate.cli.Main", "serve", "--config", config.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    int[] port = {-1};
    try {
      await("the gateway's banner in " + log).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
        Matcher m = BANNER.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          port[0] = Integer.parseInt(m.group(1));
          return true;
        }
        if (!process.isAlive()) throw new AssertionError("the gateway exited with " + process.exitValue() + ":\n" + Files.readString(log));
        return false;
      });
    } catch (RuntimeException | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
    return new ChildGateway(process, log, port[0]);
  }

  int port() {
    return port;
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGKILL: no shutdown hook, no flush, no close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("the gateway did not die");
  }

  /** SIGTERM: the graceful shutdown an operator would do. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
