package dev.tollgate.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditQuery;
import dev.tollgate.service.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log on a real database: append-only, one hash chain even with two gateways appending at
 * once, and {@code verify} names the first row that was edited or deleted behind its back.
 */
abstract class AuditLogContract {

  static final Principal ANA = new Principal("tok_ana", Principal.Kind.TOKEN, Set.of(Role.FINANCE), Set.of(), "ana@example.com", "ana");
  static final Principal BOB = new Principal("bob-sub", Principal.Kind.OIDC, Set.of(Role.TEAM_LEAD), Set.of("support"), null, "bob");

  /** A clock that moves one second each time it is read, so that rows have distinct, known times. */
  static final class SteppingClock extends Clock {
    private final AtomicLong seconds = new AtomicLong(Instant.parse("2026-11-01T00:00:00Z").getEpochSecond());

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement(), 123_456_789);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  Database db;
  AuditLog audit;

  abstract String storageUrl();

  /** Removes the database's append-only guard, as someone covering their tracks would. */
  abstract void dropAppendOnlyGuard(Statement s) throws SQLException;

  @BeforeEach
  void open() {
    db = Database.open(storageUrl());
    audit = new AuditLog(new SqlAuditStore(db), new SteppingClock());
  }

  @AfterEach
  void close() {
    if (db != null) db.close();
  }

  void recordFive() {
    audit.record(ANA, "POST", "/admin/v1/budgets", "budget", "bud_1", null, "{\"usd\":\"8000\",\"note\":\"Q4 — café\"}");
    audit.record(ANA, "PUT", "/admin/v1/budgets/:id", "budget", "bud_1", "{\"usd\":\"8000\"}", "{\"usd\":\"9000\"}");
    audit.record(BOB, "POST", "/admin/v1/keys", "key", "key_1", null, "{\"name\":\"bot\",\"note\":\"line one\\nline two\"}");
    audit.record(BOB, "POST", "/admin/v1/keys/:id/revoke", "key", "key_1", "{\"revoked_at\":null}", "{\"revoked_at\":\"x\"}");
    audit.record(Principal.CONFIG_FILE, "RELOAD", "/etc/tollgate.yaml", "config", "tollgate.yaml", "{\"sha256\":\"a\"}",
        "{\"sha256\":\"b\"}");
  }

  @Test
  void anEmptyLogVerifies() {
    AuditChain.Verification v = audit.verify();
    assertThat(v.ok()).isTrue();
    assertThat(v.rows()).isZero();
    assertThat(v.headHash()).isEqualTo(AuditChain.GENESIS);
  }

  @Test
  void everyRowLinksToTheOneBeforeAndTheChainVerifies() {
    recordFive();
    List<AuditEntry> rows = audit.find(AuditQuery.page(0, 100));
    assertThat(rows).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(rows.get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
    for (int i = 1; i < rows.size(); i++) assertThat(rows.get(i).prevHash()).isEqualTo(rows.get(i - 1).hash());
    assertThat(rows.get(0).event().after()).as("stored byte for byte").isEqualTo("{\"usd\":\"8000\",\"note\":\"Q4 — café\"}");
    assertThat(rows.get(0).event().at()).isEqualTo(Instant.parse("2026-11-01T00:00:00.123456789Z"));
    assertThat(rows.get(4).event().actor()).isEqualTo("config-file");
    assertThat(rows.get(4).event().actorRole()).isNull();

    AuditChain.Verification v = audit.verify();
    assertThat(v.ok()).as(v.problem()).isTrue();
    assertThat(v.rows()).isEqualTo(5);
    assertThat(v.headSeq()).isEqualTo(5);
    assertThat(v.headHash()).isEqualTo(rows.get(4).hash());
  }

  @Test
  void theDatabaseRefusesToChangeOrDeleteARow() throws SQLException {
    recordFive();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log WHERE seq = 2"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }
    assertThat(audit.verify().ok()).isTrue();
  }

  @Test
  void verifyNamesAnEditedRow() throws SQLException {
    recordFive();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      dropAppendOnlyGuard(s);
      assertThat(s.executeUpdate("UPDATE audit_log SET after_json = '{\"usd\":\"90000\"}' WHERE seq = 2")).isEqualTo(1);
    }
    AuditChain.Verification v = audit.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(2);
    assertThat(v.problem()).contains("row 2 was changed after it was written");
  }

  @Test
  void verifyNamesADeletedRow() throws SQLException {
    recordFive();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      dropAppendOnlyGuard(s);
      assertThat(s.executeUpdate("DELETE FROM audit_log WHERE seq = 3")).isEqualTo(1);
    }
    AuditChain.Verification v = audit.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(3);
    assertThat(v.problem()).contains("row 3 is missing (deleted)");
  }

  @Test
  void aRowRewrittenWithAFreshHashBreaksTheLinkToTheNextRow() throws SQLException {
    recordFive();
    AuditEntry second = audit.find(AuditQuery.page(1, 1)).get(0);
    var forged = new dev.tollgate.domain.audit.AuditEvent(second.event().at(), "admin-token", "admin", second.event().method(),
        second.event().route(), second.event().resourceType(), second.event().resourceId(), second.event().before(),
        second.event().after());
    String forgedHash = AuditChain.hash(second.prevHash(), 2, forged);
    try (Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        dropAppendOnlyGuard(s);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET actor = ?, actor_role = ?, hash = ? WHERE seq = 2")) {
        ps.setString(1, "admin-token");
        ps.setString(2, "admin");
        ps.setString(3, forgedHash);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
    AuditChain.Verification v = audit.verify();
    assertThat(v.firstBadSeq()).isEqualTo(3);
    assertThat(v.problem()).contains("row 3 does not link to the row before it");
  }

  @Test
  void twoGatewaysAppendingAtOnceMakeOneChain() throws Exception {
    try (Database other = Database.open(storageUrl())) {
      AuditLog second = new AuditLog(new SqlAuditStore(other), Clock.systemUTC());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          AuditLog log = t % 2 == 0 ? audit : second;
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < 15; i++) log.record(ANA, "PUT", "/admin/v1/budgets/:id", "budget", "b" + thread + "-" + i, null, "{}");
          }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
    }
    AuditChain.Verification v = audit.verify();
    assertThat(v.ok()).as(v.problem()).isTrue();
    assertThat(v.rows()).isEqualTo(60);
  }

  @Test
  void rowsAreFoundByTimeActorAndResourceAndPaged() {
    recordFive();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    assertThat(audit.find(new AuditQuery(null, null, "token:tok_ana", null, null, 0, 100))).extracting(AuditEntry::seq)
        .containsExactly(1L, 2L);
    assertThat(audit.find(new AuditQuery(null, null, null, "key", "key_1", 0, 100))).extracting(AuditEntry::seq)
        .containsExactly(3L, 4L);
    assertThat(audit.find(new AuditQuery(null, null, null, "budget", null, 0, 100))).hasSize(2);
    assertThat(audit.find(new AuditQuery(start.plusSeconds(1), start.plus(Duration.ofSeconds(3)), null, null, null, 0, 100)))
        .extracting(AuditEntry::seq).containsExactly(2L, 3L);
    assertThat(audit.find(AuditQuery.page(2, 2))).extracting(AuditEntry::seq).containsExactly(3L, 4L);
  }
}
