package dev.tollgate.port;

import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import java.util.List;

/** Reads the ledger back, aggregated: the basis of {@code GET /admin/v1/usage} and every report. */
public interface UsageQuery {

  List<UsageAggregate> aggregate(UsageFilter filter);

  /** The ledger rows themselves, newest first, at most {@code limit}; for inspection and tests. */
  List<dev.tollgate.domain.usage.UsageRecord> recent(UsageFilter filter, int limit);
}
