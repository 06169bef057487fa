package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a YAML config file into a validated, immutable {@link GatewayConfig}, or refuses it with a
 * {@link ConfigException} listing every problem with its key path. Nothing downstream re-checks the
 * config, and no out-of-range value is ever replaced by a default: a key is either absent (and takes
 * its documented default) or valid.
 *
 * <p>{@code ${VAR}} and {@code ${VAR:-default}} in values come from the environment (see {@link
 * EnvInterpolation}); a value that is empty after substitution counts as absent. Relative paths
 * (SQLite file, price catalog) are resolved against the config file's directory. Stateless and
 * thread-safe.
 */
public final class ConfigLoader {

  /** The environment variable naming the config file when no path is given on the command line. */
  public static final String CONFIG_ENV = "TOLLGATE_CONFIG";
  /** The config file used when neither a path nor {@value #CONFIG_ENV} is given. */
  public static final Path DEFAULT_FILE = Path.of("tollgate.yaml");
  public static final String DEFAULT_STORAGE = "sqlite:data/tollgate.db";
  public static final String DEFAULT_COUNTERS = "memory";

  private static final List<String> TOP_KEYS = List.of("server", "storage", "counters", "admin", "org", "providers",
      "models", "teams", "workload_classes", "keys", "pricing", "ledger", "budgets", "classification", "counters_options",
      "exceptions", "admission", "alerts", "observability", "contracts");
  private static final List<String> SERVER_KEYS = List.of("host", "port", "max_body_bytes", "connect_timeout",
      "request_timeout", "idle_timeout", "upstream_pool_size");
  private static final List<String> COUNTERS_OPTION_KEYS = List.of("on_redis_down", "local_limit_fraction", "key_prefix",
      "timeout");
  private static final List<String> ORG_KEYS = List.of("name", "time_zone", "budgets");
  private static final List<String> LEDGER_KEYS = List.of("durability", "batch_size", "flush_interval", "queue_capacity",
      "commit_timeout", "spool_dir", "stream");
  private static final List<String> LEDGER_STREAM_KEYS = List.of("kafka", "compression", "queue_capacity");
  private static final List<String> DURABILITY = List.of(LedgerConfig.BATCHED, LedgerConfig.STRICT);
  /** Where the ledger spool goes when {@code ledger.spool_dir} is absent and the storage is not a SQLite file. */
  public static final String DEFAULT_SPOOL_DIR = "data/spool";
  static final int MIN_ADMIN_TOKEN_LENGTH = 16;

  private ConfigLoader() {}

  /** Loads a file, taking {@code ${VAR}} values from the process environment. */
  public static GatewayConfig load(Path file) {
    return load(file, System::getenv);
  }

  /** Loads a file with an explicit environment. */
  public static GatewayConfig load(Path file, Function<String, String> env) {
    return parse(read(file), file.toString(), env, directoryOf(file), file.toAbsolutePath().normalize());
  }

  /**
   * Parses YAML text. The result's {@code source} is null.
   *
   * @param fileName how errors name the file
   * @param baseDir the directory relative paths are resolved against; null for the working directory
   * @throws ConfigException listing every problem found
   */
  public static GatewayConfig parse(String yaml, String fileName, Function<String, String> env, Path baseDir) {
    return parse(yaml, fileName, env, baseDir, null);
  }

  /**
   * The config file to use: the command-line argument if given, else {@code $TOLLGATE_CONFIG}, else
   * {@code tollgate.yaml} in the working directory.
   */
  public static Path resolvePath(String cliArg) {
    return resolvePath(cliArg, System::getenv);
  }

  public static Path resolvePath(String cliArg, Function<String, String> env) {
    if (cliArg != null && !cliArg.isBlank()) return Path.of(cliArg);
    String fromEnv = env.apply(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
    return DEFAULT_FILE;
  }

  // ---- package-private: used by ConfigWatcher, which reads the bytes itself to hash them

  static String read(Path file) {
    try {
      return decode(file, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw ConfigException.of(file.toString(), "", "file not found (looked at " + file.toAbsolutePath().normalize()
          + "); pass --config <file> or set " + CONFIG_ENV);
    } catch (IOException e) {
      throw ConfigException.of(file.toString(), "", "cannot be read: " + e);
    }
  }

  static String decode(Path file, byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw ConfigException.of(file.toString(), "", "is not UTF-8 text");
    }
  }

  static Path directoryOf(Path file) {
    return file.toAbsolutePath().normalize().getParent();
  }

  static GatewayConfig parse(String yaml, String fileName, Function<String, String> env, Path baseDir, Path source) {
    ParseContext ctx = new ParseContext(fileName, baseDir, new EnvInterpolation(env));
    JsonNode root = YamlTree.read(yaml, ctx);
    if (root == null) throw new ConfigException(ctx.errors());
    if (!root.isObject()) {
      ctx.error("", "the file must be a mapping of sections (server:, providers:, models:, …), not "
          + ParseContext.kind(root));
      throw new ConfigException(ctx.errors());
    }
    Section top = Section.of(ctx, "", root, TOP_KEYS);
    ServerConfig server = server(top.section("server", SERVER_KEYS));
    String storage = storage(ctx, top);
    String counters = counters(ctx, top);
    CountersConfig countersOptions = countersOptions(top.section("counters_options", COUNTERS_OPTION_KEYS));
    AdminConfig admin = admin(ctx, top.section("admin", AdminParser.ADMIN_KEYS));
    Section orgSection = top.section("org", ORG_KEYS);
    OrgConfig org = org(orgSection);
    Map<String, ProviderConfig> providers = ProviderParser.parse(ctx, top.raw("providers"));
    Map<String, ModelConfig> models = ModelParser.parse(ctx, top.raw("models"), providers.keySet());
    Map<String, TeamConfig> teams = TeamParser.parse(ctx, top.raw("teams"));
    Map<String, WorkloadClassConfig> classes = WorkloadClassParser.parse(ctx, top.raw("workload_classes"), models);
    List<KeyConfig> keys = KeyParser.parse(ctx, top.raw("keys"), teams.keySet(), classes.keySet(), models.keySet());
    PricingConfig pricing = pricing(ctx, top.section("pricing", List.of("catalog")));
    LedgerConfig ledger = ledger(ctx, top.section("ledger", LEDGER_KEYS), storage);
    List<BudgetConfig> budgets = new java.util.ArrayList<>();
    budgets.addAll(TeamParser.budgets(ctx, orgSection.path("budgets"), orgSection.raw("budgets"), "org"));
    teams.values().forEach(t -> budgets.addAll(t.budgets()));
    budgets.addAll(TeamParser.budgets(ctx, "budgets", top.raw("budgets"), null));
    if (ctx.errorCount() > 0) throw new ConfigException(ctx.errors());
    ClassificationConfig classification = WorkloadClassParser.classification(ctx,
        top.section("classification", List.of("default", "rules")), classes.keySet());
    ExceptionsConfig exceptions = exceptions(ctx, top.section("exceptions", List.of("max_days", "approvers")));
    AdmissionConfig admission = admission(top.section("admission", List.of("default_output_tokens", "tokenizer_safety_percent")));
    AlertsConfig alerts = alerts(ctx, top.section("alerts", List.of("channels", "cooldown", "runaway", "error_rate",
        "spend_spike", "retry_storm", "forecast")));
    ObservabilityConfig observability = ObservabilityConfig.parse(top.section("observability", List.of("tracing")));
    List<dev.tollgate.domain.contract.Contract> contracts = ContractParser.parse(ctx, top.raw("contracts"), providers, models);
    if (ctx.errorCount() > 0) throw new ConfigException(ctx.errors());
    return new GatewayConfig(source, server, storage, counters, admin, org, providers, models, teams, classes, keys,
        pricing, ledger, List.copyOf(budgets), classification, countersOptions, exceptions, admission, alerts, observability,
        contracts);
  }

  /**
   * Reads one budget written as JSON (the admin API's body) with the same rules and messages as a
   * budget in the file. No {@code ${VAR}} substitution: values come from a caller, not an operator.
   */
  public static BudgetConfig budget(JsonNode node) {
    ParseContext ctx = new ParseContext("request", null, new EnvInterpolation(name -> null));
    BudgetConfig b = TeamParser.budget(ctx, "", node, null);
    if (ctx.errorCount() > 0 || b == null) throw new ConfigException(ctx.errors());
    return b;
  }

  /** What a workload class made through the admin API may be called: it appears in URLs and headers. */
  private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * Reads one workload class written as JSON (an admin API body) against the models and tiers of
   * {@code config}, with the same checks and messages as the class under {@code workload_classes.<name>}
   * in the file — errors carry that key path. No {@code ${VAR}} substitution.
   *
   * @throws ConfigException listing every problem found
   */
  public static WorkloadClassConfig workloadClass(String name, JsonNode body, GatewayConfig config) {
    ParseContext ctx = new ParseContext("request", null, new EnvInterpolation(n -> null));
    String path = "workload_classes." + name;
    if (name == null || !CLASS_NAME.matcher(name).matches()) {
      ctx.error("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      throw new ConfigException(ctx.errors());
    }
    WorkloadClassConfig c = WorkloadClassParser.one(ctx, path, name, body, config.models(),
        WorkloadClassParser.tiers(config.models()));
    if (ctx.errorCount() > 0) throw new ConfigException(ctx.errors());
    return c;
  }

  /**
   * Reads one contract written as JSON (an admin API body, in the config file's keys) against the
   * providers and models of {@code config}, with the same checks and messages as {@code contracts.<name>}
   * in the file, and refuses it when it would be in force on the same days as one of {@code others} of
   * the same scope. No {@code ${VAR}} substitution.
   *
   * @throws ConfigException listing every problem found
   */
  public static dev.tollgate.domain.contract.Contract contract(String name, JsonNode body, GatewayConfig config,
      List<dev.tollgate.domain.contract.Contract> others) {
    ParseContext ctx = new ParseContext("request", null, new EnvInterpolation(n -> null));
    if (name == null || !CLASS_NAME.matcher(name).matches()) {
      ctx.error("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      throw new ConfigException(ctx.errors());
    }
    var c = ContractParser.one(ctx, name, body, config.providers(), config.models(), others);
    if (ctx.errorCount() > 0 || c == null) throw new ConfigException(ctx.errors());
    return c;
  }

  /** Reads a salary template written as JSON ({@code team, headcount, annual_salary_usd, share, since, warn_at, on_exceed}). */
  public static BudgetConfig salaryBudget(JsonNode node) {
    ParseContext ctx = new ParseContext("request", null, new EnvInterpolation(name -> null));
    String team = node.path("team").asText(null);
    if (team == null || team.isBlank()) throw ConfigException.of("request", "team", "is required: the team the budget is for");
    com.fasterxml.jackson.databind.node.ObjectNode rest = ((com.fasterxml.jackson.databind.node.ObjectNode) node).deepCopy();
    rest.remove("team");
    BudgetConfig b = TeamParser.salaryBudget(ctx, "", rest, team);
    if (ctx.errorCount() > 0 || b == null) throw new ConfigException(ctx.errors());
    return b;
  }

  private static AlertsConfig alerts(ParseContext ctx, Section s) {
    AlertsConfig d = AlertsConfig.defaults();
    List<AlertsConfig.Channel> channels = new java.util.ArrayList<>();
    List<JsonNode> elements = ctx.elements(s.path("channels"), s.raw("channels"));
    for (int i = 0; i < elements.size(); i++) {
      Section c = Section.of(ctx, ParseContext.index(s.path("channels"), i), elements.get(i),
          List.of("type", "url", "secret", "smtp", "from", "to", "teams", "console_url"));
      String type = c.requiredText("type", "webhook, slack or email");
      if ("email".equals(type)) {
        channels.add(new AlertsConfig.Channel(type, null, null, AlertEmailParser.email(ctx, c)));
        continue;
      }
      if (type != null && !type.equals("webhook") && !type.equals("slack")) {
        c.error("type", "unknown channel type '" + type + "'; allowed: webhook, slack, email");
      }
      String url = c.requiredText("url", "the http(s) address to POST alerts to");
      if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) c.error("url", "must be an http(s) URL");
      channels.add(new AlertsConfig.Channel(type, url, c.text("secret")));
    }
    java.time.Duration cooldown = s.duration("cooldown", false, d.cooldown());
    Section r = s.section("runaway", List.of("min_runs", "min_period", "tolerance", "action", "throttle_per_minute"));
    Long minRuns = r.whole("min_runs", 3, 1000, d.runawayMinRuns());
    java.time.Duration minPeriod = r.duration("min_period", false, d.runawayMinPeriod());
    java.math.BigDecimal tolerance = r.present("tolerance") ? r.decimal("tolerance") : java.math.BigDecimal.valueOf(d.runawayTolerance());
    String action = r.text("action", d.runawayAction());
    if (action != null && !AlertRules.ACTIONS.contains(action)) r.error("action", "must be none, throttle or suspend");
    Section e = s.section("error_rate", List.of("window_minutes", "min_calls", "threshold"));
    Long window = e.whole("window_minutes", 1, 60, d.errorWindowMinutes());
    Long minCalls = e.whole("min_calls", 1, 1_000_000, d.errorMinCalls());
    java.math.BigDecimal threshold = e.present("threshold") ? e.decimal("threshold") : java.math.BigDecimal.valueOf(d.errorThreshold());
    if (threshold != null && (threshold.signum() <= 0 || threshold.compareTo(java.math.BigDecimal.ONE) > 0)) {
      e.error("threshold", "must be a share above 0 and at most 1 (0.2 = 20% of calls failing)");
    }
    return new AlertsConfig(List.copyOf(channels), cooldown == null ? d.cooldown() : cooldown,
        minRuns == null ? d.runawayMinRuns() : minRuns.intValue(), minPeriod == null ? d.runawayMinPeriod() : minPeriod,
        tolerance == null ? d.runawayTolerance() : tolerance.doubleValue(), action == null ? d.runawayAction() : action,
        window == null ? d.errorWindowMinutes() : window.intValue(), minCalls == null ? d.errorMinCalls() : minCalls.intValue(),
        threshold == null ? d.errorThreshold() : threshold.doubleValue(), AlertRules.parse(s, r));
  }

  private static AdmissionConfig admission(Section s) {
    AdmissionConfig d = AdmissionConfig.defaults();
    Long out = s.whole("default_output_tokens", 1, 10_000_000, d.defaultOutputTokens());
    Long pct = s.whole("tokenizer_safety_percent", 100, 300, d.tokenizerSafetyPercent());
    return new AdmissionConfig(out == null ? d.defaultOutputTokens() : out, pct == null ? d.tokenizerSafetyPercent() : pct.intValue());
  }

  private static final List<String> ROLES = List.of("admin", "finance", "team-lead", "member", "auditor");

  /** {@code exceptions: { max_days, approvers: [ { role, up_to_usd } ] }}. */
  private static ExceptionsConfig exceptions(ParseContext ctx, Section s) {
    ExceptionsConfig d = ExceptionsConfig.defaults();
    Long maxDays = s.whole("max_days", 1, 366, d.maxDays());
    List<ExceptionsConfig.Approver> approvers = new java.util.ArrayList<>();
    if (!s.present("approvers")) approvers.addAll(d.approvers());
    List<JsonNode> elements = ctx.elements(s.path("approvers"), s.raw("approvers"));
    for (int i = 0; i < elements.size(); i++) {
      Section a = Section.of(ctx, ParseContext.index(s.path("approvers"), i), elements.get(i), List.of("role", "up_to_usd"));
      String role = a.requiredText("role", "one of " + String.join(", ", ROLES));
      if (role != null && !ROLES.contains(role)) a.error("role", "unknown role '" + role + "'; allowed: " + String.join(", ", ROLES));
      java.math.BigDecimal upTo = a.decimal("up_to_usd");
      if (upTo != null && upTo.signum() <= 0) a.error("up_to_usd", "must be greater than zero (omit it for any amount)");
      approvers.add(new ExceptionsConfig.Approver(role, upTo));
    }
    return new ExceptionsConfig(maxDays == null ? d.maxDays() : maxDays.intValue(), List.copyOf(approvers));
  }

  private static ServerConfig server(Section s) {
    ServerConfig d = ServerConfig.defaults();
    String host = s.text("host", d.host());
    Long port = s.whole("port", 0, 65_535, d.port()); // 0 = any free port (tests, side-by-side runs)
    Long maxBody = s.whole("max_body_bytes", 1, Long.MAX_VALUE, d.maxBodyBytes());
    Duration connect = s.duration("connect_timeout", false, d.connectTimeout());
    Duration request = s.duration("request_timeout", false, d.requestTimeout());
    Duration idle = s.duration("idle_timeout", false, d.idleTimeout());
    Long pool = s.whole("upstream_pool_size", 1, 100_000, d.upstreamPoolSize());
    if (host == null || port == null || maxBody == null || pool == null) return null;
    return new ServerConfig(host, port.intValue(), maxBody, connect, request, idle, pool.intValue());
  }

  /** {@code sqlite:<path>} with the path made absolute against the config's directory, or {@code postgresql://…}. */
  private static String storage(ParseContext ctx, Section top) {
    String value = top.text("storage", DEFAULT_STORAGE);
    if (value == null) return null;
    String path = top.path("storage");
    if (value.startsWith("sqlite:")) {
      String file = value.substring("sqlite:".length());
      if (file.isBlank()) {
        ctx.error(path, "needs a database file after 'sqlite:', e.g. sqlite:data/tollgate.db");
        return null;
      }
      if (file.startsWith(":memory:") || file.startsWith("file:")) return value;
      try {
        return "sqlite:" + resolve(ctx, file);
      } catch (InvalidPathException e) {
        ctx.error(path, "is not a valid file path: " + e.getReason());
        return null;
      }
    }
    if (value.startsWith("postgresql://")) {
      if (hostOf(value) == null) {
        ctx.error(path, "must be a URL like postgresql://user:password@host:5432/db (the host is missing or malformed)");
        return null;
      }
      return value;
    }
    // Not echoed: a connection URL may hold a password.
    ctx.error(path, "must be sqlite:<file> or postgresql://user:password@host:5432/db; got " + scheme(value));
    return null;
  }

  private static String counters(ParseContext ctx, Section top) {
    String value = top.text("counters", DEFAULT_COUNTERS);
    if (value == null) return null;
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("memory")) return "memory";
    if ((lower.startsWith("redis://") || lower.startsWith("rediss://")) && hostOf(value) != null) return value;
    ctx.error(top.path("counters"), "must be memory or a URL like redis://127.0.0.1:6379 (rediss:// for TLS); got "
        + scheme(value));
    return null;
  }

  /** {@code counters_options:}: on_redis_down, local_limit_fraction (0–1), key_prefix, timeout; ignored with memory counters. */
  private static CountersConfig countersOptions(Section s) {
    CountersConfig d = CountersConfig.defaults();
    CountersConfig.OnRedisDown mode = d.onRedisDown();
    String modeText = s.text("on_redis_down");
    if (modeText != null) {
      mode = null;
      for (CountersConfig.OnRedisDown m : CountersConfig.OnRedisDown.values()) {
        if (m.wire().equals(modeText.trim())) mode = m;
      }
      if (mode == null) {
        s.error("on_redis_down", "must be fail_closed (refuse requests that have budgets while Redis is down) or"
            + " fail_open_with_local_limits (admit up to local_limit_fraction of each limit per replica); got '" + modeText + "'");
      }
    }
    BigDecimal fraction = s.decimal("local_limit_fraction");
    if (fraction == null) {
      fraction = s.present("local_limit_fraction") ? null : d.localLimitFraction();
    } else if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
      s.error("local_limit_fraction", "must be between 0 and 1 (the share of each hard limit one replica may admit alone"
          + " while Redis is down); got " + fraction.toPlainString());
      fraction = null;
    }
    String prefix = s.text("key_prefix", d.keyPrefix());
    if (prefix != null && (prefix.isBlank() || prefix.chars().anyMatch(c -> c <= ' '))) {
      s.error("key_prefix", "must be a non-empty prefix without spaces, e.g. tollgate: or tollgate-prod:");
      prefix = null;
    }
    Duration timeout = s.duration("timeout", false, d.timeout());
    if (mode == null || fraction == null || prefix == null || timeout == null) return null;
    return new CountersConfig(mode, fraction, prefix, timeout);
  }

  private static AdminConfig admin(ParseContext ctx, Section s) {
    String token = s.text("token");
    if (token != null && token.length() < MIN_ADMIN_TOKEN_LENGTH) {
      s.error("token", "must be at least " + MIN_ADMIN_TOKEN_LENGTH
          + " characters long; leave it empty or remove it to turn the admin API off");
    }
    return new AdminConfig(token, AdminParser.oidc(ctx, s));
  }

  private static OrgConfig org(Section s) {
    OrgConfig d = OrgConfig.defaults();
    String name = s.text("name", d.name());
    String zoneText = s.text("time_zone");
    ZoneId zone = d.timeZone();
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText.trim());
      } catch (DateTimeException e) {
        s.error("time_zone", "unknown time zone '" + zoneText + "'; use an IANA name such as Europe/Paris,"
            + " America/New_York or UTC");
        zone = null;
      }
    }
    return new OrgConfig(name, zone);
  }

  private static PricingConfig pricing(ParseContext ctx, Section s) {
    String catalog = s.text("catalog");
    if (catalog == null) return new PricingConfig(null);
    try {
      Path file = resolve(ctx, catalog);
      if (!Files.isRegularFile(file)) {
        s.error("catalog", "file not found: " + file);
        return new PricingConfig(null);
      }
      return new PricingConfig(file);
    } catch (InvalidPathException e) {
      s.error("catalog", "is not a valid file path: " + e.getReason());
      return new PricingConfig(null);
    }
  }

  /** The spool defaults to {@code spool/} next to the SQLite file, else {@value #DEFAULT_SPOOL_DIR} under the config's directory. */
  private static LedgerConfig ledger(ParseContext ctx, Section s, String storage) {
    LedgerConfig d = LedgerConfig.defaults();
    String durability = s.text("durability", d.durability());
    if (durability != null && !DURABILITY.contains(durability)) {
      s.error("durability", "unknown durability '" + durability + "'; available: " + String.join(", ", DURABILITY));
    }
    Long batch = s.whole("batch_size", 1, 100_000, d.batchSize());
    Duration flush = s.duration("flush_interval", false, d.flushInterval());
    Long capacity = s.whole("queue_capacity", 1, 100_000_000, d.queueCapacity());
    if (batch != null && capacity != null && capacity < batch) {
      s.error("queue_capacity", "must be at least batch_size (" + batch + "); got " + capacity);
    }
    Duration commitTimeout = s.duration("commit_timeout", false, d.commitTimeout());
    Path spoolDir = null;
    String spool = s.text("spool_dir");
    try {
      if (spool != null) spoolDir = resolve(ctx, spool);
      else if (storage != null && storage.startsWith("sqlite:") && !storage.startsWith("sqlite::memory:")
          && !storage.startsWith("sqlite:file:")) {
        Path parent = Path.of(storage.substring("sqlite:".length())).getParent();
        spoolDir = parent == null ? resolve(ctx, DEFAULT_SPOOL_DIR) : parent.resolve("spool");
      } else {
        spoolDir = resolve(ctx, DEFAULT_SPOOL_DIR);
      }
    } catch (InvalidPathException e) {
      s.error("spool_dir", "is not a valid directory path: " + e.getReason());
    }
    LedgerStreamConfig stream = s.present("stream") ? ledgerStream(s.section("stream", LEDGER_STREAM_KEYS)) : null;
    if (batch == null || capacity == null) return null;
    return new LedgerConfig(durability, batch.intValue(), flush, capacity.intValue(), commitTimeout, spoolDir, stream);
  }

  /** {@code ledger.stream}: only Kafka so far, so {@code kafka} is required. */
  private static LedgerStreamConfig ledgerStream(Section s) {
    String url = s.requiredText("kafka", "kafka://host:port[,host:port…]/topic");
    String[] parsed = null;
    if (url != null) {
      try {
        parsed = LedgerStreamConfig.parseUrl(url);
      } catch (IllegalArgumentException e) {
        s.error("kafka", e.getMessage());
      }
    }
    String compression = s.text("compression", LedgerStreamConfig.DEFAULT_COMPRESSION);
    if (compression != null && !LedgerStreamConfig.COMPRESSIONS.contains(compression)) {
      s.error("compression", "unknown compression '" + compression + "'; available: " + String.join(", ", LedgerStreamConfig.COMPRESSIONS));
    }
    Long capacity = s.whole("queue_capacity", 1, 100_000_000, LedgerStreamConfig.DEFAULT_QUEUE_CAPACITY);
    if (parsed == null || capacity == null) return null;
    return new LedgerStreamConfig(parsed[0], parsed[1], compression, capacity.intValue());
  }

  private static Path resolve(ParseContext ctx, String file) {
    Path p = Path.of(file.trim());
    if (p.isAbsolute()) return p.normalize();
    return (ctx.baseDir == null ? p.toAbsolutePath() : ctx.baseDir.resolve(p)).normalize();
  }

  private static String hostOf(String url) {
    try {
      return new URI(url).getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Describes a connection string without echoing it, since it may hold a password. */
  private static String scheme(String value) {
    int colon = value.indexOf(':');
    if (colon < 0 && value.indexOf('@') < 0 && value.length() <= 40) return "'" + value + "'";
    return colon < 0 ? "a value without a scheme" : "a value starting with '" + value.substring(0, colon + 1) + "'";
  }
}
