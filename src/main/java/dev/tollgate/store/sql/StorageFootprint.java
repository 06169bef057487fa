package dev.tollgate.store.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** How big the ledger and its rollups are: rows per table and bytes on disk, for benchmarks. */
public final class StorageFootprint {

  private StorageFootprint() {}

  /** Rows in the ledger and in each rollup, by table name. */
  public static Map<String, Long> rows(Database database) {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      rows.put("ledger", count(s, "ledger"));
      for (RollupShape shape : RollupShape.ALL) rows.put(shape.table(), count(s, shape.table()));
    } catch (SQLException e) {
      throw new IllegalStateException("counting rows failed: " + e.getMessage(), e);
    }
    return rows;
  }

  /**
   * Bytes the database takes: the SQLite file with its write-ahead log, or the PostgreSQL schema's
   * tables with their indexes and TOAST.
   */
  public static long bytes(Database database, String storageUrl) {
    StorageUrl url = StorageUrl.parse(storageUrl);
    if (url.dialect() == Dialect.SQLITE) {
      return size(url.sqliteFile()) + size(Path.of(url.sqliteFile() + "-wal"));
    }
    String sql = "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'";
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("measuring the schema failed: " + e.getMessage(), e);
    }
  }

  private static long count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
