package dev.tollgate.store.sql;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.time.Instant;
import java.util.Map;

/** Ledger rows for tests: a plain served request, changed where a test cares. */
final class Ledger {

  private Ledger() {}

  static UsageRecord row(String id, Instant startedAt, String team, String model, long costNanos) {
    return row(id, startedAt, team, model, costNanos, Map.of());
  }

  static UsageRecord row(String id, Instant startedAt, String team, String model, long costNanos,
      Map<String, String> tags) {
    Attribution attribution = new Attribution("acme", team, null, null, null, null, null, null, null, tags);
    return new UsageRecord(id, startedAt, startedAt.plusMillis(120), "key-" + team, attribution, "sim",
        model, model, "economy", "preferred", new TokenUsage(100, 10, 0, 50, 5), Money.ofNanos(costNanos),
        RequestStatus.OK, null, 120, null, null, false, false, false, 200);
  }
}
