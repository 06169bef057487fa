package dev.tollgate.port;

import dev.tollgate.domain.usage.UsageRecord;

/** Told of every finished request after its ledger row is handed over: metrics, access log, alerts. */
public interface UsageObserver {

  void observe(UsageRecord record);
}
