package dev.tollgate.store.sql;

import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds ledger rows to every rollup, inside the transaction that inserted them: the rollups commit or
 * roll back with the ledger rows, so they always reconcile with the ledger to the nano-dollar.
 *
 * <p>Only rows the insert really stored are added (its {@code ON CONFLICT DO NOTHING} skips a row
 * already there): a batch written twice — a lost acknowledgement, a spool replay — counts once.
 * Rows are summed in memory per (bucket, key) first, then upserted in key order, so that two
 * PostgreSQL transactions touching the same rollup rows lock them in the same order and cannot
 * deadlock.
 */
final class RollupWriter {

  private final List<RollupShape> shapes;
  private final List<String> upserts;

  RollupWriter(List<RollupShape> shapes) {
    this.shapes = List.copyOf(shapes);
    this.upserts = this.shapes.stream().map(RollupWriter::upsertSql).toList();
  }

  /** Adds the rows to every rollup through the caller's connection and transaction. */
  void add(Connection connection, List<UsageRecord> inserted) throws SQLException {
    if (inserted.isEmpty()) return;
    for (int s = 0; s < shapes.size(); s++) {
      RollupShape shape = shapes.get(s);
      Map<Key, Sums> sums = new TreeMap<>();
      for (UsageRecord row : inserted) {
        sums.computeIfAbsent(new Key(shape.bucketOf(row), shape.keyOf(row)), k -> new Sums(row)).add(row);
      }
      try (PreparedStatement ps = connection.prepareStatement(upserts.get(s))) {
        for (Map.Entry<Key, Sums> e : sums.entrySet()) {
          bind(ps, shape, e.getKey(), e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement ps, RollupShape shape, Key key, Sums sums) throws SQLException {
    int i = 0;
    ps.setLong(++i, key.bucket());
    ps.setString(++i, key.dims());
    for (String column : shape.dimensions()) ps.setString(++i, RollupShape.value(sums.example, column));
    for (long measure : sums.values) ps.setLong(++i, measure);
  }

  static String upsertSql(RollupShape shape) {
    List<String> columns = new ArrayList<>();
    columns.add("bucket_start_ns");
    columns.add("dims_key");
    columns.addAll(shape.dimensions());
    columns.addAll(RollupShape.MEASURES);
    List<String> updates = RollupShape.MEASURES.stream()
        .map(m -> m + " = " + shape.table() + "." + m + " + excluded." + m)
        .toList();
    return "INSERT INTO " + shape.table() + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", columns.stream().map(c -> "?").toList()) + ")"
        + " ON CONFLICT (bucket_start_ns, dims_key) DO UPDATE SET " + String.join(", ", updates);
  }

  /**
   * Builds one rollup from the ledger rows already there: the migration that adds the rollups runs
   * this, and so does a rebuild. Sums in SQL, keyed exactly as {@link #add} keys them.
   */
  static String backfillSql(RollupShape shape) {
    String dims = String.join(", ", shape.dimensions());
    long bucket = shape.bucketNanos();
    // Floor division, as in the usage query: SQL's integer division truncates towards zero.
    String bucketSql = "(CASE WHEN started_at_ns >= 0 THEN started_at_ns / " + bucket
        + " ELSE (started_at_ns + 1) / " + bucket + " - 1 END) * " + bucket;
    return "INSERT INTO " + shape.table() + " (bucket_start_ns, dims_key, " + dims + ", "
        + String.join(", ", RollupShape.MEASURES) + ")"
        + " SELECT " + bucketSql + ", " + shape.keySql() + ", " + dims
        + ", COUNT(*), SUM(input_tokens), SUM(cached_input_tokens), SUM(cache_write_tokens), SUM(output_tokens),"
        + " SUM(reasoning_tokens), SUM(cost_nanos), SUM(latency_ms)"
        + " FROM ledger GROUP BY " + bucketSql + ", " + dims;
  }

  private record Key(long bucket, String dims) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::bucket).thenComparing(Key::dims);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /** Running sums of one rollup row, in {@link RollupShape#MEASURES} order; {@code example} gives its dimension values. */
  private static final class Sums {
    final UsageRecord example;
    final long[] values = new long[RollupShape.MEASURES.size()];

    Sums(UsageRecord example) {
      this.example = example;
    }

    void add(UsageRecord row) {
      TokenUsage u = row.usage();
      values[0] += 1;
      values[1] = Math.addExact(values[1], u.inputTokens());
      values[2] = Math.addExact(values[2], u.cachedInputTokens());
      values[3] = Math.addExact(values[3], u.cacheWriteTokens());
      values[4] = Math.addExact(values[4], u.outputTokens());
      values[5] = Math.addExact(values[5], u.reasoningTokens());
      values[6] = Math.addExact(values[6], row.cost().nanos());
      values[7] = Math.addExact(values[7], row.latencyMs());
    }
  }
}
