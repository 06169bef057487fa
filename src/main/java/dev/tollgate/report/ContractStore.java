package dev.tollgate.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Contracts made through the admin API, kept as their JSON definition (SQL in production). */
public interface ContractStore {

  /** One stored contract: its name, its definition in the config file's keys (JSON), when made and changed. */
  record Stored(String name, String definition, Instant createdAt, Instant updatedAt) {}

  /** @return false when the name is taken */
  boolean insert(Stored contract);

  /** @return false when there is no such contract */
  boolean replace(Stored contract);

  /** @return false when there is no such contract */
  boolean delete(String name);

  Optional<Stored> find(String name);

  /** All, by name. */
  List<Stored> list();
}
