package dev.tollgate.store.sql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code storage:} setting, parsed once: {@code sqlite:path/to/file.db} or
 * {@code postgresql://user[:password]@host[:port]/database[?params]}. A {@code schema} (or
 * {@code currentSchema}) parameter puts every table in that PostgreSQL schema, made if missing; other
 * parameters (e.g. {@code sslmode}) go to the JDBC driver unchanged.
 *
 * @param sqliteFile the database file, for SQLite; null for PostgreSQL
 * @param schema the PostgreSQL schema to use, or null for the server's default search path
 */
record StorageUrl(
    Dialect dialect,
    String jdbcUrl,
    String user,
    String password,
    String schema,
    Path sqliteFile) {

  static final String FORMS =
      "expected sqlite:path/to/file.db or postgresql://user[:password]@host[:port]/database[?schema=name]";

  private static final Pattern POSTGRES = Pattern.compile(
      "postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#@]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?/([^/?#]+)(?:\\?(.*))?");

  /** Parses a storage URL; a malformed one is refused with the forms that are allowed. */
  static StorageUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("storage URL is empty; " + FORMS);
    }
    String s = url.trim();
    if (s.startsWith("sqlite:")) {
      return sqlite(url, s.substring("sqlite:".length()));
    }
    if (s.startsWith("postgresql:") || s.startsWith("postgres:")) {
      return postgres(url, s);
    }
    throw new IllegalArgumentException("unsupported storage URL '" + redact(url) + "'; " + FORMS);
  }

  private static StorageUrl sqlite(String original, String path) {
    if (path.isBlank() || path.startsWith(":memory:") || path.contains("?")) {
      throw new IllegalArgumentException("storage URL '" + original + "' needs a plain file path "
          + "(an in-memory database would vanish between pooled connections); " + FORMS);
    }
    Path file = Path.of(path).toAbsolutePath().normalize();
    return new StorageUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, null, null, null, file);
  }

  private static StorageUrl postgres(String original, String s) {
    Matcher m = POSTGRES.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("malformed storage URL '" + redact(original) + "'; " + FORMS);
    }
    String user = decode(m.group(1));
    String password = decode(m.group(2));
    String host = m.group(3);
    String port = m.group(4) == null ? "5432" : m.group(4);
    if (Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("port " + port + " in storage URL is out of range; " + FORMS);
    }
    String database = decode(m.group(5));
    Map<String, String> params = query(original, m.group(6));
    String schema = params.remove("schema");
    String currentSchema = params.remove("currentSchema");
    if (schema != null && currentSchema != null && !schema.equals(currentSchema)) {
      throw new IllegalArgumentException("storage URL names two schemas ('" + schema + "' and '"
          + currentSchema + "'); give one");
    }
    if (schema == null) schema = currentSchema;
    if (schema != null && !schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema '" + schema
          + "' must be a plain identifier: letters, digits and _, not starting with a digit");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
        .append('/').append(encode(database));
    // Batches of one-row INSERTs (the rollup upserts) go out as multi-row statements.
    params.putIfAbsent("reWriteBatchedInserts", "true");
    if (schema != null) params.put("currentSchema", schema);
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      jdbc.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return new StorageUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password, schema, null);
  }

  private static Map<String, String> query(String original, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) return params;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("parameter '" + pair + "' in storage URL '" + redact(original)
            + "' has no value; write name=value");
      }
      params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decode(String s) {
    return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password masked, for error messages and logs. */
  static String redact(String url) {
    return url == null ? null : url.replaceFirst("(://[^:@/]*:)[^@/]*@", "$1***@");
  }

  /** What to log: where the data lives, never the password. */
  String describe() {
    return dialect == Dialect.SQLITE ? "sqlite:" + sqliteFile : redact(jdbcUrl);
  }
}
