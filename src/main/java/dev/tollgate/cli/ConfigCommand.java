package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code config check FILE}: validates a config file without starting anything (for CI of the config repo). */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with config files.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("Usage: tollgate config check FILE");
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a config file; exit 2 with every error if it is bad.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1") String file;

    @Override
    public Integer call() {
      Path path = ConfigLoader.resolvePath(file);
      try {
        GatewayConfig cfg = ConfigLoader.load(path);
        System.out.println(path + ": OK — " + cfg.providers().size() + " providers, " + cfg.models().size() + " models, "
            + cfg.teams().size() + " teams, " + cfg.keys().size() + " keys");
        return 0;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        return 2;
      }
    }
  }
}
