package dev.tollgate.port;

import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditEvent;
import dev.tollgate.domain.audit.AuditQuery;
import java.util.List;

/** The append-only audit log. Appends are serialised, so the hash chain stays one line even across replicas. */
public interface AuditStore {

  /** Chains {@code event} after the newest row and stores it, atomically; returns the stored row. */
  AuditEntry append(AuditEvent event);

  /** Rows matching the query, oldest first. */
  List<AuditEntry> find(AuditQuery query);
}
