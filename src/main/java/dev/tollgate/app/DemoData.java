package dev.tollgate.app;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.key.VirtualKey;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.LedgerWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Thirty days of plausible history for the demo, so that usage reports have something to show on
 * first start. Deterministic (fixed seed), priced with the same catalog and calculator as live
 * traffic, and tagged {@code sample=true} so it can be told apart from real calls.
 */
final class DemoData {

  private DemoData() {}

  static int seed(LedgerWriter ledger, List<VirtualKey> keys, Map<String, ModelRoute> models, Clock clock) {
    SplittableRandom random = new SplittableRandom(2026);
    Instant now = clock.instant();
    int rows = 0;
    for (int day = 30; day >= 1; day--) {
      Instant dayStart = now.minus(Duration.ofDays(day));
      for (VirtualKey key : keys) {
        List<String> usable = models.keySet().stream().filter(key::allowsModel).toList();
        int calls = 10 + random.nextInt(30) + (30 - day); // traffic grows through the month
        for (int i = 0; i < calls; i++) {
          ModelRoute model = models.get(usable.get(random.nextInt(usable.size())));
          long input = 200 + random.nextInt(3000);
          long cached = random.nextInt(4) == 0 ? input / 2 : 0;
          long output = 20 + random.nextInt(600);
          TokenUsage usage = new TokenUsage(input, cached, 0, output, 0);
          Instant started = dayStart.plusSeconds(random.nextInt(86_400));
          long latency = 300 + random.nextInt(4000);
          boolean failed = random.nextInt(60) == 0;
          Attribution a = key.defaults();
          Map<String, String> tags = new java.util.TreeMap<>(a.tags());
          tags.put("sample", "true");
          Attribution attribution = new Attribution(a.org(), a.team(), a.project(), a.workflow(), a.agent(),
              a.user() != null ? a.user() : "user" + (1 + random.nextInt(5)), a.channel(), null, a.workloadClass(), tags);
          ledger.append(new UsageRecord("demo_" + day + "_" + key.name() + "_" + i, started, started.plusMillis(latency),
              key.name(), attribution, model.provider().type(), model.name(), model.upstream(), model.tier(), "requested",
              failed ? TokenUsage.NONE : usage, failed ? dev.tollgate.domain.money.Money.ZERO : CostCalculator.cost(model.price(), usage),
              failed ? RequestStatus.ERROR : RequestStatus.OK, failed ? "upstream_error" : null, latency,
              (long) (100 + random.nextInt(400)), null, false, false, random.nextBoolean(), failed ? 500 : 200));
          rows++;
        }
      }
    }
    ledger.flush();
    return rows;
  }
}
