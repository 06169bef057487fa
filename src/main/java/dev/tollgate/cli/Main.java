package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of the jar: {@code java -jar target/tollgate.jar <command>}. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    version = "tollgate 0.1.0",
    description = "LLM gateway that attributes, budgets, routes and reports every token.",
    subcommands = {ServeCommand.class, DemoCommand.class, ConfigCommand.class, PricesCommand.class, AuditCommand.class, ExportCommand.class, ReportCommand.class, BenchLedgerCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
