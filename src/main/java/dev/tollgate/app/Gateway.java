package dev.tollgate.app;

import dev.tollgate.admin.AdminApi;
import dev.tollgate.admin.PricesHandler;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ConfigWatcher;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.http.DataPlane;
import dev.tollgate.metrics.GatewayMetrics;
import dev.tollgate.pipeline.GatewayState;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.AdmissionPolicy;
import dev.tollgate.pipeline.PromptEstimator;
import dev.tollgate.port.CounterStore;
import dev.tollgate.service.BudgetNotices;
import dev.tollgate.store.memory.MemoryCounterStore;
import dev.tollgate.service.BudgetRebuild;
import dev.tollgate.service.BudgetService;
import dev.tollgate.service.ExceptionService;
import dev.tollgate.pipeline.record.Record;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.service.KeyService;
import dev.tollgate.store.sql.Storage;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.service.ExceptionReminders;
import dev.tollgate.tokens.JtokkitTokenCounter;
import dev.tollgate.tokens.RememberingTokenCounter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the only place that knows every adapter. Starts storage, providers and the
 * HTTP server from a config; swaps in a new config on reload without dropping requests in flight;
 * on close stops taking requests, lets those in flight finish, then flushes the ledger.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final Storage storage;
  /** The copy of the ledger produced to Kafka ({@code ledger.stream}); null when not configured. */
  private final dev.tollgate.store.kafka.KafkaLedgerStream ledgerStream;
  /** Where finished requests go: the database, and the stream's copy when there is one. */
  private final dev.tollgate.port.LedgerWriter ledgerRows;
  private final KeyService keys;
  private final Providers providers;
  private final GatewayMetrics metrics;
  private final dev.tollgate.pipeline.call.CircuitBreakers breakers;
  private final CounterStore counters;
  private final BudgetNotices notices;
  private final BudgetService budgets;
  private final dev.tollgate.service.AuditLog audit;
  private final ExceptionService exceptions;
  private final dev.tollgate.service.WorkloadClassService workloadClasses;
  private final dev.tollgate.service.AlertService alerts;
  /** The access log is written off the event loops: a line per request is I/O. */
  private final dev.tollgate.metrics.BackgroundObserver accessLog =
      new dev.tollgate.metrics.BackgroundObserver("tollgate-access-log", new dev.tollgate.metrics.AccessLog(), 65_536);
  private final Alerting alerting;
  private final Clock clock;
  private final AtomicReference<GatewayConfig> config = new AtomicReference<>();
  private final AtomicReference<GatewayState> state = new AtomicReference<>();
  private final AtomicReference<PriceCatalog> catalog = new AtomicReference<>();
  private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int port;
  private ConfigWatcher watcher;
  private final dev.tollgate.tracing.Tracing tracing;

  private Gateway(GatewayConfig initial, Clock clock, dev.tollgate.pipeline.call.RetryTimer retryTimer,
      dev.tollgate.tracing.Tracing tracing) {
    this.clock = clock;
    // Tracing is set up once, at start: a reload does not change it.
    this.tracing = tracing != null ? tracing : dev.tollgate.tracing.Tracing.fromConfig(initial.observability().tracing(), System::getenv);
    this.vertx = Vertx.vertx();
    var ledger = initial.ledger();
    this.storage = Storage.open(initial.storage(), ledger);
    this.ledgerStream = ledger.stream() == null ? null : dev.tollgate.store.kafka.KafkaLedgerStream.open(ledger.stream(),
        (ledger.spoolDir() != null ? ledger.spoolDir() : java.nio.file.Path.of("data", "spool")).resolve("kafka"));
    this.ledgerRows = ledgerStream == null ? storage.ledgerWriter()
        : new dev.tollgate.store.kafka.TeeLedgerWriter(storage.ledgerWriter(), ledgerStream);
    this.keys = new KeyService(storage.keyStore(), clock);
    // Long texts sent again (system prompts, an agent's growing conversation) are counted once.
    TokenCounter tokens = new RememberingTokenCounter(new JtokkitTokenCounter(), 4_000_000);
    this.metrics = new GatewayMetrics(storage::ledgerWriter);
    if (ledgerStream != null) metrics.ledgerStream(ledgerStream::produced, ledgerStream::failed, ledgerStream::spooled);
    this.providers = new Providers(vertx, tokens, new dev.tollgate.provider.shared.ProviderContext(clock, metrics));
    this.breakers = new dev.tollgate.pipeline.call.CircuitBreakers(clock, metrics);
    this.counters = CounterStores.open(vertx, initial);
    this.notices = new BudgetNotices(clock);
    this.budgets = new BudgetService(storage.budgetStore(), counters, clock);
    this.audit = new dev.tollgate.service.AuditLog(storage.auditStore(), clock);
    this.alerting = new Alerting(vertx, clock, storage, audit);
    this.alerts = alerting.service;
    audit.watchConfig(initial);
    this.exceptions = new ExceptionService(storage.exceptionStore(), storage.usageQuery(), clock);
    this.workloadClasses = new dev.tollgate.service.WorkloadClassService(storage.workloadClassStore(), keys);
    apply(initial);
    workloadClasses.onChange(this::refreshPolicy);
    budgets.onChange(this::refreshBudgets);
    exceptions.onChange(this::refreshBudgets);
    // Shared counters that lost their data (or never had any) are rebuilt from the whole ledger, once across replicas.
    CounterStores.rebuildWhenLost(counters, store -> {
      storage.ledgerWriter().flush();
      BudgetRebuild.fromLedger(state.get().budgets(), store, storage.usageQuery(), clock.instant());
    });
    BudgetRebuild.fromLedger(state.get().budgets(), counters, storage.usageQuery(), clock.instant());

    alerting.seed(storage, initial.org().timeZone());
    alerting.syncRestrictions(storage);
    metrics.alerts(dev.tollgate.service.AlertService.KINDS, alerts::opened, alerts::openNow, alerting.feed::pending,
        alerting.feed::dropped);
    alerting.startForecasts(() -> budgets, () -> config.get().org().timeZone());
    PromptEstimator estimator = new PromptEstimator(tokens);
    Pipeline pipeline = new Pipeline(clock, estimator, counters, alerting.budgetNotifier(notices),
        new Record(ledgerRows, List.of(metrics, alerting.feed, accessLog), requestOutcomes(clock)), breakers,
        retryTimer != null ? retryTimer : (ms, loop, task) -> vertx.setTimer(Math.max(1, ms), id -> loop.execute(task)), metrics,
        alerting.restrictions,
        dev.tollgate.pipeline.RequestTracing.both(this.tracing.requests(), new dev.tollgate.metrics.PromptLog()));
    metrics.watch(pipeline.responseCache());
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.json(Map.of("status", "ok")));
    router.get("/readyz").handler(ctx -> vertx.executeBlocking(this::storageReachable).onComplete(ar -> {
      boolean ready = ar.succeeded() && ar.result();
      ctx.response().setStatusCode(ready ? 200 : 503);
      // Open breakers do not make the gateway unready (other deployments and fallbacks still serve), but are shown.
      Map<String, String> circuits = new java.util.TreeMap<>();
      breakers.states().forEach((d, st) -> {
        if (st != dev.tollgate.pipeline.call.CircuitBreakers.State.CLOSED) circuits.put(d, st.wire());
      });
      ctx.json(Map.of("status", ready ? "ready" : "not_ready", "ledger_pending", storage.ledgerWriter().pending(),
          "circuits_not_closed", circuits));
    }));
    if (storage.ledgerWriter() instanceof dev.tollgate.store.sql.SqlLedgerWriter sql) metrics.ledgerLag(sql::lastCommitLagMillis);
    // Budget use is read from the counters (Redis, maybe), so the scrape runs off the event loop.
    router.get("/metrics").handler(ctx -> vertx.executeBlocking(() -> {
      metrics.budgets(budgetUses());
      return metrics.scrape();
    }, false).onComplete(ar -> ctx.response().setStatusCode(ar.succeeded() ? 200 : 500)
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.succeeded() ? ar.result() : "")));
    new DataPlane(pipeline, state::get, () -> config.get().server().maxBodyBytes(), clock, estimator).mount(router);
    new AdminApi(vertx, config::get, keys, storage.usageQuery(), new PricesHandler(state::get, catalog::get), budgets, notices, clock,
        pipeline, state::get, exceptions, alerts,
        audit, new dev.tollgate.service.AdminTokenService(storage.adminTokenStore(), clock), storage.database(),
        workloadClasses).mount(router);
    // Pending approvals and coming expiries: told once each in the log and through the alert channels
    // (to the exception's team); an approval reminder resolves itself once the request is decided.
    ExceptionReminders reminders = new ExceptionReminders(exceptions, alerts);
    vertx.setPeriodic(60_000, t -> vertx.executeBlocking(reminders::tick));
    new dev.tollgate.console.ConsoleRoutes(vertx, router).mount();
    new dev.tollgate.console.ConsoleSso(vertx, () -> config.get().admin().oidc()).mount(router);
    router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"No route " + ctx.request().method() + " " + ctx.request().path().replace("\"", "")
            + ". The OpenAI-compatible API is under /v1, the admin API under /admin/v1.\",\"type\":\"invalid_request_error\",\"code\":\"not_found\"}}"));

    var s = initial.server();
    try {
      this.port = s.port() == 0 ? freePort(s.host()) : s.port();
      HttpServerOptions options = new HttpServerOptions().setHost(s.host()).setPort(port)
          .setCompressionSupported(false).setIdleTimeout((int) s.idleTimeout().toSeconds());
      listenOnEveryEventLoop(options, router);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("could not listen on " + s.host() + ":" + s.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * One HTTP server per event loop, all on the same port: Vert.x binds the socket once and hands
   * connections to the servers in turn, so requests use every core instead of one (measured: with a
   * single server one loop carried 96% of the CPU samples; docs/performance.md).
   */
  private void listenOnEveryEventLoop(HttpServerOptions options, Router router) throws java.util.concurrent.TimeoutException {
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
      @Override
      public io.vertx.core.Future<?> start() {
        HttpServer server = vertx.createHttpServer(options).requestHandler(router);
        servers.add(server);
        return server.listen();
      }
    }, new io.vertx.core.DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
  }

  /** Port 0 means any free port; every server must then share one, so it is chosen once, here. */
  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  /** Starts a gateway; throws {@link ConfigException} if the config names a model with no price. */
  public static Gateway start(GatewayConfig config, Clock clock) {
    return new Gateway(config, clock, null, null);
  }

  /** Starts a gateway whose request spans go to {@code tracing} instead of what the config says (tests). */
  public static Gateway start(GatewayConfig config, Clock clock, dev.tollgate.tracing.Tracing tracing) {
    return new Gateway(config, clock, null, tracing);
  }

  /** Starts a gateway whose retries wait on {@code retryTimer} (tests run them at once and record the waits). */
  public static Gateway start(GatewayConfig config, Clock clock, dev.tollgate.pipeline.call.RetryTimer retryTimer) {
    return new Gateway(config, clock, retryTimer, null);
  }

  /** Starts a gateway and reloads it whenever its config file changes. */
  public static Gateway startWatching(GatewayConfig config, Clock clock, Duration pollInterval) {
    Gateway g = start(config, clock);
    if (config.source() != null) {
      // The watcher logs rejections itself, including a ConfigException thrown by reload (e.g. a model with no price).
      g.watcher = new ConfigWatcher(config.source(), pollInterval, ConfigLoader::load, g::reload, e -> {});
    }
    return g;
  }

  /** Every budget's use in its current window, for the metrics; a failed read leaves the gauges out rather than the scrape. */
  private List<GatewayMetrics.BudgetUse> budgetUses() {
    try {
      return budgets.status(config.get().org().timeZone()).stream()
          .filter(st -> st.budget().limit() > 0 && st.periodStart() != null)
          .map(st -> new GatewayMetrics.BudgetUse(st.budget().id(), st.subject(), st.budget().window().kind().wire(),
              (double) (st.used() + st.reserved()) / st.budget().limit()))
          .toList();
    } catch (RuntimeException e) {
      log.warn("budget use for the metrics could not be read: {}", e.toString());
      return List.of();
    }
  }

  /** Builds a new budget book after a change through the admin API; requests in flight keep theirs. */
  private synchronized void refreshBudgets() {
    GatewayState s = state.get();
    var book = budgets.book(config.get().org().timeZone());
    // A new budget starts from what its scope has already used in the current period, not from zero.
    var known = s.budgets().budgets().stream().map(b -> b.id()).collect(java.util.stream.Collectors.toSet());
    var added = book.budgets().stream().filter(b -> !known.contains(b.id())).toList();
    if (!added.isEmpty()) {
      storage.ledgerWriter().flush();
      BudgetRebuild.fromLedger(new dev.tollgate.domain.budget.BudgetBook(added, book.zone()), counters, storage.usageQuery(),
          clock.instant());
    }
    state.set(new GatewayState(s.org(), s.keys(), s.models(), book, s.admission(), s.policy(), exceptions.book()));
  }

  /** Swaps in a policy with the workload classes made through the admin API; requests in flight keep theirs. */
  private synchronized void refreshPolicy() {
    GatewayState s = state.get();
    state.set(new GatewayState(s.org(), s.keys(), s.models(), s.budgets(), s.admission(),
        PolicyFromConfig.of(config.get(), workloadClasses.inForce()), s.exceptions()));
  }

  public BudgetService budgets() {
    return budgets;
  }

  /** Looks at the budgets' projections now instead of at the next interval (for operators' scripts and tests). */
  public void checkForecastsNow() {
    alerting.checkForecasts(() -> budgets, () -> config.get().org().timeZone(), true);
  }

  private static AdmissionPolicy admissionPolicy(GatewayConfig c) {
    var a = c.admission() == null ? dev.tollgate.config.AdmissionConfig.defaults() : c.admission();
    return AdmissionPolicy.of(a.defaultOutputTokens(), a.tokenizerSafetyPercent(), c.server().requestTimeout());
  }

  /** Looks at the config file now instead of at the next poll (for operators' scripts and tests). */
  public void checkConfigNow() {
    if (watcher != null) watcher.checkNow();
  }

  /** Swaps in a new config. A config that cannot be resolved (e.g. a model with no price) is refused and the old one kept. */
  public synchronized void reload(GatewayConfig next) {
    apply(next);
    audit.configReloaded(next);
    log.info("config reloaded from {}: {} models, {} keys", next.source(), next.models().size(), next.keys().size());
  }

  private synchronized void apply(GatewayConfig next) {
    PriceCatalog prices = BundledCatalog.load();
    if (next.pricing() != null && next.pricing().catalog() != null) {
      try {
        prices = BundledCatalog.loadFile(next.pricing().catalog()).layeredOver(prices);
      } catch (IOException e) {
        throw ConfigException.of(next.source() == null ? "config" : next.source().getFileName().toString(), "pricing.catalog",
            "the catalog file " + next.pricing().catalog() + " could not be read: " + e.getMessage());
      }
    }
    // Resolve prices against the new providers before committing anything, so a refused config changes nothing.
    Providers.Change change = providers.prepare(next);
    Map<String, ModelRoute> models;
    try {
      models = StateBuilder.models(next, prices, change.adapters());
    } catch (RuntimeException e) {
      providers.discard(change);
      throw e;
    }
    providers.commit(change);
    keys.useConfigKeys(StateBuilder.configKeys(next));
    catalog.set(prices);
    config.set(next);
    budgets.useConfig(next);
    workloadClasses.useConfig(next);
    var ac = next.alerts() == null ? dev.tollgate.config.AlertsConfig.defaults() : next.alerts();
    alerting.configure(ac, java.util.stream.Stream.concat(java.util.stream.Stream.of(metrics.alertCounter()),
        ac.channels().stream().map(c -> "email".equals(c.type())
            ? (dev.tollgate.port.AlertChannel) new dev.tollgate.alerts.EmailChannel(vertx, c.email(), 1000)
            : (dev.tollgate.port.AlertChannel) new dev.tollgate.alerts.WebhookChannel(vertx, c.url(), c.secret(),
                "slack".equals(c.type()), 1000))).toList());
    var ec = next.exceptions() == null ? dev.tollgate.config.ExceptionsConfig.defaults() : next.exceptions();
    exceptions.usePolicy(new dev.tollgate.domain.exception.ApprovalPolicy(java.time.Duration.ofDays(ec.maxDays()),
        ec.approvers().stream().map(a -> new dev.tollgate.domain.exception.ApprovalPolicy.Approver(a.role(),
            a.upToUsd() == null ? null : dev.tollgate.domain.money.Money.ofUsd(a.upToUsd()))).toList()));
    state.set(new GatewayState(next.org().name(), keys, models, budgets.book(next.org().timeZone()),
        admissionPolicy(next), PolicyFromConfig.of(next, workloadClasses.inForce()), exceptions.book()));
    if (!change.replaced().isEmpty()) {
      // Requests already on a replaced adapter keep it until they finish; close it after the longest they may take.
      long grace = next.server().requestTimeout().toMillis() + 1000;
      vertx.setTimer(grace, t -> change.replaced().forEach(ProviderAdapter::close));
    }
  }

  private boolean storageReachable() {
    try (var c = storage.database().dataSource().getConnection()) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public GatewayConfig config() {
    return config.get();
  }

  /** The models of the running config, resolved to providers and prices. */
  public Map<String, ModelRoute> models() {
    return state.get().models();
  }

  /** Fills an empty ledger with the demo's sample history; returns the rows written (0 if the ledger had any). */
  public int seedDemoData(Clock clock) {
    var any = storage.usageQuery().recent(new dev.tollgate.domain.usage.UsageFilter(null, null, null, null, null, null), 1);
    if (!any.isEmpty()) return 0;
    var configKeys = keys.all().stream().filter(k -> "config".equals(k.source())).toList();
    int rows = DemoData.seed(storage.ledgerWriter(), configKeys, models(), clock);
    // The sample history counts against the demo's budgets like real use would.
    BudgetRebuild.fromLedger(state.get().budgets(), counters, storage.usageQuery(), clock.instant());
    return rows;
  }

  public CounterStore counters() {
    return counters;
  }

  public BudgetNotices budgetNotices() {
    return notices;
  }

  public KeyService keys() {
    return keys;
  }

  public Storage storage() {
    return storage;
  }

  /** Stops taking requests, waits for those in flight (up to the request timeout), then flushes the ledger. */
  @Override
  public void close() {
    if (watcher != null) watcher.close();
    try {
      if (!servers.isEmpty()) {
        long timeout = config.get() == null ? 30 : Math.min(60, config.get().server().requestTimeout().toSeconds());
        List<io.vertx.core.Future<Void>> stops = new java.util.ArrayList<>();
        for (HttpServer server : servers) stops.add(server.shutdown(timeout, TimeUnit.SECONDS));
        io.vertx.core.Future.join(stops).await(timeout + 5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    providers.closeAll();
    accessLog.close();
    alerting.close();
    counters.close();
    if (ledgerStream != null) ledgerStream.close();
    storage.close();
    tracing.close();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Vert.x did not stop cleanly: {}", e.toString());
    }
  }

  /** Outcomes reported on requests, written through the admin API's outcome log on a worker thread. */
  private dev.tollgate.report.RequestOutcomes requestOutcomes(Clock clock) {
    var log = new dev.tollgate.report.OutcomeLog(new dev.tollgate.store.sql.report.SqlOutcomeStore(storage.database()), clock);
    return new dev.tollgate.report.RequestOutcomes(log, task -> vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false));
  }
}
