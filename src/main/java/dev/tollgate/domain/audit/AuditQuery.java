package dev.tollgate.domain.audit;

import java.time.Instant;

/**
 * Which audit rows to read, oldest first: {@code from <= at < to}, an exact actor, a resource type and
 * optionally one resource id; {@code afterSeq} pages (rows with a larger seq), at most {@code limit}.
 * Null fields do not filter.
 */
public record AuditQuery(Instant from, Instant to, String actor, String resourceType, String resourceId, long afterSeq,
    int limit) {

  /** Every row after {@code afterSeq}, {@code limit} at a time: for export and verification. */
  public static AuditQuery page(long afterSeq, int limit) {
    return new AuditQuery(null, null, null, null, null, afterSeq, limit);
  }
}
