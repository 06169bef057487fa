package dev.tollgate.metrics;

import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.port.LedgerWriter;
import dev.tollgate.port.UpstreamEvents;
import dev.tollgate.port.UsageObserver;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the data plane, fed from each finished request's ledger row: requests,
 * tokens and cost by team and model, and upstream latency and time to first token by provider.
 * Meters are cached per label set because looking them up in the registry on every request costs
 * more than the counting.
 */
public final class GatewayMetrics implements UsageObserver, UpstreamEvents {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Meters> byLabels = new ConcurrentHashMap<>();
  private final Map<String, Timer> latencyByProvider = new ConcurrentHashMap<>();
  private final Map<String, Timer> ttftByProvider = new ConcurrentHashMap<>();
  private final Map<String, Counter> upstreamCounters = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> circuitStates = new ConcurrentHashMap<>();

  public GatewayMetrics(Supplier<LedgerWriter> ledger) {
    Gauge.builder("tollgate_ledger_pending_records", () -> ledger.get().pending())
        .description("Ledger records accepted but not yet committed").register(registry);
  }

  /** The response cache's counters and size: hits, misses, stores, evictions (by the bound), expirations, bytes, entries. */
  public void watch(dev.tollgate.pipeline.cache.ResponseCache cache) {
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_cache_hits", cache, c -> c.stats().hits())
        .description("Requests answered from the response cache").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_cache_misses", cache, c -> c.stats().misses())
        .description("Cache lookups that found nothing (or were told to refresh)").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_cache_stores", cache, c -> c.stats().stores())
        .description("Answers stored in the response cache").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_cache_evictions", cache, c -> c.stats().evictions())
        .description("Cached answers evicted to keep a class within its size bound").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_cache_expirations", cache, c -> c.stats().expirations())
        .description("Cached answers dropped because their TTL passed").register(registry);
    Gauge.builder("tollgate_cache_bytes", cache, c -> c.stats().bytes())
        .description("Bytes held by the response cache (answers plus per-entry overhead)").register(registry);
    Gauge.builder("tollgate_cache_entries", cache, c -> c.stats().entries())
        .description("Answers held by the response cache").register(registry);
  }

  /** Counters of the ledger stream ({@code ledger.stream}), registered only when one is configured. */
  public void ledgerStream(java.util.function.LongSupplier produced, java.util.function.LongSupplier failed,
      java.util.function.LongSupplier spooled) {
    // Micrometer holds a meter's source weakly; a method reference nobody else keeps would be collected.
    ledgerStreamSuppliers = java.util.List.of(produced, failed, spooled);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_ledger_stream_produced_rows", produced, LongSupplierValue::of)
        .description("Ledger rows the stream's broker acknowledged, replays included").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_ledger_stream_failed_sends", failed, LongSupplierValue::of)
        .description("Ledger rows the stream's broker did not take (each then spooled)").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_ledger_stream_spooled_rows", spooled, LongSupplierValue::of)
        .description("Ledger rows written to the stream's local spool for a later replay").register(registry);
  }

  /** Keeps the ledger stream's suppliers reachable for as long as the meters that read them. */
  private volatile java.util.List<Object> ledgerStreamSuppliers = java.util.List.of();

  /** Keeps the alert feed's suppliers reachable for as long as the meters that read them. */
  private volatile java.util.List<Object> alertFeedSuppliers = java.util.List.of();

  /**
   * The alerts' own health: incidents opened per kind since start, incidents open now per kind, and
   * the detectors' queue (rows waiting, rows dropped because it was full).
   */
  public void alerts(java.util.List<String> kinds, java.util.function.ToLongFunction<String> opened,
      java.util.function.ToLongFunction<String> openNow, java.util.function.LongSupplier pending,
      java.util.function.LongSupplier dropped) {
    for (String kind : kinds) {
      io.micrometer.core.instrument.FunctionCounter.builder("tollgate_alerts_opened", kind, opened::applyAsLong)
          .tag("kind", kind).description("Alerts opened (new incidents) since start").register(registry);
      Gauge.builder("tollgate_alerts_open", kind, openNow::applyAsLong).tag("kind", kind)
          .description("Alerts open or acknowledged now").register(registry);
    }
    // Micrometer holds a meter's state object weakly, and these suppliers are method references held by
    // nothing else: without a strong reference they were collected and the meters read NaN after a GC.
    alertFeedSuppliers = java.util.List.of(pending, dropped);
    Gauge.builder("tollgate_alert_detector_queue", pending, LongSupplierValue::of)
        .description("Ledger rows and checks waiting for the alert detectors").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("tollgate_alert_detector_dropped_rows", dropped, LongSupplierValue::of)
        .description("Ledger rows the alert detectors never saw because their queue was full").register(registry);
  }

  private static final class LongSupplierValue {
    static double of(java.util.function.LongSupplier s) {
      return s.getAsLong();
    }
  }

  private record Meters(Counter requests, Counter input, Counter cached, Counter output, Counter costNanos) {}

  @Override
  public void observe(UsageRecord r) {
    String team = orNone(r.attribution().team());
    String model = orNone(r.requestedModel());
    String status = r.status().wire();
    Meters m = byLabels.computeIfAbsent(team + '\u0000' + model + '\u0000' + status, k -> meters(team, model, status));
    m.requests.increment();
    m.input.increment(r.usage().inputTokens());
    m.cached.increment(r.usage().cachedInputTokens());
    m.output.increment(r.usage().outputTokens());
    m.costNanos.increment(r.cost().nanos() / 1e9);
    if (r.provider() != null && r.servedModel() != null && !r.cacheHit()) { // a cache hit never reached the provider
      latencyByProvider.computeIfAbsent(r.provider(), p -> Timer.builder("tollgate_upstream_duration")
              .description("Time from request arrival to the last byte of a provider's answer")
              .tag("provider", p).publishPercentileHistogram().register(registry))
          .record(Duration.ofMillis(r.latencyMs()));
      if (r.ttftMs() != null) {
        ttftByProvider.computeIfAbsent(r.provider(), p -> Timer.builder("tollgate_time_to_first_token")
                .description("Time from request arrival to the first generated token")
                .tag("provider", p).publishPercentileHistogram().register(registry))
            .record(Duration.ofMillis(r.ttftMs()));
      }
    }
  }

  private Meters meters(String team, String model, String status) {
    return new Meters(
        Counter.builder("tollgate_requests").tags("team", team, "model", model, "status", status).register(registry),
        Counter.builder("tollgate_tokens").tags("team", team, "model", model, "type", "input").register(registry),
        Counter.builder("tollgate_tokens").tags("team", team, "model", model, "type", "cached_input").register(registry),
        Counter.builder("tollgate_tokens").tags("team", team, "model", model, "type", "output").register(registry),
        Counter.builder("tollgate_cost_usd").tags("team", team, "model", model).register(registry));
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }

  @Override
  public void retried(String provider, String deployment, String cause) {
    counter("tollgate_upstream_retries", "Failed upstream calls tried again on the same deployment",
        "provider", provider, "deployment", deployment, "cause", cause).increment();
  }

  @Override
  public void circuitChanged(String provider, String deployment, String state) {
    circuitStates.computeIfAbsent(provider + '\u0000' + deployment, k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("tollgate_circuit_state", v, AtomicInteger::get)
          .description("A deployment's circuit breaker: 0 closed, 1 open, 2 half open")
          .tags("provider", provider, "deployment", deployment).register(registry);
      return v;
    }).set(switch (state) {
      case "open" -> 1;
      case "half_open" -> 2;
      default -> 0;
    });
    counter("tollgate_circuit_transitions", "Circuit breaker state changes, by the state entered",
        "provider", provider, "deployment", deployment, "state", state).increment();
  }

  @Override
  public void credentialUsed(String provider, String credential) {
    counter("tollgate_credential_requests", "Upstream calls by provider key (named by its label, never its secret)",
        "provider", provider, "credential", credential).increment();
  }

  @Override
  public void credentialCooledDown(String provider, String credential, int status, Duration cooldown) {
    counter("tollgate_credential_cooldowns", "Provider keys taken out for a while after a 401, 403 or 429",
        "provider", provider, "credential", credential, "status", Integer.toString(status)).increment();
  }

  private Counter counter(String name, String description, String... tags) {
    return upstreamCounters.computeIfAbsent(name + '\u0000' + String.join("\u0000", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /** How long the ledger's last committed batch waited from its oldest row's append to its commit (SQL ledgers). */
  public void ledgerLag(java.util.function.LongSupplier lastCommitLagMillis) {
    Gauge.builder("tollgate_ledger_commit_lag_seconds", () -> lastCommitLagMillis.getAsLong() / 1000.0)
        .description("Time from append to commit of the oldest row in the last committed ledger batch").register(registry);
  }

  /** One budget's use in its current window, for {@link #budgets}. */
  public record BudgetUse(String budgetId, String subject, String window, double utilisation) {}

  private final io.micrometer.core.instrument.MultiGauge budgetUtilisation = io.micrometer.core.instrument.MultiGauge
      .builder("tollgate_budget_utilisation")
      .description("Share of a budget used or reserved in its current window (1 = the limit), per budget and subject")
      .register(registry);

  /** Replaces the budget gauges with these (read just before a scrape; budgets that went away disappear). */
  public void budgets(java.util.List<BudgetUse> uses) {
    budgetUtilisation.register(uses.stream().map(u -> io.micrometer.core.instrument.MultiGauge.Row.of(
        io.micrometer.core.instrument.Tags.of("budget", u.budgetId(), "subject", u.subject(), "window", u.window()),
        u.utilisation())).toList(), true);
  }

  /** An alert channel that counts the notices sent to the real channels, by kind and severity. */
  public dev.tollgate.port.AlertChannel alertCounter() {
    return new dev.tollgate.port.AlertChannel() {
      @Override
      public String name() {
        return "metrics";
      }

      @Override
      public void send(dev.tollgate.domain.alert.Alert alert) {
        counter("tollgate_alert_notices", "Alert notices sent to the channels (a new incident, or one still open after the cooldown)",
            "kind", alert.kind(), "severity", alert.severity()).increment();
      }
    };
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
