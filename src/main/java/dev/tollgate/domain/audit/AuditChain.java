package dev.tollgate.domain.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The audit log's hash chain. Each row's hash is
 * {@code hex(SHA-256(prev_hash + "\n" + canonical(row)))}, where {@code canonical} writes the row's
 * fields in a fixed order, each as its UTF-8 byte length, a colon, the value and a newline
 * ({@code -} and a newline for a null):
 * {@code seq, at (epoch nanoseconds), actor, actor_role, method, route, resource_type, resource_id,
 * before, after}. Changing any field of any row, deleting a row or reordering rows breaks the chain
 * from that row on, which {@link Verifier} reports; only the newest rows can be cut off unseen, so
 * keep the head hash that {@code verify} prints (or an export) somewhere else.
 */
public final class AuditChain {

  /** The {@code prev_hash} of the first row. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** The row that follows {@code previous} (null for the first row). */
  public static AuditEntry seal(AuditEntry previous, AuditEvent event) {
    long seq = previous == null ? 1 : previous.seq() + 1;
    String prev = previous == null ? GENESIS : previous.hash();
    return new AuditEntry(seq, event, prev, hash(prev, seq, event));
  }

  public static String hash(String prevHash, long seq, AuditEvent e) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((prevHash + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(canonical(seq, e).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is required by every JVM", ex);
    }
  }

  /** The row's content as hashed: see the class comment. */
  public static String canonical(long seq, AuditEvent e) {
    StringBuilder b = new StringBuilder(256);
    field(b, Long.toString(seq));
    field(b, e.at() == null ? null : Long.toString(nanos(e.at())));
    field(b, e.actor());
    field(b, e.actorRole());
    field(b, e.method());
    field(b, e.route());
    field(b, e.resourceType());
    field(b, e.resourceId());
    field(b, e.before());
    field(b, e.after());
    return b.toString();
  }

  private static void field(StringBuilder b, String value) {
    if (value == null) b.append("-\n");
    else b.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append('\n');
  }

  /** Epoch nanoseconds, the precision the log keeps. */
  public static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  /**
   * What a verification found.
   *
   * @param rows rows read
   * @param headSeq the last row's seq (0 for an empty log)
   * @param headHash the last row's hash ({@link #GENESIS} for an empty log)
   * @param firstBadSeq the first row that breaks the chain, or null when it holds
   * @param problem what is wrong with that row, in words
   */
  public record Verification(long rows, long headSeq, String headHash, Long firstBadSeq, String problem) {
    public boolean ok() {
      return firstBadSeq == null;
    }
  }

  /**
   * Checks rows fed in seq order; stops judging at the first bad row. Not thread-safe: one per
   * verification.
   */
  public static final class Verifier {

    private long rows;
    private long expectedSeq = 1;
    private String expectedPrev = GENESIS;
    private long headSeq;
    private String headHash = GENESIS;
    private Long firstBad;
    private String problem;

    /** Checks the next row; returns false once the chain is broken (further rows are not needed). */
    public boolean feed(AuditEntry row) {
      if (firstBad != null) return false;
      rows++;
      if (row.seq() != expectedSeq) {
        if (row.seq() > expectedSeq) {
          fail(expectedSeq, (row.seq() - expectedSeq == 1 ? "row " + expectedSeq + " is missing"
              : "rows " + expectedSeq + " to " + (row.seq() - 1) + " are missing") + " (deleted): row " + row.seq()
              + " follows row " + (expectedSeq - 1));
        } else {
          fail(row.seq(), "row " + row.seq() + " is out of order or duplicated: expected row " + expectedSeq);
        }
        return false;
      }
      if (!row.prevHash().equals(expectedPrev)) {
        fail(row.seq(), "row " + row.seq() + " does not link to the row before it: its prev_hash is not row "
            + (row.seq() - 1) + "'s hash (one of the two was rewritten)");
        return false;
      }
      String recomputed = hash(row.prevHash(), row.seq(), row.event());
      if (!recomputed.equals(row.hash())) {
        fail(row.seq(), "row " + row.seq() + " was changed after it was written: its content does not match its hash");
        return false;
      }
      expectedSeq = row.seq() + 1;
      expectedPrev = row.hash();
      headSeq = row.seq();
      headHash = row.hash();
      return true;
    }

    private void fail(long seq, String why) {
      firstBad = seq;
      problem = why;
    }

    public Verification result() {
      return new Verification(rows, headSeq, headHash, firstBad, problem);
    }
  }
}
