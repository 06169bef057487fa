package dev.tollgate.store.sql;

import dev.tollgate.config.LedgerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything Tollgate keeps in SQL, opened from one storage URL: the ledger writer and reader and the
 * key store, sharing one connection pool. Closing it flushes the ledger, then closes the pool.
 */
public final class Storage implements AutoCloseable {

  private final Database database;
  private final SqlLedgerWriter ledgerWriter;
  private final SqlUsageQuery usageQuery;
  private final SqlKeyStore keyStore;
  private final SqlBudgetStore budgetStore;
  private final SqlAuditStore auditStore;
  private final SqlAdminTokenStore adminTokenStore;
  private final SqlExceptionStore exceptionStore;
  private final SqlWorkloadClassStore workloadClassStore;
  private final SqlAlertStore alertStore;

  private Storage(Database database, SqlLedgerWriter ledgerWriter) {
    this.database = database;
    this.ledgerWriter = ledgerWriter;
    this.usageQuery = new SqlUsageQuery(database);
    this.keyStore = new SqlKeyStore(database);
    this.budgetStore = new SqlBudgetStore(database, java.time.Clock.systemUTC());
    this.auditStore = new SqlAuditStore(database);
    this.adminTokenStore = new SqlAdminTokenStore(database);
    this.exceptionStore = new SqlExceptionStore(database, java.time.Clock.systemUTC());
    this.workloadClassStore = new SqlWorkloadClassStore(database, java.time.Clock.systemUTC());
    this.alertStore = new SqlAlertStore(database);
  }

  /**
   * Opens the database, migrates it, replays what an earlier run left in the ledger spool, and starts
   * the ledger writer.
   *
   * @param url {@code sqlite:path/to/file.db} or {@code postgresql://user[:pw]@host[:port]/db[?schema=s]}
   * @param ledger durability, batching, queue, commit timeout and spool directory (null: the default,
   *     next to the SQLite file or {@code data/spool} under the working directory)
   * @throws IllegalArgumentException if the URL or a ledger setting is invalid
   * @throws IllegalStateException if the database cannot be reached or migrated
   */
  public static Storage open(String url, LedgerConfig ledger) {
    Path spoolDir = ledger.spoolDir() != null ? ledger.spoolDir() : defaultSpoolDir(url);
    var settings = new SqlLedgerWriter.Settings(ledger.strict(), ledger.batchSize(), ledger.flushInterval(),
        ledger.queueCapacity(), ledger.commitTimeout(), spoolDir);
    Database database = Database.open(url);
    try {
      return new Storage(database, new SqlLedgerWriter(database, settings));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * As {@link #open(String, LedgerConfig)} in batched mode with the default commit timeout and spool.
   *
   * @param batchSize most ledger rows per transaction
   * @param flushInterval longest a ledger row waits in memory for its batch to fill
   * @param queueCapacity ledger rows held in memory before appends spill to the spool
   */
  public static Storage open(String url, int batchSize, Duration flushInterval, int queueCapacity) {
    LedgerConfig d = LedgerConfig.defaults();
    return open(url, new LedgerConfig(d.durability(), batchSize, flushInterval, queueCapacity, d.commitTimeout(), null));
  }

  /** Next to the SQLite file ({@code <dir>/spool}); {@code data/spool} for PostgreSQL and in-memory SQLite. */
  static Path defaultSpoolDir(String url) {
    StorageUrl parsed = StorageUrl.parse(url);
    Path file = parsed.sqliteFile();
    if (file != null && file.getParent() != null) return file.toAbsolutePath().getParent().resolve("spool");
    return Path.of("data", "spool").toAbsolutePath();
  }

  public SqlLedgerWriter ledgerWriter() {
    return ledgerWriter;
  }

  public SqlUsageQuery usageQuery() {
    return usageQuery;
  }

  public SqlExceptionStore exceptionStore() {
    return exceptionStore;
  }

  /** Workload classes made through the admin API. */
  public SqlWorkloadClassStore workloadClassStore() {
    return workloadClassStore;
  }

  /** Alert history and the restrictions alerts made. */
  public SqlAlertStore alertStore() {
    return alertStore;
  }

  public SqlBudgetStore budgetStore() {
    return budgetStore;
  }

  public SqlKeyStore keyStore() {
    return keyStore;
  }

  /** The append-only, hash-chained audit log of control-plane changes. */
  public SqlAuditStore auditStore() {
    return auditStore;
  }

  /** Personal admin tokens (hashes only). */
  public SqlAdminTokenStore adminTokenStore() {
    return adminTokenStore;
  }

  public Database database() {
    return database;
  }

  @Override
  public void close() {
    try {
      ledgerWriter.close();
    } finally {
      database.close();
    }
  }
}
