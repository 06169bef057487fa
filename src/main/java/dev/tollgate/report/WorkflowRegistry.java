package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The use-case registry: checks what is written into it and stamps the times. */
public final class WorkflowRegistry {

  static final int MAX_NAME = 200;
  static final int MAX_TEXT = 2_000;

  /**
   * What a caller sends; any field may be null. On create, {@code name} is required and
   * {@code stage} defaults to experiment; on update, null fields keep their value.
   */
  public record Draft(String name, String owner, String purpose, String kpi, Money expectedValue, WorkflowStage stage,
      String team) {}

  private final WorkflowStore store;
  private final Clock clock;

  public WorkflowRegistry(WorkflowStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Registers a workflow.
   *
   * @return empty when a workflow of that name is registered already
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Optional<Workflow> create(Draft d) {
    if (d.name() == null || d.name().isBlank()) throw new IllegalArgumentException("'name' is required: the workflow "
        + "name requests carry in X-Tollgate-Workflow");
    check(d);
    Instant now = clock.instant();
    Workflow w = new Workflow(d.name(), d.owner(), d.purpose(), d.kpi(), d.expectedValue(),
        d.stage() == null ? WorkflowStage.EXPERIMENT : d.stage(), d.team(), now, now);
    return store.insert(w) ? Optional.of(w) : Optional.empty();
  }

  /**
   * Changes the fields the draft sets (the name stays).
   *
   * @return empty when no workflow of that name is registered
   */
  public Optional<Workflow> update(String name, Draft d) {
    if (d.name() != null && !d.name().equals(name)) {
      throw new IllegalArgumentException("a workflow's name cannot change (ledger rows carry it); register the new name "
          + "and retire this one");
    }
    check(d);
    Optional<Workflow> found = store.find(name);
    if (found.isEmpty()) return Optional.empty();
    Workflow w = found.get();
    Workflow changed = new Workflow(name, or(d.owner(), w.owner()), or(d.purpose(), w.purpose()), or(d.kpi(), w.kpi()),
        or(d.expectedValue(), w.expectedValue()), or(d.stage(), w.stage()), or(d.team(), w.team()), w.createdAt(),
        clock.instant());
    return store.update(changed) ? Optional.of(changed) : Optional.empty();
  }

  public boolean delete(String name) {
    return store.delete(name);
  }

  public Optional<Workflow> find(String name) {
    return store.find(name);
  }

  public List<Workflow> list() {
    return store.list();
  }

  private static void check(Draft d) {
    if (d.name() != null && d.name().length() > MAX_NAME) {
      throw new IllegalArgumentException("'name' is longer than " + MAX_NAME + " characters");
    }
    for (String[] field : new String[][] {{"owner", d.owner()}, {"purpose", d.purpose()}, {"kpi", d.kpi()}, {"team", d.team()}}) {
      if (field[1] != null && field[1].length() > MAX_TEXT) {
        throw new IllegalArgumentException("'" + field[0] + "' is longer than " + MAX_TEXT + " characters");
      }
    }
    if (d.expectedValue() != null && d.expectedValue().nanos() < 0) {
      throw new IllegalArgumentException("'expected_value_usd' cannot be negative");
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
