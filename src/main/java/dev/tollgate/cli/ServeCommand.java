package dev.tollgate.cli;

import dev.tollgate.app.Gateway;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve --config FILE}: runs the gateway until stopped, reloading when the file changes. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the gateway. The config path may also come from TOLLGATE_CONFIG.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file (default: $TOLLGATE_CONFIG, then tollgate.yaml)")
  String config;

  @Override
  public Integer call() {
    Path path = ConfigLoader.resolvePath(config);
    GatewayConfig cfg;
    try {
      cfg = ConfigLoader.load(path);
    } catch (ConfigException e) {
      System.err.println("The config file has errors; nothing was started:");
      System.err.println(e.getMessage());
      return 2;
    }
    return Runner.runUntilStopped(() -> Gateway.startWatching(cfg, Clock.systemUTC(), Duration.ofSeconds(1)), g ->
        System.out.println("Tollgate listening on http://" + cfg.server().host() + ":" + g.port()
            + "  (config " + path + ", storage " + cfg.storage() + ")"));
  }

  /** Starts a gateway, prints a banner, and blocks until the JVM is asked to stop; then closes it gracefully. */
  static final class Runner {
    static int runUntilStopped(java.util.function.Supplier<Gateway> start, java.util.function.Consumer<Gateway> banner) {
      Gateway gateway;
      try {
        gateway = start.get();
      } catch (ConfigException e) {
        System.err.println("The config cannot be used; nothing was started:");
        System.err.println(e.getMessage());
        return 2;
      } catch (IllegalStateException e) {
        System.err.println("Tollgate could not start: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        System.out.println("Stopping: finishing requests in flight and flushing the ledger…");
        gateway.close();
        stopped.countDown();
      }, "tollgate-shutdown"));
      banner.accept(gateway);
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }
}
