package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageFilter.Granularity;
import dev.tollgate.domain.usage.UsageRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollups against the ledger they sum, on SQLite and PostgreSQL: every query a rollup may answer
 * gives exactly what the ledger gives, rows written twice count once, and the migration sums in the
 * rows that were there before it.
 */
abstract class RollupContract {

  /** A URL of an empty database for this test; the same URL on every call within one test. */
  abstract String storageUrl();

  private final List<AutoCloseable> opened = new ArrayList<>();
  @TempDir Path spoolRoot;

  private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
      "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe");
  private static final List<String> DIMENSIONS = List.of("org", "team", "project", "workflow", "agent", "channel",
      "workload_class", "key", "provider", "requested_model", "served_model", "model", "tier", "status", "route_reason",
      "user", "tag:env");
  private static final Instant START = Instant.parse("2026-10-20T00:00:00Z");

  Storage open() {
    Storage storage = Storage.open(storageUrl(), new LedgerConfig(LedgerConfig.BATCHED, 300, Duration.ofMillis(50),
        100_000, Duration.ofSeconds(5), spoolRoot.resolve("spool")));
    opened.add(storage);
    return storage;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) c.close();
  }

  @Test
  void everyQueryARollupAnswersGivesExactlyWhatTheLedgerGives() {
    Storage storage = open();
    SplittableRandom random = new SplittableRandom(7);
    List<UsageRecord> rows = randomLedger(random, 3_000);
    rows.forEach(storage.ledgerWriter()::append);
    // Some rows again, as a retried batch or a spool replay would bring them: they must count once.
    rows.subList(100, 400).forEach(storage.ledgerWriter()::append);
    storage.ledgerWriter().flush();

    SqlUsageQuery fast = storage.usageQuery();
    SqlUsageQuery ledger = SqlUsageQuery.ledgerOnly(storage.database());
    int fromRollup = 0;
    for (int i = 0; i < 200; i++) {
      UsageFilter filter = randomFilter(random, rows);
      List<UsageAggregate> expected = ledger.aggregate(filter);
      assertThat(fast.aggregate(filter)).as("%s", filter).isEqualTo(expected);
      if (fast.sourceFor(filter).startsWith("usage_rollup")) fromRollup++;
    }
    assertThat(fromRollup).as("queries answered from a rollup").isGreaterThan(80);
  }

  @Test
  void theMonthByTeamAndModelReportReadsTheSmallRollupInHalfHourZonesToo() {
    Storage storage = open();
    Map<String, String> expected = Map.of("UTC", "usage_rollup_team_model_hour",
        "America/New_York", "usage_rollup_team_model_hour", "Europe/Berlin", "usage_rollup_team_model_hour",
        // The month starts and ends at half and quarter past a UTC hour: the whole hours between from
        // the hourly rollup, the quarter hours at either end from the quarter-hour one.
        "Asia/Kolkata", "usage_rollup_team_model_hour+usage_rollup_team_model",
        "Asia/Kathmandu", "usage_rollup_team_model_hour+usage_rollup_team_model");
    expected.forEach((zone, source) -> {
      ZoneId z = ZoneId.of(zone);
      UsageFilter month = new UsageFilter(LocalDate.parse("2026-11-01").atStartOfDay(z).toInstant(),
          LocalDate.parse("2026-12-01").atStartOfDay(z).toInstant(), Map.of(), List.of("team", "model"),
          Granularity.MONTH, z);
      assertThat(storage.usageQuery().sourceFor(month)).as(zone).isEqualTo(source);
    });
    UsageFilter byAgent = new UsageFilter(null, null, Map.of("team", "a"), List.of("agent"), Granularity.DAY, null);
    assertThat(storage.usageQuery().sourceFor(byAgent)).isEqualTo("usage_rollup_agent_hour");
    UsageFilter byAgentAndChannel = new UsageFilter(null, null, Map.of("team", "a"), List.of("agent", "channel"),
        Granularity.DAY, null);
    assertThat(storage.usageQuery().sourceFor(byAgentAndChannel)).isEqualTo("usage_rollup_attribution");
    UsageFilter byUser = new UsageFilter(null, null, Map.of(), List.of("user"), null, null);
    assertThat(storage.usageQuery().sourceFor(byUser)).isEqualTo("usage_rollup_user_hour");
    UsageFilter oneTeamsPeople = new UsageFilter(null, null, Map.of("team", "a"), List.of("user"), Granularity.DAY, null);
    assertThat(storage.usageQuery().sourceFor(oneTeamsPeople)).isEqualTo("usage_rollup_user_hour");
    UsageFilter onePersonsModels = new UsageFilter(null, null, Map.of("user", "u1"), List.of("model"), null, null);
    assertThat(storage.usageQuery().sourceFor(onePersonsModels)).as("no rollup keeps user and model").isEqualTo("ledger");
    // "This month so far": whole buckets from the rollup, the minutes after the last one from the ledger.
    UsageFilter monthSoFar = new UsageFilter(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-25T16:07:13Z"),
        Map.of(), List.of("team"), Granularity.DAY, null);
    assertThat(storage.usageQuery().sourceFor(monthSoFar)).isEqualTo("usage_rollup_team_model_hour+ledger");
    // Bounds at odd minutes: whole hours, then the whole quarter hours at either end, then the ledger.
    UsageFilter oddBounds = new UsageFilter(Instant.parse("2026-11-01T08:37:00Z"), Instant.parse("2026-11-03T16:52:00Z"),
        Map.of(), List.of("team"), Granularity.DAY, null);
    assertThat(storage.usageQuery().sourceFor(oddBounds))
        .isEqualTo("usage_rollup_team_model_hour+usage_rollup_team_model+ledger");
    UsageFilter insideABucket = new UsageFilter(Instant.parse("2026-11-01T00:01:00Z"), Instant.parse("2026-11-01T00:14:00Z"),
        Map.of(), List.of("team"), null, null);
    assertThat(storage.usageQuery().sourceFor(insideABucket)).isEqualTo("ledger");
  }

  @Test
  void aBatchCommittedTwiceIsSummedOnce() throws Exception {
    Storage storage = open();
    SplittableRandom random = new SplittableRandom(11);
    List<UsageRecord> rows = randomLedger(random, 500);
    LedgerInsert insert = new LedgerInsert(storage.database());
    insert.write(rows);
    // The acknowledgement was lost, so the writer (or the spool replay) writes the same batch again,
    // this time together with new rows.
    List<UsageRecord> again = new ArrayList<>(rows);
    List<UsageRecord> fresh = randomLedger(new SplittableRandom(12), 50).stream()
        .map(r -> withId(r, "fresh-" + r.id())).toList();
    again.addAll(fresh);
    insert.write(again);

    long ledgerCost = rows.stream().mapToLong(r -> r.cost().nanos()).sum() + fresh.stream().mapToLong(r -> r.cost().nanos()).sum();
    for (RollupShape shape : RollupShape.ALL) {
      assertThat(rollupTotals(storage.database(), shape.table())).as(shape.table()).containsExactly(550L, ledgerCost);
    }
  }

  @Test
  void theMigrationSumsInTheRowsThatWereThereBeforeIt() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    List<UsageRecord> rows = randomLedger(random, 2_000);
    StorageUrl url = StorageUrl.parse(storageUrl());
    // A database as the release before the rollups left it, with a ledger.
    var flyway = Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration/" + url.dialect().name().toLowerCase(java.util.Locale.ROOT));
    if (url.schema() != null) flyway = flyway.schemas(url.schema()).defaultSchema(url.schema()).createSchemas(true);
    MigrationVersion rollups = MigrationVersion.fromVersion("32");
    MigrationVersion before = java.util.Arrays.stream(flyway.load().info().all())
        .map(m -> m.getVersion()).filter(v -> v.isNewerThan("0") && rollups.isNewerThan(v.getVersion()))
        .max(MigrationVersion::compareTo).orElseThrow();
    flyway.target(before).load().migrate();
    try (Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      if (url.schema() != null) c.createStatement().execute("SET search_path TO " + url.schema());
      c.setAutoCommit(false);
      for (UsageRecord r : rows) {
        try (PreparedStatement ps = c.prepareStatement(LedgerRows.insertSql(url.dialect(), 1))) {
          LedgerRows.bind(ps, 0, r);
          ps.execute();
        }
      }
      c.commit();
    }

    Storage storage = open(); // migrates to the rollups
    Storage fresh = storage;
    SqlUsageQuery ledger = SqlUsageQuery.ledgerOnly(fresh.database());
    for (RollupShape shape : RollupShape.ALL) {
      // Hours in Asia/Kathmandu (+05:45) cannot come from the hourly rollup: that reads the quarter-hour one.
      ZoneId zone = shape.bucketSeconds() == 3_600 ? ZoneId.of("UTC") : ZoneId.of("Asia/Kathmandu");
      UsageFilter filter = new UsageFilter(null, null, Map.of(),
          shape.dimensions().stream().map(RollupContract::dimensionOf).toList(), Granularity.HOUR, zone);
      assertThat(fresh.usageQuery().sourceFor(filter)).isEqualTo(shape.table());
      assertThat(fresh.usageQuery().aggregate(filter)).as(shape.table()).isEqualTo(ledger.aggregate(filter));
    }
    // Rows written after the migration land in the same rollup rows as the backfilled ones.
    rows.subList(0, 100).forEach(r -> fresh.ledgerWriter().append(withId(r, "after-" + r.id())));
    fresh.ledgerWriter().flush();
    UsageFilter byTeam = new UsageFilter(null, null, Map.of(), List.of("team", "model", "status"), Granularity.DAY,
        ZoneId.of("Asia/Kolkata"));
    assertThat(fresh.usageQuery().aggregate(byTeam)).isEqualTo(ledger.aggregate(byTeam));
  }

  @Test
  void everyRollupHoldsWhatSummingTheLedgerInSqlGivesWhetherBulkLoadedOrWrittenByTheWriter() throws Exception {
    Storage storage = open();
    List<UsageRecord> rows = randomLedger(new SplittableRandom(21), 4_000);
    // Half through the bulk load (bench-ledger, imports), half through the request path's writer.
    LedgerBulkLoad.load(storage.database(), rows.subList(0, 2_000).iterator(), 700, total -> {});
    rows.subList(2_000, 4_000).forEach(storage.ledgerWriter()::append);
    storage.ledgerWriter().flush();

    for (RollupShape shape : RollupShape.ALL) {
      List<List<Object>> maintained = rollupRows(storage.database(), shape.table());
      // Rebuild from the ledger with the migrations' SQL, which shares no code with the writer's sums.
      try (Connection c = storage.database().dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM " + shape.table());
        s.executeUpdate(RollupWriter.backfillSql(shape));
      }
      assertThat(maintained).as(shape.table()).isNotEmpty().isEqualTo(rollupRows(storage.database(), shape.table()));
    }
  }

  @Test
  void daylightSavingChangeDaysInBerlinWithPartialHoursAtTheEdgesGiveWhatTheLedgerGives() {
    Storage storage = open();
    SplittableRandom random = new SplittableRandom(31);
    List<UsageRecord> rows = new ArrayList<>();
    // Three days around each of 2026's changes in Europe/Berlin (29 March: 02:00 -> 03:00; 25 October:
    // 03:00 -> 02:00), a row every few minutes at any nanosecond.
    for (String day : List.of("2026-03-28T00:00:00Z", "2026-10-24T00:00:00Z")) {
      Instant start = Instant.parse(day);
      for (UsageRecord r : randomLedger(random, 1_500)) {
        Instant at = start.plusNanos(random.nextLong(Duration.ofDays(3).toNanos()));
        rows.add(new UsageRecord(day.substring(0, 10) + "-" + r.id(), at, at.plusMillis(100), r.keyName(), r.attribution(),
            r.provider(), r.requestedModel(), r.servedModel(), r.tier(), r.routeReason(), r.usage(), r.cost(), r.status(),
            r.errorCode(), r.latencyMs(), r.ttftMs(), r.exceptionId(), r.cacheHit(), r.usageEstimated(), r.stream(),
            r.httpStatus()));
      }
    }
    rows.forEach(storage.ledgerWriter()::append);
    storage.ledgerWriter().flush();

    SqlUsageQuery fast = storage.usageQuery();
    SqlUsageQuery ledger = SqlUsageQuery.ledgerOnly(storage.database());
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    List<Instant[]> ranges = List.of(
        // Local 23:37:11 on the eve of the change to 05:13:40 the day after: partial hours and quarter hours.
        new Instant[] {Instant.parse("2026-03-28T22:37:11Z"), Instant.parse("2026-03-30T03:13:40Z")},
        new Instant[] {Instant.parse("2026-10-24T21:52:00Z"), Instant.parse("2026-10-26T04:07:30.5Z")},
        // The change days from local midnight to local midnight: 23 and 25 hours.
        new Instant[] {LocalDate.parse("2026-03-29").atStartOfDay(berlin).toInstant(),
            LocalDate.parse("2026-03-30").atStartOfDay(berlin).toInstant()},
        new Instant[] {LocalDate.parse("2026-10-25").atStartOfDay(berlin).toInstant(),
            LocalDate.parse("2026-10-26").atStartOfDay(berlin).toInstant()},
        new Instant[] {null, null});
    for (Instant[] range : ranges) {
      for (Granularity granularity : Granularity.values()) {
        for (List<String> groupBy : List.of(List.of("team", "model"), List.<String>of())) {
          UsageFilter filter = new UsageFilter(range[0], range[1], Map.of(), groupBy, granularity, berlin);
          List<UsageAggregate> expected = ledger.aggregate(filter);
          assertThat(expected).as("%s", filter).isNotEmpty();
          assertThat(fast.aggregate(filter)).as("%s", filter).isEqualTo(expected);
          assertThat(fast.sourceFor(filter)).as("%s", filter).startsWith("usage_rollup_team_model_hour");
        }
      }
    }
    UsageFilter edges = new UsageFilter(ranges.get(0)[0], ranges.get(0)[1], Map.of(), List.of("team"), Granularity.HOUR, berlin);
    assertThat(fast.sourceFor(edges)).isEqualTo("usage_rollup_team_model_hour+usage_rollup_team_model+ledger");
    // The same days by day in zones whose midnights are not whole UTC hours: a day boundary inside the
    // range would cut through an hourly bucket, so the quarter-hour rollup answers; same sums.
    for (String zone : List.of("Asia/Kolkata", "Asia/Kathmandu")) {
      UsageFilter filter = new UsageFilter(ranges.get(0)[0], ranges.get(0)[1], Map.of(), List.of("model"), Granularity.DAY,
          ZoneId.of(zone));
      assertThat(fast.aggregate(filter)).as(zone).isEqualTo(ledger.aggregate(filter));
      assertThat(fast.sourceFor(filter)).as(zone).isEqualTo("usage_rollup_team_model+ledger");
    }
  }

  private static List<List<Object>> rollupRows(Database database, String table) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY bucket_start_ns, dims_key")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) row.add(rs.getObject(i) instanceof Number n ? (Object) n.longValue() : rs.getObject(i));
        rows.add(row);
      }
    }
    return rows;
  }

  private static String dimensionOf(String column) {
    return switch (column) {
      case "key_name" -> "key";
      case "user_name" -> "user";
      default -> column;
    };
  }

  private static List<Long> rollupTotals(Database database, String table) throws Exception {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT SUM(requests), SUM(cost_nanos) FROM " + table)) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }

  // ---- random ledgers and queries ----

  /** Values that try the key spelling: nulls, empty strings, bars, backslashes, look-alikes. */
  private static final List<String> ODD = java.util.Arrays.asList(null, "", "a", "a|b", "a\\|b", "a\\", "~", "=", "|", "ü✓");

  static List<UsageRecord> randomLedger(SplittableRandom random, int count) {
    List<UsageRecord> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // Six weeks, to the nanosecond, so rows sit anywhere in their buckets and across DST changes.
      Instant started = START.plusNanos(random.nextLong(Duration.ofDays(42).toNanos()));
      Attribution attribution = new Attribution(pick(random, "acme", "acme", null), pick(random, ODD),
          pick(random, "p1", "p2", null), pick(random, "w1", "w2", "w3", null), pick(random, "ag1", "ag2", "ag|3", null),
          pick(random, "u1", "u2", "u3", null), pick(random, "slack", "api", null), null, pick(random, "chat", "batch", null),
          random.nextInt(3) == 0 ? Map.of() : Map.of("env", pick(random, "prod", "dev")));
      String model = pick(random, "m-small", "m-large", "m|x", null);
      rows.add(new UsageRecord("r" + i, started, started.plusMillis(100), pick(random, "k1", "k2", null), attribution,
          pick(random, "openai", "anthropic", null), random.nextInt(4) == 0 ? "m-large" : model, model,
          pick(random, "economy", "premium", null), pick(random, "preferred", "fallback", null),
          new TokenUsage(random.nextLong(5_000), random.nextLong(500), random.nextLong(50), random.nextLong(2_000),
              random.nextLong(100)),
          Money.ofNanos(random.nextLong(50_000_000_000L)), pick(random, RequestStatus.OK, RequestStatus.OK, RequestStatus.ERROR,
              RequestStatus.BLOCKED), null, random.nextLong(5_000), null, null, false, false, false, 200));
    }
    return rows;
  }

  private static UsageFilter randomFilter(SplittableRandom random, List<UsageRecord> rows) {
    List<String> groupBy = new ArrayList<>();
    int groups = random.nextInt(4);
    for (int g = 0; g < groups; g++) {
      String d = pick(random, DIMENSIONS);
      if (!groupBy.contains(d)) groupBy.add(d);
    }
    Map<String, String> equals = new HashMap<>();
    if (random.nextInt(3) == 0) {
      String d = pick(random, DIMENSIONS);
      String value = valueOf(pick(random, rows), d);
      if (value != null) equals.put(d, value);
    }
    Granularity granularity = random.nextInt(5) == 0 ? null : pick(random, Granularity.values());
    ZoneId zone = ZoneId.of(pick(random, ZONES));
    Instant from = random.nextBoolean() ? null : bound(random, zone);
    Instant to = random.nextBoolean() ? null : bound(random, zone);
    if (from != null && to != null && to.isBefore(from)) {
      Instant t = from;
      from = to;
      to = t;
    }
    return new UsageFilter(from, to, equals, groupBy, granularity, zone);
  }

  /** Mostly a local midnight, sometimes a quarter hour, sometimes an instant no bucket starts at. */
  private static Instant bound(SplittableRandom random, ZoneId zone) {
    LocalDate day = LocalDate.parse("2026-10-18").plusDays(random.nextInt(46));
    return switch (random.nextInt(3)) {
      case 0 -> day.atStartOfDay(zone).toInstant();
      case 1 -> day.atStartOfDay(zone).toInstant().plusSeconds(900L * random.nextInt(96));
      default -> day.atStartOfDay(zone).toInstant().plusMillis(random.nextLong(86_400_000L));
    };
  }

  private static String valueOf(UsageRecord row, String dimension) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("key", row.keyName());
    values.put("model", row.servedModel());
    values.put("user", row.attribution().user());
    values.put("tag:env", row.attribution().tags().get("env"));
    if (values.containsKey(dimension)) return values.get(dimension);
    String column = LedgerSql.column(dimension);
    return RollupShape.value(row, column);
  }

  private static UsageRecord withId(UsageRecord r, String id) {
    return new UsageRecord(id, r.startedAt(), r.endedAt(), r.keyName(), r.attribution(), r.provider(), r.requestedModel(),
        r.servedModel(), r.tier(), r.routeReason(), r.usage(), r.cost(), r.status(), r.errorCode(), r.latencyMs(),
        r.ttftMs(), r.exceptionId(), r.cacheHit(), r.usageEstimated(), r.stream(), r.httpStatus());
  }

  @SafeVarargs
  private static <T> T pick(SplittableRandom random, T... values) {
    return values[random.nextInt(values.length)];
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
