package dev.tollgate.store.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's file format, ownership and what survives a torn or damaged file. */
class SpoolTest {

  private static final String STORAGE = "sqlite:/data/tollgate.db";
  private static final Instant T0 = Instant.parse("2026-11-01T09:30:00.123456789Z");

  @TempDir Path dir;

  static UsageRecord full(String id) {
    Attribution a = new Attribution("acme", "support", "helpdesk", "triage", "bot-7", "ana@acme.test", "slack",
        "conv-1", "classification", Map.of("env", "prod", "quote\"d", "línea\nnueva"));
    return new UsageRecord(id, T0, T0.plusNanos(1_500_000_001L), "support-key", a, "openai", "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18", "economy", "budget_downgrade", new TokenUsage(1200, 1000, 7, 300, 120),
        Money.ofNanos(123_456_789_012L), RequestStatus.ERROR, "upstream_error", 1500, 250L, "exc-9", true, true, true, 502,
        "rule: agent=bot-*", Map.of("email", 2, "payment_card", 1), 3,
        new dev.tollgate.domain.usage.Efficiency(Money.ofNanos(75_000), "ticket-triage", "0123456789abcdef0123456789abcdef",
            "fedcba9876543210fedcba9876543210", 512L));
  }

  static UsageRecord sparse(String id) {
    return new UsageRecord(id, T0, null, null, null, null, null, null, null, null, null, null, RequestStatus.BLOCKED,
        null, 0, null, null, false, false, false, 401);
  }

  @Test
  void everyFieldRoundTripsExactly() throws IOException {
    for (UsageRecord r : List.of(full("a"), sparse("b"))) {
      byte[] line = SpoolFormat.encode(r);
      assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
      for (int i = 0; i < line.length - 1; i++) assertThat(line[i]).as("one line, newline escaped").isNotEqualTo((byte) '\n');
      assertThat(SpoolFormat.decode(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(r);
    }
  }

  @Test
  void theFormatKnowsEveryFieldOfALedgerRow() {
    // A new UsageRecord field must be written and read by SpoolFormat, and set in full() above;
    // otherwise a row that went through the spool would lose it.
    assertThat(UsageRecord.class.getRecordComponents()).as("UsageRecord fields SpoolFormat was written for").hasSize(25);
  }

  @Test
  void aLineOfAnotherVersionIsRefused() {
    assertThatThrownBy(() -> SpoolFormat.decode("{\"v\":2,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("version");
  }

  @Test
  void sealedSegmentsReplayInOrderAndTheFlushMarkMovesOnlyWhenTheyAreGone() throws Exception {
    Spool spool = new Spool(dir, STORAGE);
    assertThat(spool.append(List.of(full("1"), full("2")))).isEqualTo(2);
    assertThat(spool.replayable()).as("the open segment is held").isEmpty();
    spool.seal();
    assertThat(spool.append(List.of(full("3")))).isEqualTo(3);
    spool.seal();
    assertThat(spool.inDatabaseThrough()).isZero();

    List<String> seen = new ArrayList<>();
    for (Path segment : spool.replayable()) {
      try (Claim claim = spool.claim(segment)) {
        assertThat(claim.own()).isTrue();
        claim.replay(10, rows -> rows.forEach(r -> seen.add(r.id())));
        claim.delete();
      }
    }
    assertThat(seen).containsExactly("1", "2", "3");
    assertThat(spool.inDatabaseThrough()).isEqualTo(3);
    assertThat(spool.holdsUnreplayedRows()).isFalse();
    assertThat(spool.replayable()).isEmpty();
  }

  @Test
  void aTornLastLineIsSkippedAndAnUnreadableLineKeepsTheSegmentAside() throws Exception {
    Spool writer = new Spool(dir, STORAGE);
    writer.append(List.of(full("ok-1")));
    writer.close();
    Path segment = segments().getFirst();
    Files.writeString(segment, "not json\n", StandardOpenOption.APPEND);
    Files.write(segment, SpoolFormat.encode(full("ok-2")), StandardOpenOption.APPEND);
    Files.writeString(segment, "{\"v\":1,\"id\":\"cut-off", StandardOpenOption.APPEND);

    Spool reader = new Spool(dir, STORAGE);
    List<String> seen = new ArrayList<>();
    try (Claim claim = reader.claim(reader.replayable().getFirst())) {
      assertThat(claim.own()).as("left by another spool").isFalse();
      Claim.Replayed r = claim.replay(10, rows -> rows.forEach(x -> seen.add(x.id())));
      assertThat(r).isEqualTo(new Claim.Replayed(2, 1, true));
      claim.delete();
    }
    assertThat(seen).containsExactly("ok-1", "ok-2");
    assertThat(segments()).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).singleElement().satisfies(n -> assertThat(n).endsWith(".corrupt"));
    }
  }

  @Test
  void aSegmentIsClaimedByOneReplayerAtATime() throws Exception {
    Spool writer = new Spool(dir, STORAGE);
    writer.append(List.of(full("x")));
    writer.close();
    Spool a = new Spool(dir, STORAGE);
    Spool b = new Spool(dir, STORAGE);
    Path segment = a.replayable().getFirst();
    try (Claim claim = a.claim(segment)) {
      assertThat(claim).isNotNull();
      assertThat(b.replayable()).isEmpty();
      assertThat(b.claim(segment)).isNull();
    }
    assertThat(b.replayable()).containsExactly(segment);
  }

  @Test
  void aSealedSegmentAnotherReplicaReplayedCountsAsReplayedForItsWriter() throws Exception {
    Spool mine = new Spool(dir, STORAGE);
    mine.append(List.of(full("1"), full("2")));
    mine.seal();
    Spool replica = new Spool(dir, STORAGE);
    try (Claim claim = replica.claim(replica.replayable().getFirst())) {
      assertThat(claim.own()).isFalse();
      claim.replay(10, rows -> { });
      claim.delete();
    }

    assertThat(mine.inDatabaseThrough()).isZero();
    assertThat(mine.forgetReplayedElsewhere()).isEqualTo(2);
    assertThat(mine.inDatabaseThrough()).isEqualTo(2);
    assertThat(mine.holdsUnreplayedRows()).isFalse();
  }

  @Test
  void aSegmentOfAnotherStorageIsNotClaimed() throws Exception {
    Spool other = new Spool(dir, "postgresql://db.internal:5432/ledger");
    other.append(List.of(full("x")));
    other.close();
    Spool mine = new Spool(dir, STORAGE);
    assertThat(mine.claim(mine.replayable().getFirst())).isNull();
    assertThat(segments()).hasSize(1);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }
}
