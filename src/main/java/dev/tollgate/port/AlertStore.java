package dev.tollgate.port;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import java.time.Instant;
import java.util.List;

/**
 * Alert history and the restrictions alerts put on keys, agents and workflows, kept so that a
 * restart forgets neither an open incident (its dedup and cooldown) nor a suspension. Stores write
 * what they are given; the alert service makes ids and times.
 */
public interface AlertStore {

  /**
   * Writes an alert, replacing the one with its id.
   *
   * @param lastSentAt when its notice last went to the channels (the cooldown's start), or null
   */
  void save(Alert alert, Instant lastSentAt);

  /** An alert that is still open or acknowledged, with when its notice last went out. */
  record Live(Alert alert, Instant lastSentAt) {}

  /** Every alert not resolved, oldest first. */
  List<Live> unresolved();

  /**
   * Alerts newest first (by first trigger, then id), matching every filter given (null = any).
   *
   * @param since only alerts triggered at or after it (their last trigger)
   * @param after the cursor: only alerts after this one in that order (null from the start)
   */
  List<Alert> list(String state, String kind, Instant since, Cursor after, int limit);

  /** A position in the listing: the last alert of the page before. */
  record Cursor(Instant firstAt, String id) {}

  java.util.Optional<Alert> find(String id);

  /** Puts a restriction on its subject, replacing any other there. */
  void restrict(Restriction r);

  /** Lifts the restrictions an alert made. */
  void lift(String alertId);

  List<Restriction> restrictions();

  /** An in-memory store, for tests and tools that keep nothing. */
  static AlertStore inMemory() {
    return new InMemoryAlertStore();
  }
}
