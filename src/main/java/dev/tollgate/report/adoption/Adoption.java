package dev.tollgate.report.adoption;

import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Workflow;
import dev.tollgate.report.efficiency.LedgerFacts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adoption ("AI fitness"): who uses the gateway, how deeply, what they built and share, which
 * advanced features they use — beside what it costs. Read from the ledger and the use-case registry.
 *
 * <ul>
 *   <li><b>Active user</b>: a user (the ledger's {@code user}) with at least one successful request
 *       (status {@code ok}, cache hits included). Requests without a user count in requests and cost but
 *       make nobody active.
 *   <li><b>Daily/weekly/monthly active</b>: the mean number of active users per day of the period (days
 *       in the org's time zone), and the active users in the 7 and 30 days that end where the period ends.
 *   <li><b>Depth</b>: successful requests per active user; mean prompt (input) tokens per request, the
 *       proxy for conversation length (the ledger does not keep the number of messages); requests per
 *       conversation where callers name one ({@code X-Tollgate-Conversation}).
 *   <li><b>Built and shared</b>: registered workflows owned by a person (their {@code owner}) or a team;
 *       shared when someone other than the owner used it in the period. Agents are not registered, so
 *       for them: agents seen, and agents used by two or more people.
 *   <li><b>Features</b>: streaming, provider prompt caching (cached input tokens), the response cache
 *       (hits), reasoning (reasoning tokens), prompt templates. Tool use is not recorded in the ledger.
 *   <li><b>Spend</b>: the cost of all the scope's rows, and that over its active users.
 * </ul>
 */
public final class Adoption {

  /** The advanced features the ledger records. */
  public enum Feature {
    STREAMING, PROMPT_CACHING, RESPONSE_CACHE, REASONING, TEMPLATES;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean usedBy(LedgerFacts r) {
      return switch (this) {
        case STREAMING -> r.stream();
        case PROMPT_CACHING -> r.usage().cachedInputTokens() > 0;
        case RESPONSE_CACHE -> r.cacheHit();
        case REASONING -> r.usage().reasoningTokens() > 0;
        case TEMPLATES -> r.template() != null;
      };
    }
  }

  /** How many successful requests used a feature, and by how many active users. */
  public record FeatureUse(long requests, long users) {}

  /**
   * One scope's figures: the whole selection, a team or a person.
   *
   * @param requests every row of the scope in the period, whatever its status
   * @param activeRequests successful requests of active users
   * @param meanPromptTokens mean input tokens of successful requests (2 decimals), null without any
   * @param requestsPerConversation successful requests that name a conversation over the conversations (2 decimals)
   */
  public record Figures(long requests, long activeUsers, BigDecimal dailyActiveAvg, long weeklyActive, long monthlyActive,
      long activeRequests, BigDecimal requestsPerActiveUser, BigDecimal meanPromptTokens, long conversations,
      BigDecimal requestsPerConversation, Map<Feature, FeatureUse> features, long workflowsBuilt, long workflowsShared,
      long agents, long sharedAgents, Money cost, Money costPerActiveUser) {}

  public record Team(String team, Figures figures) {}

  /** A person; {@code teams} those their successful requests were attributed to. */
  public record Person(String user, Set<String> teams, long activeDays, Figures figures) {}

  public record Report(Figures total, List<Team> teams, List<Person> people, Map<LocalDate, Long> dailyActive) {}

  private Adoption() {}

  /**
   * @param rows ledger rows from at least 30 days before {@code to} (for weekly and monthly active) up to {@code to}
   * @param workflows the use-case registry (only the selected team's when the report is for one team)
   */
  public static Report of(List<LedgerFacts> rows, List<Workflow> workflows, Instant from, Instant to, ZoneId zone) {
    List<LedgerFacts> inPeriod = rows.stream().filter(r -> !r.startedAt().isBefore(from) && r.startedAt().isBefore(to)).toList();
    Map<String, Set<String>> workflowUsers = workflowUsers(inPeriod);
    Figures total = figures(inPeriod, rows, workflowUsers, workflows, from, to, zone, w -> true);
    Set<String> teamNames = new TreeSet<>();
    for (LedgerFacts r : inPeriod) if (r.team() != null) teamNames.add(r.team());
    for (Workflow w : workflows) if (w.team() != null) teamNames.add(w.team());
    // Each team's and each person's rows, split off in one pass: filtering all rows again for every
    // team and person made the report quadratic (a thousand people over a million rows).
    Map<String, List<LedgerFacts>> periodByTeam = byKey(inPeriod, LedgerFacts::team);
    Map<String, List<LedgerFacts>> allByTeam = byKey(rows, LedgerFacts::team);
    List<Team> teams = new ArrayList<>();
    for (String t : teamNames) {
      teams.add(new Team(t, figures(periodByTeam.getOrDefault(t, List.of()), allByTeam.getOrDefault(t, List.of()), workflowUsers,
          workflows, from, to, zone, w -> t.equals(w.team()))));
    }
    Map<String, Set<String>> teamsOf = new TreeMap<>();
    for (LedgerFacts r : inPeriod) {
      if (r.ok() && r.user() != null) teamsOf.computeIfAbsent(r.user(), u -> new TreeSet<>()).add(r.team() == null ? "" : r.team());
    }
    Map<String, List<LedgerFacts>> periodByUser = byKey(inPeriod, LedgerFacts::user);
    Map<String, List<LedgerFacts>> allByUser = byKey(rows, LedgerFacts::user);
    List<Person> people = new ArrayList<>();
    for (var e : teamsOf.entrySet()) {
      String user = e.getKey();
      List<LedgerFacts> mine = periodByUser.getOrDefault(user, List.of());
      Set<LocalDate> days = new HashSet<>();
      for (LedgerFacts r : mine) if (r.ok()) days.add(day(r, zone));
      e.getValue().remove("");
      people.add(new Person(user, e.getValue(), days.size(), figures(mine, allByUser.getOrDefault(user, List.of()),
          workflowUsers, workflows, from, to, zone, w -> user.equals(w.owner()))));
    }
    people.sort((a, b) -> b.figures().activeRequests() != a.figures().activeRequests()
        ? Long.compare(b.figures().activeRequests(), a.figures().activeRequests()) : a.user().compareTo(b.user()));
    return new Report(total, teams, people, dailyActive(inPeriod, from, to, zone));
  }

  /** Who used each workflow: a workflow is shared when someone other than its owner used it, whichever scope they are in. */
  private static Map<String, Set<String>> workflowUsers(List<LedgerFacts> period) {
    Map<String, Set<String>> out = new HashMap<>();
    for (LedgerFacts r : period) {
      if (r.ok() && r.workflow() != null && r.user() != null) out.computeIfAbsent(r.workflow(), w -> new HashSet<>()).add(r.user());
    }
    return out;
  }

  /** The rows with a value of {@code key}, by that value, each list in the rows' order. */
  private static Map<String, List<LedgerFacts>> byKey(List<LedgerFacts> rows, java.util.function.Function<LedgerFacts, String> key) {
    Map<String, List<LedgerFacts>> out = new HashMap<>();
    for (LedgerFacts r : rows) {
      String k = key.apply(r);
      if (k != null) out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /**
   * @param period the scope's rows in the period
   * @param all the scope's rows from 30 days before {@code to}
   * @param workflowUsers who used each workflow in the period, across every scope of the report
   */
  private static Figures figures(List<LedgerFacts> period, List<LedgerFacts> all, Map<String, Set<String>> workflowUsers,
      List<Workflow> workflows, Instant from, Instant to, ZoneId zone, java.util.function.Predicate<Workflow> builtHere) {
    Set<String> active = new HashSet<>();
    long activeRequests = 0;
    long okRequests = 0;
    long promptTokens = 0;
    Money cost = Money.ZERO;
    Map<String, Long> perConversation = new HashMap<>();
    Map<Feature, Set<String>> featureUsers = new EnumMap<>(Feature.class);
    Map<Feature, Long> featureRequests = new EnumMap<>(Feature.class);
    Map<String, Set<String>> agentUsers = new HashMap<>();
    for (LedgerFacts r : period) {
      cost = cost.plus(r.cost());
      if (!r.ok()) continue;
      okRequests++;
      promptTokens += r.usage().inputTokens();
      if (r.conversation() != null) perConversation.merge(r.conversation(), 1L, Long::sum);
      if (r.agent() != null) agentUsers.computeIfAbsent(r.agent(), a -> new HashSet<>()).add(Objects.toString(r.user(), ""));
      for (Feature f : Feature.values()) {
        if (!f.usedBy(r)) continue;
        featureRequests.merge(f, 1L, Long::sum);
        if (r.user() != null) featureUsers.computeIfAbsent(f, k -> new HashSet<>()).add(r.user());
      }
      if (r.user() == null) continue;
      active.add(r.user());
      activeRequests++;
    }
    Map<Feature, FeatureUse> features = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      features.put(f, new FeatureUse(featureRequests.getOrDefault(f, 0L), featureUsers.getOrDefault(f, Set.of()).size()));
    }
    long built = 0;
    long shared = 0;
    for (Workflow w : workflows) {
      if (!builtHere.test(w)) continue;
      built++;
      Set<String> users = workflowUsers.getOrDefault(w.name(), Set.of());
      if (users.stream().anyMatch(u -> !u.equals(w.owner()))) shared++;
    }
    long sharedAgents = agentUsers.values().stream().filter(u -> u.stream().filter(s -> !s.isEmpty()).count() >= 2).count();
    long conversationRequests = perConversation.values().stream().mapToLong(Long::longValue).sum();
    return new Figures(period.size(), active.size(), dailyActiveAvg(period, from, to, zone),
        activeIn(all, to.minus(Duration.ofDays(7)), to), activeIn(all, to.minus(Duration.ofDays(30)), to), activeRequests,
        ratio(activeRequests, active.size()), okRequests == 0 ? null : ratio(promptTokens, okRequests), perConversation.size(),
        perConversation.isEmpty() ? null : ratio(conversationRequests, perConversation.size()), features, built, shared,
        agentUsers.size(), sharedAgents, cost, active.isEmpty() ? null : Money.ofNanos(
            BigDecimal.valueOf(cost.nanos()).divide(BigDecimal.valueOf(active.size()), 0, RoundingMode.HALF_EVEN).longValueExact()));
  }

  private static long activeIn(List<LedgerFacts> rows, Instant from, Instant to) {
    Set<String> users = new HashSet<>();
    for (LedgerFacts r : rows) {
      if (r.ok() && r.user() != null && !r.startedAt().isBefore(from) && r.startedAt().isBefore(to)) users.add(r.user());
    }
    return users.size();
  }

  private static BigDecimal dailyActiveAvg(List<LedgerFacts> period, Instant from, Instant to, ZoneId zone) {
    long days = days(from, to, zone);
    Map<LocalDate, Long> daily = dailyActive(period, from, to, zone);
    long sum = daily.values().stream().mapToLong(Long::longValue).sum();
    return ratio(sum, days);
  }

  /** Active users per local day of the period, every day listed (zero included). */
  static Map<LocalDate, Long> dailyActive(List<LedgerFacts> period, Instant from, Instant to, ZoneId zone) {
    Map<LocalDate, Set<String>> users = new TreeMap<>();
    for (LedgerFacts r : period) {
      if (r.ok() && r.user() != null) users.computeIfAbsent(day(r, zone), d -> new HashSet<>()).add(r.user());
    }
    Map<LocalDate, Long> out = new TreeMap<>();
    LocalDate last = to.minusNanos(1).atZone(zone).toLocalDate();
    for (LocalDate d = from.atZone(zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
      out.put(d, (long) users.getOrDefault(d, Set.of()).size());
    }
    return out;
  }

  private static long days(Instant from, Instant to, ZoneId zone) {
    LocalDate first = from.atZone(zone).toLocalDate();
    LocalDate last = to.minusNanos(1).atZone(zone).toLocalDate();
    return Math.max(1, java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1);
  }

  private static LocalDate day(LedgerFacts r, ZoneId zone) {
    return r.startedAt().atZone(zone).toLocalDate();
  }

  private static BigDecimal ratio(long a, long b) {
    return b == 0 ? null : BigDecimal.valueOf(a).divide(BigDecimal.valueOf(b), 2, RoundingMode.HALF_EVEN);
  }
}
