package dev.tollgate.domain.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hash chain's format is a promise to every log already written: pinned here byte for byte. */
class AuditChainTest {

  static final AuditEvent EVENT = new AuditEvent(Instant.parse("2026-11-01T09:30:00.000000001Z"), "token:tok_1", "finance", "PUT",
      "/admin/v1/budgets/:id", "budget", "bud_1", "{\"usd\":\"8000\"}", "{\"note\":\"café\\nline\"}");

  @Test
  void theCanonicalFormIsLengthPrefixedFieldsInAFixedOrder() {
    assertThat(AuditChain.canonical(7, EVENT)).isEqualTo("""
        1:7
        19:1793525400000000001
        11:token:tok_1
        7:finance
        3:PUT
        21:/admin/v1/budgets/:id
        6:budget
        5:bud_1
        14:{"usd":"8000"}
        22:{"note":"café\\nline"}
        """);
    AuditEvent noBefore = new AuditEvent(EVENT.at(), "config-file", null, "RELOAD", "/etc/t.yaml", "config", "t.yaml", null, "{}");
    assertThat(AuditChain.canonical(1, noBefore)).contains("\n-\n").startsWith("1:1\n");
  }

  @Test
  void theHashIsSha256OfThePreviousHashANewlineAndTheCanonicalForm() {
    // Python gives the same: hashlib.sha256((prev + "\n" + canonical).encode()).hexdigest()
    assertThat(AuditChain.hash(AuditChain.GENESIS, 7, EVENT))
        .isEqualTo("f16c91308d4413bab6285ee10ea13aedf85e2679f7f074ec0ce987fdfec8033d");
  }

  @Test
  void sealingChainsEachRowToTheOneBefore() {
    AuditEntry first = AuditChain.seal(null, EVENT);
    AuditEntry second = AuditChain.seal(first, EVENT);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.hash()).isNotEqualTo(first.hash());

    AuditChain.Verifier v = new AuditChain.Verifier();
    assertThat(v.feed(first)).isTrue();
    assertThat(v.feed(second)).isTrue();
    assertThat(v.result().ok()).isTrue();
    assertThat(v.result().headHash()).isEqualTo(second.hash());
  }

  @Test
  void aChangedFieldAMissingRowAndARepeatedRowAreNamed() {
    AuditEntry first = AuditChain.seal(null, EVENT);
    AuditEntry second = AuditChain.seal(first, EVENT);
    AuditEntry third = AuditChain.seal(second, EVENT);

    AuditChain.Verifier edited = new AuditChain.Verifier();
    edited.feed(first);
    AuditEvent changed = new AuditEvent(EVENT.at(), EVENT.actor(), "admin", EVENT.method(), EVENT.route(), EVENT.resourceType(),
        EVENT.resourceId(), EVENT.before(), EVENT.after());
    assertThat(edited.feed(new AuditEntry(2, changed, second.prevHash(), second.hash()))).isFalse();
    assertThat(edited.result().firstBadSeq()).isEqualTo(2);

    AuditChain.Verifier gap = new AuditChain.Verifier();
    gap.feed(first);
    gap.feed(third);
    assertThat(gap.result().firstBadSeq()).isEqualTo(2);
    assertThat(gap.result().problem()).isEqualTo("row 2 is missing (deleted): row 3 follows row 1");

    AuditChain.Verifier repeated = new AuditChain.Verifier();
    repeated.feed(first);
    repeated.feed(first);
    assertThat(repeated.result().firstBadSeq()).isEqualTo(1);
  }
}
