package dev.tollgate.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool on the configured storage, with the schema migrated to the current version.
 * Opening it is the only place a storage URL is turned into connections; everything SQL in Tollgate
 * borrows connections from {@link #dataSource()}.
 *
 * <p>SQLite runs in WAL mode (readers never wait for the writer), {@code synchronous=NORMAL} (a
 * commit survives a process crash; a power cut may lose the last few), a 5 s busy timeout and
 * {@code BEGIN IMMEDIATE} transactions, so two writers queue on the lock instead of failing.
 * Migrations live in {@code db/migration/sqlite} and {@code db/migration/postgresql}.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int SQLITE_POOL_SIZE = 4;
  private static final int POSTGRES_POOL_SIZE = 8;
  private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(5);

  private final StorageUrl url;
  private final HikariDataSource pool;

  private Database(StorageUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @throws IllegalArgumentException if the URL is not one of the allowed forms
   * @throws IllegalStateException if the database cannot be reached or migrated
   */
  public static Database open(String storageUrl) {
    return open(storageUrl, SQLITE_BUSY_TIMEOUT);
  }

  /** As {@link #open(String)}, with the time a SQLite writer waits for the lock before failing. */
  static Database open(String storageUrl, Duration sqliteBusyTimeout) {
    StorageUrl url = StorageUrl.parse(storageUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setPoolName("tollgate-" + url.dialect().name().toLowerCase(java.util.Locale.ROOT));
    switch (url.dialect()) {
      case SQLITE -> {
        createParentDirectories(url.sqliteFile());
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", Long.toString(sqliteBusyTimeout.toMillis()));
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      }
      case POSTGRESQL -> {
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        if (url.user() != null) config.setUsername(url.user());
        if (url.password() != null) config.setPassword(url.password());
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot open storage " + url.describe() + ": " + rootMessage(e), e);
    }
    try {
      migrate(url, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot migrate storage " + url.describe() + ": " + rootMessage(e), e);
    }
    log.info("storage open: {}", url.describe());
    return new Database(url, pool);
  }

  private static void migrate(StorageUrl url, DataSource dataSource) {
    var flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + url.dialect().name().toLowerCase(java.util.Locale.ROOT))
        .javaMigrations(RollupBackfill.all())
        .failOnMissingLocations(true);
    if (url.schema() != null) {
      flyway = flyway.schemas(url.schema()).defaultSchema(url.schema()).createSchemas(true);
    }
    flyway.load().migrate();
  }

  private static void createParentDirectories(Path file) {
    Path parent = file.getParent();
    if (parent == null) return;
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory for the SQLite database " + file, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  public Dialect dialect() {
    return url.dialect();
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Where the data lives, password masked: for logs and the health page. */
  public String describe() {
    return url.describe();
  }

  /** The PostgreSQL schema the tables live in, or null when the server's search path decides. */
  public String schema() {
    return url.schema();
  }

  /**
   * Closes a connection for good instead of returning it to the pool: after a failed transaction
   * a driver's idea of the connection's state may be wrong (sqlite-jdbc, when its implicit
   * {@code BEGIN} meets a busy database, believes a transaction is open that is not).
   */
  void discard(Connection connection) {
    pool.evictConnection(connection);
  }

  @Override
  public void close() {
    pool.close();
  }
}
