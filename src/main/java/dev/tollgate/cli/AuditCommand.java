package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.service.AuditLog;
import dev.tollgate.store.sql.Database;
import dev.tollgate.store.sql.SqlAuditStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate audit verify --config FILE}: recomputes the audit log's hash chain in the storage
 * the config names, without a running gateway. Exit codes: 0 the chain holds, 1 it is broken (the
 * first bad row is named), 2 the config or the database cannot be read.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the audit log of control-plane changes.",
    subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Callable<Integer> {

  static final int BROKEN = 1;
  static final int UNREADABLE = 2;
  /** Held so that the level sticks: Flyway's per-migration lines are noise in a command's output. */
  private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return UNREADABLE;
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute the audit log's hash chain; name the first row that was edited or deleted.")
  public static final class Verify implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The gateway's config file (default: $TOLLGATE_CONFIG, else tollgate.yaml).")
    String config;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig cfg;
      try {
        cfg = ConfigLoader.load(ConfigLoader.resolvePath(config));
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return UNREADABLE;
      }
      AuditChain.Verification v;
      FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
      try (Database db = Database.open(cfg.storage())) {
        v = AuditLog.verify(new SqlAuditStore(db));
      } catch (RuntimeException e) {
        err.println("cannot read the audit log: " + e.getMessage());
        return UNREADABLE;
      }
      if (v.ok()) {
        out.println("audit log OK: " + v.rows() + " rows, head row " + v.headSeq() + " hash " + v.headHash());
        out.println("keep the head hash elsewhere: rows cut off after it can only be noticed against it");
        return 0;
      }
      err.println("audit log BROKEN at row " + v.firstBadSeq() + ": " + v.problem());
      err.println(v.rows() + " rows read; rows before " + v.firstBadSeq() + " verify");
      return BROKEN;
    }
  }
}
