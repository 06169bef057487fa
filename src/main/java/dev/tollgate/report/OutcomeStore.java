package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where outcomes are kept, and their sums by workflow, agent or team. */
public interface OutcomeStore {

  /** The dimensions outcomes carry; also the names {@link #totals} groups and filters by. */
  List<String> DIMENSIONS = List.of("workflow", "agent", "team", "type");

  /** @return false when an outcome with that id exists already */
  boolean insert(Outcome outcome);

  /** Outcomes with {@code from <= at < to} matching every filter (dimension → value), newest first. */
  List<Outcome> list(Instant from, Instant to, Map<String, String> equals, int limit);

  /**
   * Sums per group value (null when outcomes lack it) and type, for {@code from <= at < to}.
   *
   * @param groupBy one of workflow, agent, team
   */
  List<Total> totals(Instant from, Instant to, String groupBy, Map<String, String> equals);

  /** The sum of one group's outcomes of one type. */
  record Total(String group, String type, long count, Money value) {}
}
