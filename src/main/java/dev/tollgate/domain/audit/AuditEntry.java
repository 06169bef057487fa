package dev.tollgate.domain.audit;

/**
 * A row of the audit log: the event, its position in the log and its link in the hash chain.
 *
 * @param seq 1 for the first row, then each row one more than the one before
 * @param prevHash the previous row's {@code hash}, or {@link AuditChain#GENESIS} for the first row
 * @param hash {@link AuditChain#hash(String, long, AuditEvent)} of this row
 */
public record AuditEntry(long seq, AuditEvent event, String prevHash, String hash) {}
