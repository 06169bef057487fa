package dev.tollgate.store.sql;

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
  private final SqlExceptionStore exceptionStore;

  private Storage(Database database, SqlLedgerWriter ledgerWriter) {
    this.database = database;
    this.ledgerWriter = ledgerWriter;
    this.usageQuery = new SqlUsageQuery(database);
    this.keyStore = new SqlKeyStore(database);
    this.budgetStore = new SqlBudgetStore(database, java.time.Clock.systemUTC());
    this.exceptionStore = new SqlExceptionStore(database, java.time.Clock.systemUTC());
  }

  /**
   * Opens the database, migrates it and starts the ledger writer.
   *
   * @param url {@code sqlite:path/to/file.db} or {@code postgresql://user[:pw]@host[:port]/db[?schema=s]}
   * @param batchSize most ledger rows per transaction
   * @param flushInterval longest a ledger row waits in memory for its batch to fill
   * @param queueCapacity ledger rows held in memory before appends wait
   * @throws IllegalArgumentException if the URL or a ledger setting is invalid
   * @throws IllegalStateException if the database cannot be reached or migrated
   */
  public static Storage open(String url, int batchSize, Duration flushInterval, int queueCapacity) {
    Database database = Database.open(url);
    try {
      return new Storage(database, new SqlLedgerWriter(database, batchSize, flushInterval, queueCapacity));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
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

  public SqlBudgetStore budgetStore() {
    return budgetStore;
  }

  public SqlKeyStore keyStore() {
    return keyStore;
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
