package dev.tollgate.synthetic;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.domain.usage.TokenUsage;
import dev.tollgate.domain.usage.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A realistic synthetic ledger for benchmarks and demos: an organisation's requests over a span of
 * days, deterministic for a seed. The distributions (documented in docs/performance.md, checked by
 * {@code SyntheticLedgerTest}):
 *
 * <ul>
 *   <li><b>teams</b> — {@link #TEAMS}, sized by Zipf's law (weight 1/rank): the first team makes about
 *       a third of the traffic, the last about 3%;
 *   <li><b>workflows and agents</b> — team of rank r has {@code max(2, 8 - r/2)} workflows, again
 *       Zipf-weighted within the team, each with 1–3 agents and its own virtual key per agent; each
 *       workflow belongs to one of the team's two projects and has one workload class;
 *   <li><b>models</b> — picked per workload class from {@link #MODEL_MIX}; provider and tier follow the
 *       model; prices per token are fixed ({@link Model}), so cost is exact nano-dollars;
 *   <li><b>time</b> — each hour's share of the rows is the product of a diurnal curve in the org's
 *       zone ({@link #DIURNAL}: working hours peak at 10:00 and 15:00 local, nights at 5% of the
 *       peak), a weekly curve (Monday–Thursday 1.0, Friday 0.95, Saturday 0.25, Sunday 0.2) and a growth of 3% a week;
 *       the "batch" class runs at night instead (01:00–05:00 local, every day);
 *   <li><b>bursts</b> — {@link #BURST_SHARE} of the rows come from runaway agents: one burst per ten
 *       days, a random agent looping for 30–120 minutes at a steady rate;
 *   <li><b>outcome</b> — 97% ok, 2% error (input billed, no output), 1% blocked (nothing billed);
 *   <li><b>tokens</b> — log-normal per class (input median 1,200 for chat, 400 for classification, 6,000
 *       for summarize and extraction…), a cached share of the input for chat and code, reasoning tokens
 *       for reasoning models; users are Zipf-distributed within a team (20 users per rank step).
 * </ul>
 */
public final class SyntheticLedger implements Iterable<UsageRecord> {

  public static final List<String> TEAMS = List.of("support", "engineering", "sales", "marketing", "data",
      "finance", "legal", "product", "operations", "security", "hr", "research");

  /** Relative request rate for each local hour of the day (0–23). */
  static final double[] DIURNAL = {
      0.05, 0.05, 0.05, 0.05, 0.05, 0.07, 0.15, 0.35, 0.65, 0.90, 1.00, 0.95,
      0.70, 0.80, 0.95, 1.00, 0.85, 0.60, 0.35, 0.22, 0.15, 0.10, 0.07, 0.05};
  /** Relative rate Monday..Sunday. */
  static final double[] WEEKLY = {1.0, 1.0, 1.0, 1.0, 0.95, 0.25, 0.2};
  static final double WEEKLY_GROWTH = 0.03;
  static final double BURST_SHARE = 0.03;
  static final int BURST_EVERY_DAYS = 10;

  /** A model with exact prices in nano-dollars per token. */
  record Model(String name, String provider, String tier, long inputNanos, long cachedNanos, long outputNanos,
      boolean reasoning) {}

  static final Map<String, Model> MODELS = Map.of(
      "gpt-4o-mini", new Model("gpt-4o-mini", "openai", "economy", 150, 75, 600, false),
      "gpt-4o", new Model("gpt-4o", "openai", "standard", 2_500, 1_250, 10_000, false),
      "o3-mini", new Model("o3-mini", "openai", "premium", 1_100, 550, 4_400, true),
      "claude-haiku-4-5", new Model("claude-haiku-4-5", "anthropic", "economy", 1_000, 100, 5_000, false),
      "claude-sonnet-4-5", new Model("claude-sonnet-4-5", "anthropic", "standard", 3_000, 300, 15_000, false),
      "llama-3.1-8b", new Model("llama-3.1-8b", "local", "private", 50, 50, 50, false));

  /** Workload class → (model, weight) pairs. */
  static final Map<String, List<Map.Entry<String, Double>>> MODEL_MIX = Map.of(
      "classification", List.of(Map.entry("gpt-4o-mini", 0.8), Map.entry("claude-haiku-4-5", 0.2)),
      "chat", List.of(Map.entry("gpt-4o", 0.5), Map.entry("claude-sonnet-4-5", 0.3), Map.entry("gpt-4o-mini", 0.2)),
      "code", List.of(Map.entry("claude-sonnet-4-5", 0.6), Map.entry("o3-mini", 0.4)),
      "summarize", List.of(Map.entry("gpt-4o-mini", 0.6), Map.entry("claude-haiku-4-5", 0.4)),
      "extraction", List.of(Map.entry("gpt-4o-mini", 0.5), Map.entry("llama-3.1-8b", 0.5)),
      "batch", List.of(Map.entry("llama-3.1-8b", 0.7), Map.entry("gpt-4o-mini", 0.3)));

  /** Median input and output tokens per class. */
  private static final Map<String, long[]> TOKEN_MEDIANS = Map.of(
      "classification", new long[] {400, 20},
      "chat", new long[] {1_200, 350},
      "code", new long[] {3_000, 800},
      "summarize", new long[] {6_000, 400},
      "extraction", new long[] {6_000, 300},
      "batch", new long[] {2_000, 200});

  private static final List<String> CLASSES = List.of("chat", "classification", "code", "summarize", "extraction", "batch");
  private static final List<String> CHANNELS = List.of("api", "api", "api", "api", "api", "api", "api", "slack", "slack", "web");

  record Workflow(String team, String project, String name, String workloadClass, List<String> agents) {}

  private final long rows;
  private final Instant start;
  private final int days;
  private final ZoneId zone;
  private final long seed;
  /** Share of the rows from runaway bursts: {@link #BURST_SHARE}, or 0 for steady traffic only. */
  private final double burstShare;
  final List<Workflow> workflows = new ArrayList<>();
  final double[] workflowWeights;
  /** Each hour's relative rate for interactive workflows, and for batch ones (nights only). */
  private final double[] hourWeights;
  private final double[] nightWeights;
  private final double batchShare;
  private final Picker interactive;
  private final Picker batchPicker;

  /** Weighted choice among the batch or the interactive workflows, by binary search on cumulative weights. */
  private static final class Picker {
    final int[] index;
    final double[] cumulative;

    Picker(SyntheticLedger ledger, boolean batch) {
      List<Integer> chosen = new ArrayList<>();
      for (int k = 0; k < ledger.workflows.size(); k++) {
        if (ledger.workflows.get(k).workloadClass().equals("batch") == batch) chosen.add(k);
      }
      index = chosen.stream().mapToInt(Integer::intValue).toArray();
      cumulative = new double[index.length];
      double sum = 0;
      for (int k = 0; k < index.length; k++) {
        sum += ledger.workflowWeights[index[k]];
        cumulative[k] = sum;
      }
    }

    int pick(SplittableRandom random) {
      if (index.length == 0) throw new IllegalStateException("no workflow of this kind");
      double r = random.nextDouble() * cumulative[cumulative.length - 1];
      int k = Arrays.binarySearch(cumulative, r);
      k = k >= 0 ? k + 1 : -k - 1;
      return index[Math.min(k, index.length - 1)];
    }
  }

  /**
   * @param rows how many ledger rows, exactly
   * @param start the first local midnight of the span
   * @param days how many days the rows cover
   * @param zone the org's time zone, for the diurnal and weekly cycles
   */
  public SyntheticLedger(long rows, Instant start, int days, ZoneId zone, long seed) {
    this(rows, start, days, zone, seed, true);
  }

  /**
   * @param bursts false for the steady traffic alone, without the runaway bursts (the look-alike
   *     normal traffic that alert detectors must stay quiet on)
   */
  public SyntheticLedger(long rows, Instant start, int days, ZoneId zone, long seed, boolean bursts) {
    this.burstShare = bursts ? BURST_SHARE : 0;
    if (rows < 0) throw new IllegalArgumentException("rows must not be negative");
    if (days < 1) throw new IllegalArgumentException("days must be at least 1");
    this.rows = rows;
    this.start = start;
    this.days = days;
    this.zone = zone;
    this.seed = seed;
    SplittableRandom shape = new SplittableRandom(seed);
    List<Double> weights = new ArrayList<>();
    for (int t = 0; t < TEAMS.size(); t++) {
      String team = TEAMS.get(t);
      double teamWeight = 1.0 / (t + 1);
      int count = Math.max(2, 8 - t / 2);
      double norm = 0;
      for (int w = 0; w < count; w++) norm += 1.0 / (w + 1);
      for (int w = 0; w < count; w++) {
        String cls = CLASSES.get(shape.nextInt(CLASSES.size()));
        List<String> agents = new ArrayList<>();
        int agentCount = 1 + shape.nextInt(3);
        for (int a = 0; a < agentCount; a++) agents.add(team + "-wf" + (w + 1) + "-agent" + (a + 1));
        workflows.add(new Workflow(team, team + "-" + (w % 2 == 0 ? "core" : "labs"), team + "-wf" + (w + 1), cls, agents));
        weights.add(teamWeight * (1.0 / (w + 1)) / norm);
      }
    }
    workflowWeights = weights.stream().mapToDouble(Double::doubleValue).toArray();
    int hours = days * 24;
    hourWeights = new double[hours];
    nightWeights = new double[hours];
    for (int h = 0; h < hours; h++) {
      ZonedDateTime local = start.plus(Duration.ofHours(h)).atZone(zone);
      int hour = local.getHour();
      double growth = Math.pow(1 + WEEKLY_GROWTH, h / (24.0 * 7));
      hourWeights[h] = DIURNAL[hour] * WEEKLY[local.getDayOfWeek().getValue() - 1] * growth;
      nightWeights[h] = hour >= 1 && hour < 5 ? growth : 0;
    }
    double batch = 0;
    for (int k = 0; k < workflows.size(); k++) {
      if (workflows.get(k).workloadClass().equals("batch")) batch += workflowWeights[k];
    }
    batchShare = batch / Arrays.stream(workflowWeights).sum();
    interactive = new Picker(this, false);
    batchPicker = new Picker(this, true);
  }

  /** The span's end (exclusive). */
  public Instant end() {
    return start.plus(Duration.ofDays(days));
  }

  @Override
  public Iterator<UsageRecord> iterator() {
    return new Rows();
  }

  /** Walks the span hour by hour; within an hour, rows come in time order. */
  private final class Rows implements Iterator<UsageRecord> {
    private final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    private final long burstRows = Math.round(rows * burstShare);
    private final long batchRows = Math.round((rows - burstRows) * batchShare);
    private final long[] interactivePerHour = apportion(rows - burstRows - batchRows, hourWeights);
    private final long[] batchPerHour = apportion(batchRows, nightWeights);
    private final List<long[]> bursts = plannedBursts();
    private static final long HOUR_NANOS = 3_600_000_000_000L;
    private static final int SLOT_BITS = 21;
    private int hour = -1;
    private long[] offsets = new long[0];
    private Workflow[] owners = new Workflow[0];
    private String[] burstAgents = new String[0];
    private int next;
    private long sequence;

    @Override
    public boolean hasNext() {
      while (next >= offsets.length) {
        if (++hour >= hourWeights.length) return false;
        fillHour();
      }
      return true;
    }

    @Override
    public UsageRecord next() {
      if (!hasNext()) throw new NoSuchElementException();
      int i = next++;
      Instant at = start.plus(Duration.ofHours(hour)).plusNanos(offsets[i]);
      return row(at, owners[i], burstAgents[i]);
    }

    private void fillHour() {
      long steady = interactivePerHour[hour] + batchPerHour[hour];
      int count = (int) steady;
      for (long[] burst : bursts) {
        if (burst[0] == hour) count += (int) burst[3];
      }
      // Each entry: the offset in the hour (42 bits of nanos) above the entry's slot (21 bits), so
      // one primitive sort puts the hour's rows in time order.
      if (count >= 1 << SLOT_BITS) throw new IllegalStateException("more than 2M rows in one hour: use more days");
      long[] keyed = new long[count];
      Workflow[] who = new Workflow[count];
      String[] agents = new String[count];
      int n = 0;
      for (long k = 0; k < steady; k++, n++) {
        boolean batch = k >= interactivePerHour[hour];
        who[n] = workflows.get((batch ? batchPicker : interactive).pick(random));
        keyed[n] = random.nextLong(HOUR_NANOS) << SLOT_BITS | n;
      }
      for (long[] burst : bursts) {
        // burst = {hour, workflow index, agent index, rows, minutes}
        if (burst[0] != hour) continue;
        Workflow w = workflows.get((int) burst[1]);
        for (long k = 0; k < burst[3]; k++, n++) {
          // Evenly spaced over the burst's minutes in this hour: a loop at a steady rate.
          who[n] = w;
          agents[n] = w.agents().get((int) burst[2]);
          keyed[n] = (k * Duration.ofMinutes(burst[4]).toNanos() / burst[3]) << SLOT_BITS | n;
        }
      }
      Arrays.sort(keyed);
      offsets = new long[count];
      owners = new Workflow[count];
      burstAgents = new String[count];
      for (int k = 0; k < count; k++) {
        int slot = (int) (keyed[k] & ((1L << SLOT_BITS) - 1));
        offsets[k] = keyed[k] >>> SLOT_BITS;
        owners[k] = who[slot];
        burstAgents[k] = agents[slot];
      }
      next = 0;
    }

    private List<long[]> plannedBursts() {
      SplittableRandom b = new SplittableRandom(seed * 31 + 7);
      if (burstRows == 0) return List.of();
      int count = Math.max(1, days / BURST_EVERY_DAYS);
      long remaining = burstRows;
      List<long[]> planned = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        long share = k == count - 1 ? remaining : burstRows / count;
        remaining -= share;
        int w = b.nextInt(workflows.size());
        int a = b.nextInt(workflows.get(w).agents().size());
        int firstHour = b.nextInt(hourWeights.length);
        int minutes = 30 + b.nextInt(91);
        // A burst longer than an hour is split over the hours it covers.
        int spanHours = (minutes + 59) / 60;
        for (int h = 0; h < spanHours && firstHour + h < hourWeights.length; h++) {
          long part = h == spanHours - 1 || firstHour + h + 1 >= hourWeights.length ? share : share / spanHours;
          share -= part;
          planned.add(new long[] {firstHour + h, w, a, part, Math.min(60, minutes - 60L * h)});
        }
      }
      return planned;
    }

    private UsageRecord row(Instant at, Workflow w, String burstAgent) {
      String agent = burstAgent != null ? burstAgent : w.agents().get(random.nextInt(w.agents().size()));
      int teamRank = TEAMS.indexOf(w.team());
      int users = 20 * (TEAMS.size() - teamRank);
      String user = w.team() + "-user" + (1 + zipf(users));
      Model model = MODELS.get(pick(MODEL_MIX.get(w.workloadClass())));
      long[] medians = TOKEN_MEDIANS.get(w.workloadClass());
      long input = logNormal(medians[0]);
      long output = logNormal(medians[1]);
      boolean cacheable = w.workloadClass().equals("chat") || w.workloadClass().equals("code");
      long cached = cacheable ? (long) (input * random.nextDouble() * 0.6) : 0;
      long reasoning = model.reasoning() ? logNormal(medians[1] * 2) : 0;
      double outcome = random.nextDouble();
      RequestStatus status = outcome < 0.97 ? RequestStatus.OK : outcome < 0.99 ? RequestStatus.ERROR : RequestStatus.BLOCKED;
      if (status == RequestStatus.BLOCKED) {
        input = 0;
        cached = 0;
      }
      if (status != RequestStatus.OK) {
        output = 0;
        reasoning = 0;
      }
      long cost = (input - cached) * model.inputNanos() + cached * model.cachedNanos()
          + (output + reasoning) * model.outputNanos();
      long latency = status == RequestStatus.BLOCKED ? 1 : 200 + output * 8 + random.nextLong(400);
      Attribution attribution = new Attribution("acme", w.team(), w.project(), w.name(), agent, user,
          CHANNELS.get(random.nextInt(CHANNELS.size())), null, w.workloadClass(), Map.of());
      String id = "syn-" + seed + "-" + (sequence++);
      return new UsageRecord(id, at, at.plusMillis(latency), "key-" + agent, attribution, model.provider(), model.name(),
          model.name(), model.tier(), status == RequestStatus.BLOCKED ? null : "class_preferred",
          new TokenUsage(input, cached, 0, output, reasoning), Money.ofNanos(cost), status,
          status == RequestStatus.ERROR ? "upstream_error" : status == RequestStatus.BLOCKED ? "budget_exceeded" : null,
          latency, null, null, false, false, false,
          status == RequestStatus.OK ? 200 : status == RequestStatus.ERROR ? 502 : 429);
    }

    private int zipf(int n) {
      // Inverse transform on the continuous 1/x density: rank ~ n^u, skewed towards 1.
      return (int) Math.min(n - 1, Math.floor(Math.pow(n, random.nextDouble())) - 1);
    }

    private long logNormal(long median) {
      return Math.max(1, Math.round(median * Math.exp(0.6 * random.nextGaussian())));
    }

    private String pick(List<Map.Entry<String, Double>> mix) {
      double r = random.nextDouble();
      for (Map.Entry<String, Double> e : mix) {
        r -= e.getValue();
        if (r < 0) return e.getKey();
      }
      return mix.get(mix.size() - 1).getKey();
    }
  }

  /** Splits {@code total} over the weights, rounding so that the parts add up to it exactly. */
  static long[] apportion(long total, double[] weights) {
    double sum = Arrays.stream(weights).sum();
    long[] parts = new long[weights.length];
    double carry = 0;
    long given = 0;
    for (int k = 0; k < weights.length; k++) {
      double exact = total * weights[k] / sum + carry;
      parts[k] = Math.round(exact);
      carry = exact - parts[k];
      given += parts[k];
    }
    parts[weights.length - 1] += total - given;
    return parts;
  }

}
